// Rules shared by every store implementation, so they all accept, order and encode the
// same things: what a name or key may be, how keys sort, how a prefix becomes a range.

/**
 * Collection names and keys: non-empty, well-formed Unicode (a lone surrogate cannot
 * be stored as UTF-8), and no NUL (PostgreSQL text cannot hold it).
 */
export function checkName(what: 'collection' | 'key' | 'prefix' | 'after', text: unknown, allowEmpty = false): string {
  if (typeof text !== 'string') throw new TypeError(`store ${what} must be a string (got ${typeof text})`);
  if (text === '' && !allowEmpty) throw new RangeError(`store ${what} must not be empty`);
  if (!text.isWellFormed()) throw new RangeError(`store ${what} is not well-formed Unicode: ${JSON.stringify(text)}`);
  if (text.includes('\0')) throw new RangeError(`store ${what} must not contain NUL: ${JSON.stringify(text)}`);
  return text;
}

/** Code point order, which is the byte order of UTF-8 (JavaScript's `<` compares UTF-16 units instead). */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // both hold the same surrogate pair here
  }
  return a.length - b.length;
}

const MAX_CODE_POINT = 0x10ffff;
const SURROGATES_START = 0xd800;
const SURROGATES_END = 0xdfff;

/**
 * The smallest key above every key that starts with `prefix`, so that "starts with
 * prefix" is the range [prefix, bound) and can use an index. Undefined when no such
 * key exists (empty prefix, or only U+10FFFF code points): the range is then open.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last === MAX_CODE_POINT) continue; // carry: no successor at this position
    const next = last + 1 === SURROGATES_START ? SURROGATES_END + 1 : last + 1;
    return String.fromCodePoint(...codePoints, next);
  }
  return undefined;
}

/** Documents are stored as JSON text; anything JSON.stringify cannot turn into text is refused. */
export function encodeValue(value: unknown): string {
  const json = JSON.stringify(value);
  if (typeof json !== 'string') throw new TypeError(`a store document must be JSON-serializable (got ${typeof value})`);
  return json;
}

export function checkLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new RangeError(`list limit must be a positive integer (got ${limit})`);
  }
  return limit;
}

export function checkVersion(version: number): number {
  if (!Number.isSafeInteger(version)) throw new RangeError(`expected version must be an integer (got ${version})`);
  return version;
}
