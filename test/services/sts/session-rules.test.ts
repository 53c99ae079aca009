// The session rules STS applies before issuing anything: durations, session tags,
// packed size, JWT verification and access key ids.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { RoleRecord } from '../../../src/services/iam/records.ts';
import { accessKeyIdFor, accountOfAccessKeyId } from '../../../src/services/sts/access-key-ids.ts';
import { parseJwt, verifyJwt, type Jwk } from '../../../src/services/sts/jwt.ts';
import {
  checkPackedSize,
  NO_SESSION_TAGS,
  roleSessionSeconds,
  sessionTags,
  userSessionSeconds,
} from '../../../src/services/sts/session-rules.ts';

const role = { maxSessionDuration: 7200 } as RoleRecord;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AwsError);
    return error.code;
  }
  assert.fail('expected an AwsError');
}

describe('STS session durations', () => {
  it('defaults role sessions to one hour and allows up to MaxSessionDuration', () => {
    assert.equal(roleSessionSeconds(undefined, role, false), 3600);
    assert.equal(roleSessionSeconds(7200, role, false), 7200);
    assert.equal(code(() => roleSessionSeconds(7201, role, false)), 'ValidationError');
  });

  it('caps chained role sessions at one hour even when the role allows more', () => {
    assert.equal(roleSessionSeconds(3600, role, true), 3600);
    assert.throws(() => roleSessionSeconds(3601, role, true), /1 hour session limit for roles assumed by role chaining/);
  });

  it('gives user sessions 12 hours by default and caps root at one hour', () => {
    assert.equal(userSessionSeconds(undefined, false), 43_200);
    assert.equal(userSessionSeconds(129_600, false), 129_600);
    assert.equal(userSessionSeconds(undefined, true), 3600);
  });
});

describe('STS session tags', () => {
  it('treats tag keys case-insensitively: a duplicate is InvalidParameterValue', () => {
    assert.equal(code(() => sessionTags([{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'b' }], undefined, NO_SESSION_TAGS)), 'InvalidParameterValue');
  });

  it('requires every transitive key to be one of the tags', () => {
    assert.equal(code(() => sessionTags([{ Key: 'team', Value: 'a' }], ['project'], NO_SESSION_TAGS)), 'InvalidParameterValue');
    assert.deepEqual(sessionTags([{ Key: 'team', Value: 'a' }], ['TEAM'], NO_SESSION_TAGS), { tags: { team: 'a' }, transitiveKeys: ['team'] });
  });

  it('carries inherited transitive tags and refuses to override them', () => {
    const inherited = { tags: { team: 'blue' }, transitiveKeys: ['team'] };
    assert.deepEqual(sessionTags([{ Key: 'env', Value: 'dev' }], undefined, inherited), {
      tags: { team: 'blue', env: 'dev' },
      transitiveKeys: ['team'],
    });
    assert.equal(code(() => sessionTags([{ Key: 'Team', Value: 'red' }], undefined, inherited)), 'InvalidParameterValue');
  });

  it('refuses the reserved aws: prefix', () => {
    assert.equal(code(() => sessionTags([{ Key: 'aws:x', Value: 'y' }], undefined, NO_SESSION_TAGS)), 'InvalidParameterValue');
  });
});

describe('STS packed policy size', () => {
  it('answers no size when nothing was passed, a percentage otherwise', () => {
    assert.equal(checkPackedSize(undefined, [], {}), undefined);
    const small = checkPackedSize('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}', [], {});
    assert.ok(small !== undefined && small > 0 && small < 10);
  });

  it('lets a maximal 2,048-character policy through', () => {
    const resources = Array.from({ length: 40 }, (_, i) => `"arn:aws:s3:::bucket-${(i * 7919).toString(36)}-${i}/*"`);
    let policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[${resources.join(',')}]}]}`;
    policy = policy.slice(0, 2048);
    assert.ok(checkPackedSize(policy, [], {})! <= 100);
  });

  it('fails past 100% with PackedPolicyTooLarge, naming the tags when they fill it', () => {
    // Incompressible text: a chain of SHA-256 digests.
    const random = (seed: number, n: number) =>
      Array.from({ length: Math.ceil(n / 43) }, (_, i) => createHash('sha256').update(`${seed}/${i}`).digest('base64url')).join('').slice(0, n);
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key-${random(i, 60)}`, random(i + 7, 200)]));
    assert.throws(() => checkPackedSize(undefined, [], tags), (error: AwsError) => {
      assert.equal(error.code, 'PackedPolicyTooLargeException');
      assert.match(error.message, /^Packed size of session tags consumes \d+% of allotted space\.$/);
      return true;
    });
  });
});

describe('STS web identity JWT verification', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  function token(alg: string, key: Parameters<typeof sign>[2], hash: string, ecdsa = false): string {
    const input = `${b64({ alg, kid: 'k1' })}.${b64({ sub: 'x' })}`;
    const signature = sign(hash, Buffer.from(input), ecdsa ? { key: key as never, dsaEncoding: 'ieee-p1363' } : key);
    return `${input}.${signature.toString('base64url')}`;
  }

  it('verifies ES256 against the matching JWK and refuses an alg the key does not have', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk: Jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' };
    assert.equal(verifyJwt(parseJwt(token('ES256', pair.privateKey, 'sha256', true)), [jwk]), true);
    // Same signature bytes but a header claiming ES384: the key's alg does not match.
    const forged = token('ES256', pair.privateKey, 'sha256', true).replace(/^[^.]+/, b64({ alg: 'ES384', kid: 'k1' }));
    assert.equal(verifyJwt(parseJwt(forged), [jwk]), false);
  });

  it('refuses HMAC and none algorithms before looking at keys', () => {
    assert.throws(() => parseJwt(`${b64({ alg: 'HS256' })}.${b64({})}.c2ln`), /Unsupported JWT signing algorithm/);
    assert.throws(() => parseJwt(`${b64({ alg: 'none' })}.${b64({})}.`), /not a signed JWT/);
  });
});

describe('STS access key ids', () => {
  it('encodes the account in the ids Bulwark issues, the way GetAccessKeyInfo reads AWS ids', () => {
    for (const account of ['123456789012', '000000000001', '999999999999']) {
      const id = accessKeyIdFor('ASIA', account);
      assert.match(id, /^ASIA[A-Z2-7]{16}$/);
      assert.equal(accountOfAccessKeyId(id), account);
    }
  });
});
