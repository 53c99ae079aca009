import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, prefixUpperBound } from '../../src/store/keys.ts';

// Code points chosen to sit at the edges that matter: ASCII, the surrogate gap, the
// end of the BMP, astral characters and the last code point.
const ALPHABET = ['a', 'b', '%', '_', '\u007F', '\u0080', 'é', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '😀', '\u{10FFFF}'];

function randomKeys(count: number, seed: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 4) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join(''),
  );
}

describe('key order and prefix ranges', () => {
  it('compareKeys orders like the bytes of UTF-8, which is what SQLite and PostgreSQL ("C") compare', () => {
    const keys = randomKeys(300, 7);
    const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual([...keys].sort(compareKeys), byBytes);
  });

  it('a key starts with a prefix exactly when it lies in [prefix, prefixUpperBound(prefix))', () => {
    const keys = randomKeys(400, 11);
    for (const prefix of ['', ...randomKeys(60, 13)]) {
      const bound = prefixUpperBound(prefix);
      for (const key of keys) {
        const inRange = compareKeys(key, prefix) >= 0 && (bound === undefined || compareKeys(key, bound) < 0);
        assert.equal(inRange, key.startsWith(prefix), `key ${JSON.stringify(key)}, prefix ${JSON.stringify(prefix)}`);
      }
    }
  });

  it('the bound skips the surrogate gap and carries past U+10FFFF', () => {
    assert.equal(prefixUpperBound('ab'), 'ac');
    assert.equal(prefixUpperBound('a\uD7FF'), 'a\uE000');
    assert.equal(prefixUpperBound('a\u{10FFFF}'), 'b');
    assert.equal(prefixUpperBound('\u{10FFFF}\u{10FFFF}'), undefined);
    assert.equal(prefixUpperBound(''), undefined);
  });
});
