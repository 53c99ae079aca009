// The request context: condition keys are case-insensitive, so keys are stored
// lowercased; every value is kept as a list of strings (a single-valued key has one).

export type ContextValue = string | number | boolean | readonly (string | number | boolean)[];
export type ContextInput = Readonly<Record<string, ContextValue>>;

/** Lowercased key -> values. */
export type ContextMap = ReadonlyMap<string, readonly string[]>;

export function contextMap(input: ContextInput | ContextMap | undefined): ContextMap {
  if (input === undefined) return EMPTY;
  if (input instanceof Map) return input;
  const map = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(input as ContextInput)) {
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    const lower = key.toLowerCase();
    const existing = map.get(lower);
    map.set(lower, existing ? [...existing, ...values] : values);
  }
  return map;
}

const EMPTY: ContextMap = new Map();
