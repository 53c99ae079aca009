// IAM wildcard patterns (`*` any run of characters, `?` one character) as matchers.
// Two shapes: plain strings (actions, StringLike) and ARNs, where a wildcard in one
// of the first five colon-separated segments stays inside that segment
// (partition:service:region:account) and only the resource part spans colons.

/** A piece of a pattern: `text` may hold wildcards; `literal` never does (a `${*}` escape, a variable's value). */
export interface PatternPart {
  text: string;
  literal: boolean;
}

export type StringMatcher = (value: string) => boolean;

const matchAll: StringMatcher = () => true;

export type PatternShape = 'plain' | 'arn';

/** Compiles a pattern written as one string (no variables) into the fastest matcher that fits. */
export function wildcardMatcher(pattern: string, shape: PatternShape, ignoreCase = false): StringMatcher {
  if (pattern === '*') return matchAll;
  const wanted = ignoreCase ? pattern.toLowerCase() : pattern;
  const star = wanted.indexOf('*');
  const hasQuestion = wanted.includes('?');
  if (star < 0 && !hasQuestion) return ignoreCase ? (v) => v.toLowerCase() === wanted : (v) => v === wanted;
  // `prefix*` with nothing after it, and no colon the star would have to stay within.
  if (!hasQuestion && star === wanted.length - 1 && (shape === 'plain' || segmentCount(wanted) >= 6)) {
    const prefix = wanted.slice(0, -1);
    return ignoreCase ? (v) => v.toLowerCase().startsWith(prefix) : (v) => v.startsWith(prefix);
  }
  const regex = new RegExp(patternSource([{ text: pattern, literal: false }], shape), ignoreCase ? 'is' : 's');
  return (v) => regex.test(v);
}

/** Compiles pattern parts (after variable substitution) into a regular expression. */
export function partsRegex(parts: readonly PatternPart[], shape: PatternShape, ignoreCase = false): RegExp {
  return new RegExp(patternSource(parts, shape), ignoreCase ? 'is' : 's');
}

function patternSource(parts: readonly PatternPart[], shape: PatternShape): string {
  if (shape === 'plain') {
    let source = '^';
    for (const part of parts) source += part.literal ? escapeRegex(part.text) : globSource(part.text, '.*', '.');
    return source + '$';
  }
  // Split on the colons written in the pattern itself (not inside substituted values).
  const segments: PatternPart[][] = [[]];
  for (const part of parts) {
    if (part.literal) {
      segments[segments.length - 1].push(part);
      continue;
    }
    const pieces = part.text.split(':');
    pieces.forEach((piece, i) => {
      if (i > 0) {
        if (segments.length < 6) segments.push([]);
        else segments[5].push({ text: ':', literal: true });
      }
      if (piece) segments[segments.length - 1].push({ text: piece, literal: false });
    });
  }
  const last = segments.length - 1;
  const sources = segments.map((segment, i) => {
    const [star, question] = i === last ? ['.*', '.'] : ['[^:]*', '[^:]'];
    return segment.map((p) => (p.literal ? escapeRegex(p.text) : globSource(p.text, star, question))).join('');
  });
  return '^' + sources.join(':') + '$';
}

function globSource(text: string, star: string, question: string): string {
  let source = '';
  for (const ch of text) {
    if (ch === '*') source += star;
    else if (ch === '?') source += question;
    else source += escapeRegex(ch);
  }
  return source;
}

function segmentCount(arn: string): number {
  let count = 1;
  for (let i = 0; i < arn.length && count < 6; i++) if (arn.charCodeAt(i) === 58) count++;
  return count;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
