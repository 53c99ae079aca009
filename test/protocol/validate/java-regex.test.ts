import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { JavaPatternError, compileJavaPattern, matchesJavaPattern } from '../../../src/protocol/java-regex.ts';

const modelsDir = new URL('../../../models/', import.meta.url);

/** Every distinct `pattern` in every vendored model, with one place it occurs. */
function modelPatterns(): Map<string, string> {
  const patterns = new Map<string, string>();
  for (const file of readdirSync(modelsDir).filter((f) => f.endsWith('.json')).sort()) {
    const model = JSON.parse(readFileSync(new URL(file, modelsDir), 'utf8'));
    for (const [name, shape] of Object.entries<{ pattern?: string }>(model.shapes)) {
      if (shape.pattern !== undefined && !patterns.has(shape.pattern)) patterns.set(shape.pattern, `${file} ${name}`);
    }
  }
  return patterns;
}

test('every pattern in every vendored model compiles to a JavaScript RegExp', () => {
  const patterns = modelPatterns();
  assert.ok(patterns.size > 300, `expected the models to hold over 300 patterns, found ${patterns.size}`);
  const failures: string[] = [];
  for (const [pattern, where] of patterns) {
    try {
      compileJavaPattern(pattern);
    } catch (error) {
      failures.push(`${where}: ${(error as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('a compiled pattern is cached per pattern string', () => {
  assert.equal(compileJavaPattern('[\\w+=,.@-]+'), compileJavaPattern('[\\w+=,.@-]+'));
});

test('patterns match whole strings (Matcher.matches), including each alternative', () => {
  assert.equal(matchesJavaPattern('[\\w+=,.@-]+', 'alice'), true);
  assert.equal(matchesJavaPattern('[\\w+=,.@-]+', 'a b'), false);
  assert.equal(matchesJavaPattern('\\d{12}|ALL_ACCOUNTS|SELF', '123456789012'), true);
  assert.equal(matchesJavaPattern('\\d{12}|ALL_ACCOUNTS|SELF', '123456789012SELF'), false);
});

test('\\p{...} general categories: IAM tag keys accept letters and marks of any script', () => {
  const tagKey = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+';
  assert.equal(matchesJavaPattern(tagKey, 'Kostenstelle Zürich 東京'), true);
  assert.equal(matchesJavaPattern(tagKey, 'bad*key'), false);
  assert.equal(matchesJavaPattern('[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+', 'naïve!'), true);
});

test('\\uXXXX takes exactly four hex digits, and an escaped surrogate pair is one code point', () => {
  const stsArn = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+';
  assert.equal(matchesJavaPattern(stsArn, 'arn:aws:iam::123456789012:role/é'), true);
  assert.equal(matchesJavaPattern(stsArn, '\u{1F600}'), false);
  const ssm = '[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*';
  assert.equal(matchesJavaPattern(ssm, 'emoji \u{1F600}'), true);
});

test('Java \\s is ASCII whitespace only, unlike JavaScript \\s', () => {
  assert.equal(matchesJavaPattern('[\\S]+', 'a\u00A0b'), true);
  assert.equal(matchesJavaPattern('\\s', '\u00A0'), false);
  assert.equal(matchesJavaPattern('[\\w\\s+=,.@-]+', 'a b\tc'), true);
  assert.equal(matchesJavaPattern('[\\s\\S]*', 'anything\n at all \u2028'), true);
});

test("'.' excludes Java's line terminators unless (?s) is on", () => {
  assert.equal(matchesJavaPattern('.+', 'a\nb'), false);
  assert.equal(matchesJavaPattern('.+', 'a\u0085b'), false);
  assert.equal(matchesJavaPattern('(?s).*', 'a\nb'), true);
});

test('inline (?i) applies to the rest of the pattern, across alternatives', () => {
  assert.equal(matchesJavaPattern('(?i)all|[0-9]{12}', 'ALL'), true);
  assert.equal(matchesJavaPattern('a(?i)b|c', 'aB'), true);
  assert.equal(matchesJavaPattern('a(?i)b|c', 'C'), true);
  assert.equal(matchesJavaPattern('a(?i)b|c', 'AB'), false);
});

test("Java class edge cases: '-' next to a class escape, ranges, nested classes and intersections", () => {
  assert.equal(matchesJavaPattern('[\\w-_]*', 'a-b_c'), true);
  assert.equal(matchesJavaPattern('[a-zA-Z+-=._:/]+', 'a,b'), true); // '+-=' is a range holding ','
  assert.equal(matchesJavaPattern('[A-Za-z0-9-_=.]+', 'a-b'), true);
  assert.equal(matchesJavaPattern('[a-z&&[^aeiou]]+', 'bcd'), true);
  assert.equal(matchesJavaPattern('[a-z&&[^aeiou]]+', 'bad'), false);
  assert.equal(matchesJavaPattern('[a[0-9]]+', 'a1'), true);
  assert.equal(matchesJavaPattern('[0-9a-zA-Z\\\\*\\\\.\\\\\\/\\\\?-]*', 'a\\*.?/-'), true);
});

test('lookarounds and backreferences keep Java numbering', () => {
  assert.equal(matchesJavaPattern('(?!aws:)[a-zA-Z+-=._:/]+', 'aws:team'), false);
  assert.equal(matchesJavaPattern('(?!aws:)[a-zA-Z+-=._:/]+', 'team'), true);
  assert.equal(matchesJavaPattern('^[0-9A-Za-z\\.\\-_]*(?<!\\.)$', 'name.'), false);
  assert.equal(matchesJavaPattern('(a)(b)\\2\\1', 'abba'), true);
  // \11 with only one group is group 1 followed by a literal '1'.
  assert.equal(matchesJavaPattern('(x)\\11', 'xx1'), true);
});

test('possessive quantifiers and atomic groups do not give back', () => {
  assert.equal(matchesJavaPattern('a*+a', 'aaa'), false);
  assert.equal(matchesJavaPattern('a*a', 'aaa'), true);
  assert.equal(matchesJavaPattern('(?>ab|a)b', 'ab'), false);
  assert.equal(matchesJavaPattern('[a-z]++[0-9]', 'abc1'), true);
});

test('\\Q...\\E quotes, \\A and \\z anchor, POSIX classes are ASCII', () => {
  assert.equal(matchesJavaPattern('\\Qa.b*\\E', 'a.b*'), true);
  assert.equal(matchesJavaPattern('\\Qa.b*\\E', 'axb'), false);
  assert.equal(matchesJavaPattern('\\A\\p{Alpha}+\\z', 'abc'), true);
  assert.equal(matchesJavaPattern('\\p{Alpha}+', 'äbc'), false);
  assert.equal(matchesJavaPattern('\\x41\\x{1F600}\\t', 'A\u{1F600}\t'), true);
});

test('$ also matches before a final line terminator, as in Java', () => {
  assert.equal(matchesJavaPattern('^abc$\\n', 'abc\n'), true);
  assert.equal(matchesJavaPattern('^abc$', 'abc'), true);
});

test('an untranslatable pattern throws JavaPatternError naming the pattern', () => {
  assert.throws(() => compileJavaPattern('\\p{InGreek}+'), JavaPatternError);
  assert.throws(() => compileJavaPattern('(unclosed'), /unclosed group/);
  assert.throws(() => compileJavaPattern('[a-'), JavaPatternError);
});
