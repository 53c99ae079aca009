// STS handlers called directly with a memory store: what the session principals hold,
// MFA through an injected verifier, and the outbound tokens' signatures.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import type { AssumedRolePrincipal, IamUserPrincipal, Principal } from '../../../src/auth/principal.ts';
import { rootPrincipal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { ACCESS_KEYS, type StoredCredential } from '../../../src/services/credentials.ts';
import { COLLECTIONS, entityKey, type RoleRecord } from '../../../src/services/iam/records.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { outboundJwks, stsHandlers } from '../../../src/services/sts/index.ts';
import { useMfaVerifier } from '../../../src/services/sts/mfa.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

const ACCOUNT = '123456789012';
const NOW = new Date('2025-06-01T12:00:00Z');
const USER: IamUserPrincipal = { type: 'IAMUser', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ops`, userId: 'AIDAOPS000000000000', userName: 'ops', path: '/' };

function roleRecord(name: string, trust: object): RoleRecord {
  return {
    accountId: ACCOUNT,
    path: '/',
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    createDate: NOW.toISOString(),
    tags: [{ Key: 'dept', Value: 'eng' }],
    roleName: name,
    roleId: `AROA${name.toUpperCase().padEnd(17, 'X')}`,
    assumeRolePolicyDocument: JSON.stringify(trust),
    maxSessionDuration: 3600,
  };
}

describe('STS handlers', () => {
  let store: Store;
  before(async () => {
    store = await openStore('memory:');
    await store.put(ACCESS_KEYS, 'AKIAOPSUSERKEY000001', { secretAccessKey: 's', principal: USER, active: true } satisfies StoredCredential);
    const mfaTrust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: USER.arn },
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '300' }, StringEquals: { 'aws:SourceIp': '10.0.0.5' } },
        },
      ],
    };
    await store.put(COLLECTIONS.roles, entityKey(ACCOUNT, 'admin'), roleRecord('admin', mfaTrust));
  });
  after(() => store.close());
  afterEach(() => useMfaVerifier(undefined));

  function context(principal: Principal, accessKeyId?: string): RequestContext {
    return {
      requestId: 'r1',
      principal,
      accessKeyId,
      region: 'eu-west-1',
      now: NOW,
      clock: new Clock(),
      store,
      defaultAccountId: ACCOUNT,
      sourceIp: '10.0.0.5',
    };
  }

  const assume = async (input: Record<string, unknown>, ctx: RequestContext) =>
    stsHandlers.AssumeRole!({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, RoleSessionName: 'ops-session', ...input }, ctx);

  it('AssumeRole with a right MFA code fills the session principal completely', async () => {
    const calls: unknown[][] = [];
    useMfaVerifier((...args) => {
      calls.push(args.slice(1));
      return args[4] === '123456';
    });
    const out = await assume({ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/ops`, TokenCode: '123456', SourceIdentity: 'ops@corp' }, context(USER, 'AKIAOPSUSERKEY000001'));
    assert.deepEqual(calls, [[ACCOUNT, 'ops', `arn:aws:iam::${ACCOUNT}:mfa/ops`, '123456', NOW]]);
    assert.equal(out.SourceIdentity, 'ops@corp');
    const stored = await store.get<StoredCredential>(ACCESS_KEYS, out.Credentials!.AccessKeyId);
    const principal = stored!.principal as AssumedRolePrincipal;
    assert.equal(stored!.mfaAuthenticated, true);
    assert.equal(stored!.expiresAt, '2025-06-01T13:00:00.000Z');
    assert.deepEqual(
      { ...principal },
      {
        type: 'AssumedRole',
        accountId: ACCOUNT,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/ops-session`,
        userId: `${roleRecord('admin', {}).roleId}:ops-session`,
        roleName: 'admin',
        roleId: roleRecord('admin', {}).roleId,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/admin`,
        rolePath: '/',
        sessionName: 'ops-session',
        issuedAt: '2025-06-01T12:00:00Z',
        mfaAuthenticated: true,
        sourceIdentity: 'ops@corp',
      },
    );
    const role = await store.get<RoleRecord>(COLLECTIONS.roles, entityKey(ACCOUNT, 'admin'));
    assert.deepEqual(role!.lastUsed, { date: NOW.toISOString(), region: 'eu-west-1' });
  });

  it('AssumeRole without MFA fails the trust condition; a wrong code is AccessDenied with AWS message', async () => {
    await assert.rejects(assume({}, context(USER, 'AKIAOPSUSERKEY000001')), (error: AwsError) => error.code === 'AccessDenied');
    useMfaVerifier(() => false);
    await assert.rejects(assume({ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/ops`, TokenCode: '000000' }, context(USER, 'AKIAOPSUSERKEY000001')), {
      message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    });
  });

  it('refuses root access keys Bulwark issued: "Roles may not be assumed by root accounts."', async () => {
    await store.put(ACCESS_KEYS, 'AKIAROOTKEY000000001', { secretAccessKey: 's', principal: rootPrincipal(ACCOUNT), active: true } satisfies StoredCredential);
    await assert.rejects(assume({}, context(rootPrincipal(ACCOUNT), 'AKIAROOTKEY000000001')), { message: 'Roles may not be assumed by root accounts.' });
  });

  it('GetWebIdentityToken signs with a key its JWKS publishes', async () => {
    await store.put(COLLECTIONS.accountSettings, ACCOUNT, { outboundFederation: { enabled: true, issuerIdentifier: 'https://x.tokens.sts.global.api.aws' } });
    const out = await stsHandlers.GetWebIdentityToken!({ Audience: ['a', 'b'], SigningAlgorithm: 'RS256' }, context(USER, 'AKIAOPSUSERKEY000001'));
    const [header, payload, signature] = out.WebIdentityToken!.split('.');
    const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string };
    const jwk = (await outboundJwks(store, ACCOUNT)).keys.find((key) => (key as { kid?: string }).kid === kid)!;
    const ok = verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature!, 'base64url'));
    assert.equal(ok, true);
    assert.deepEqual(JSON.parse(Buffer.from(payload!, 'base64url').toString()).aud, ['a', 'b']);
    assert.equal(out.Expiration!.getTime(), NOW.getTime() + 300_000);
  });
});
