// The one-time password code against the RFCs' own test vectors: RFC 4648 (Base32),
// RFC 4226 appendix D (HOTP) and RFC 6238 appendix B (TOTP, SHA-1/256/512, 8 digits).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, findConsecutiveCodes, hotp, timeStep, totp } from '../../../../src/services/iam/credentials/totp.ts';

describe('Base32 (RFC 4648 section 10)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of vectors) {
    it(`encodes "${plain}" as "${encoded}" (padding left out) and decodes it back`, () => {
      assert.equal(base32Encode(Buffer.from(plain)), encoded);
      assert.equal(base32Decode(encoded).toString(), plain);
    });
  }

  it('decodes padded, lower-case and spaced text', () => {
    assert.equal(base32Decode('mzxw 6ytb oi======').toString(), 'foobar');
  });

  it('refuses characters outside the alphabet', () => {
    assert.throws(() => base32Decode('MZXW1'));
  });

  it('round-trips a 20-byte seed into 32 characters', () => {
    const seed = Buffer.from('0123456789abcdefghij');
    const text = base32Encode(seed);
    assert.equal(text.length, 32);
    assert.deepEqual(base32Decode(text), seed);
  });
});

describe('HOTP (RFC 4226 appendix D)', () => {
  const secret = Buffer.from('12345678901234567890');
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => {
    it(`counter ${counter} gives ${code}`, () => assert.equal(hotp(secret, counter), code));
  });
});

describe('TOTP (RFC 6238 appendix B)', () => {
  const seeds = {
    sha1: Buffer.from('12345678901234567890'),
    sha256: Buffer.from('12345678901234567890123456789012'),
    sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const table: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [seconds, sha1, sha256, sha512] of table) {
    it(`at ${seconds} s: ${sha1} (SHA-1), ${sha256} (SHA-256), ${sha512} (SHA-512)`, () => {
      const at = new Date(seconds * 1000);
      assert.equal(totp(seeds.sha1, at, 8, 'sha1'), sha1);
      assert.equal(totp(seeds.sha256, at, 8, 'sha256'), sha256);
      assert.equal(totp(seeds.sha512, at, 8, 'sha512'), sha512);
    });
  }

  it('uses 30-second steps', () => {
    assert.equal(timeStep(new Date(59_000)), 1);
    assert.equal(timeStep(new Date(60_000)), 2);
  });

  it('finds two consecutive codes within the window and no further', () => {
    const seed = seeds.sha1;
    const at = new Date(1_700_000_000_000);
    const step = timeStep(at);
    const code = (s: number) => hotp(seed, s);
    assert.equal(findConsecutiveCodes(seed, code(step - 1), code(step), step, 2), step - 1);
    assert.equal(findConsecutiveCodes(seed, code(step), code(step - 1), step, 2), undefined);
    assert.equal(findConsecutiveCodes(seed, code(step - 10), code(step - 9), step, 2), undefined);
  });
});
