// What a condition operator family provides: a way to turn one policy value into a
// test of one request-context value. Negated operators (StringNotEquals, ...) and the
// IfExists / ForAllValues / ForAnyValue forms are built on top of these in clause.ts.
import type { PatternPart } from '../values/wildcard.ts';

/** Tests one value from the request context. */
export type ValueTest = (contextValue: string) => boolean;

export interface OperatorFamily {
  /** Whether policy variables are substituted in this family's values (AWS documents it per family). */
  supportsVariables: boolean;
  /** Positive operators of the family, by name. */
  operators: Record<string, ValueCompiler>;
}

/**
 * Compiles a policy value (after variable substitution; `literal` parts came from
 * escapes or variables and never act as wildcards). Undefined when the value cannot be
 * read as the operator's type: it then matches nothing.
 */
export type ValueCompiler = (parts: readonly PatternPart[]) => ValueTest | undefined;

export function joined(parts: readonly PatternPart[]): string {
  return parts.length === 1 ? parts[0].text : parts.map((p) => p.text).join('');
}
