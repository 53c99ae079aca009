// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, defaults
// `${aws:x, 'fallback'}` and the escapes `${*}`, `${?}`, `${$}`. Only documents with
// Version 2012-10-17 substitute them; older documents read `${...}` literally.
import type { PatternPart } from './values/wildcard.ts';
import type { ContextMap } from './context.ts';

export interface VariableRef {
  key: string;
  lookupKey: string;
  fallback: string | undefined;
}

/** A value with variables in it: text pieces (which may hold wildcards), escapes and variables. */
export type TemplatePart = PatternPart | VariableRef;

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };
const VARIABLE = /\$\{([^}]*)\}/g;
const WITH_DEFAULT = /^\s*([^,]+?)\s*,\s*'([^']*)'\s*$/;

/** Splits a value into parts, or returns undefined when it holds no variable (the common case). */
export function parseTemplate(value: string): TemplatePart[] | undefined {
  if (!value.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of value.matchAll(VARIABLE)) {
    if (match.index > last) parts.push({ text: value.slice(last, match.index), literal: false });
    parts.push(variablePart(match[1]));
    last = match.index + match[0].length;
  }
  if (last < value.length) parts.push({ text: value.slice(last), literal: false });
  return parts;
}

function variablePart(body: string): TemplatePart {
  const escaped = ESCAPES[body];
  if (escaped !== undefined) return { text: escaped, literal: true };
  const withDefault = WITH_DEFAULT.exec(body);
  const key = (withDefault ? withDefault[1] : body).trim();
  return { key, lookupKey: key.toLowerCase(), fallback: withDefault ? withDefault[2] : undefined };
}

export function isVariable(part: TemplatePart): part is VariableRef {
  return 'lookupKey' in part;
}

/**
 * Substitutes the variables from the request context. A variable whose key is absent
 * (or multivalued) and has no default cannot be resolved: the value then matches nothing,
 * and the key is reported through `onMissing`.
 */
export function resolveTemplate(
  parts: readonly TemplatePart[],
  context: ContextMap,
  onMissing: (key: string) => void,
): PatternPart[] | undefined {
  const resolved: PatternPart[] = [];
  for (const part of parts) {
    if (!isVariable(part)) {
      resolved.push(part);
      continue;
    }
    const values = context.get(part.lookupKey);
    if (values !== undefined && values.length === 1) resolved.push({ text: values[0], literal: true });
    else if (part.fallback !== undefined) resolved.push({ text: part.fallback, literal: true });
    else {
      if (values === undefined) onMissing(part.key);
      return undefined;
    }
  }
  return resolved;
}

/** The resolved parts as one plain string (for operators without wildcards). */
export function joinParts(parts: readonly PatternPart[]): string {
  let text = '';
  for (const part of parts) text += part.text;
  return text;
}
