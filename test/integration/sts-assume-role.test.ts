// sts:AssumeRole end to end: trust policies decide, sessions authenticate as the
// assumed role until they expire on Bulwark's clock, and chaining is capped at 1 h.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const ACCOUNT_ROOT = `arn:aws:iam::${TEST_ACCOUNT}:root`;

function trust(principal: Record<string, unknown>, condition?: Record<string, unknown>, actions: string[] = ['sts:AssumeRole']): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: actions, ...(condition ? { Condition: condition } : {}) }],
  });
}

describe('sts:AssumeRole', () => {
  let server: RunningServer;
  let iam: IAMClient;
  before(async () => {
    server = await startTestServer();
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
  });
  after(() => server.close());

  function sts(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = DUMMY_CREDENTIALS, clockOffsetMs = 0) {
    return new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, systemClockOffset: clockOffsetMs, maxAttempts: 1 });
  }

  function asSession(credentials: Credentials | undefined, clockOffsetMs = 0) {
    assert.ok(credentials);
    return sts(
      { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken! },
      clockOffsetMs,
    );
  }

  async function createRole(name: string, document: string, maxSessionDuration?: number) {
    const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: document, MaxSessionDuration: maxSessionDuration }));
    return out.Role!;
  }

  /** Sessions of this role may call sts:AssumeRole and sts:TagSession (their identity-side permission). */
  async function allowAssumingRoles(roleName: string) {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }],
    });
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'assume-roles', PolicyDocument: document }));
  }

  async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
    try {
      await promise;
    } catch (error) {
      const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
      return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
    }
    assert.fail('expected the call to fail');
  }

  it('issues ASIA credentials and an assumed-role user for a caller the trust policy names', async () => {
    const role = await createRole('reader', trust({ AWS: ACCOUNT_ROOT }));
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'alice' }));
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(out.Credentials!.SecretAccessKey!.length, 40);
    assert.ok(out.Credentials!.SessionToken!.length > 300);
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/reader/alice`);
    assert.equal(out.AssumedRoleUser!.AssumedRoleId, `${role.RoleId}:alice`);
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 3500_000 && lifetime <= 3601_000, `default session is one hour, got ${lifetime} ms`);
  });

  it('GetCallerIdentity with session credentials answers the assumed-role ARN and AROA...:session', async () => {
    const role = await createRole('whoami', trust({ AWS: ACCOUNT_ROOT }));
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'probe' }));
    const me = await asSession(out.Credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/whoami/probe`);
    assert.equal(me.UserId, `${role.RoleId}:probe`);
    assert.equal(me.Account, TEST_ACCOUNT);
  });

  it('records RoleLastUsed on the role', async () => {
    const role = await createRole('tracked', trust({ AWS: ACCOUNT_ROOT }));
    await sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 's1' }));
    const got = await iam.send(new GetRoleCommand({ RoleName: 'tracked' }));
    assert.equal(got.Role!.RoleLastUsed?.Region, 'us-east-1');
    assert.ok(got.Role!.RoleLastUsed?.LastUsedDate instanceof Date);
  });

  it('refuses a caller the trust policy does not name: AccessDenied, 403, with AWS message', async () => {
    const role = await createRole('foreign-only', trust({ AWS: 'arn:aws:iam::210987654321:root' }));
    const error = await rejection(sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'x1' })));
    assert.equal(error.name, 'AccessDenied');
    assert.equal(error.status, 403);
    assert.equal(error.message, `User: ${ACCOUNT_ROOT} is not authorized to perform: sts:AssumeRole on resource: ${role.Arn}`);
  });

  it('answers a role that does not exist exactly like a denial', async () => {
    const arn = `arn:aws:iam::${TEST_ACCOUNT}:role/nobody`;
    const error = await rejection(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'x1' })));
    assert.equal(error.name, 'AccessDenied');
    assert.equal(error.message, `User: ${ACCOUNT_ROOT} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  });

  it('checks sts:ExternalId against the trust policy condition', async () => {
    const role = await createRole('vendor', trust({ AWS: ACCOUNT_ROOT }, { StringEquals: { 'sts:ExternalId': 'secret-123' } }));
    const missing = await rejection(sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'v1' })));
    assert.equal(missing.name, 'AccessDenied');
    const wrong = await rejection(sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'v1', ExternalId: 'guess-1' })));
    assert.equal(wrong.name, 'AccessDenied');
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'v1', ExternalId: 'secret-123' }));
    assert.ok(out.Credentials?.AccessKeyId);
  });

  it("rejects DurationSeconds above the role's MaxSessionDuration: ValidationError", async () => {
    const role = await createRole('short', trust({ AWS: ACCOUNT_ROOT }));
    const error = await rejection(sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'd1', DurationSeconds: 7200 })));
    assert.equal(error.name, 'ValidationError');
    assert.equal(error.message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const ok = await sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'd1', DurationSeconds: 900 }));
    const lifetime = ok.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 800_000 && lifetime <= 901_000);
  });

  it('caps role chaining at one hour, whatever the role allows', async () => {
    const first = await createRole('hop-one', trust({ AWS: ACCOUNT_ROOT }));
    await allowAssumingRoles('hop-one');
    const second = await createRole('hop-two', trust({ AWS: first.Arn }), 43_200);
    const session = await sts().send(new AssumeRoleCommand({ RoleArn: first.Arn, RoleSessionName: 'chain' }));
    const chained = asSession(session.Credentials);
    const error = await rejection(chained.send(new AssumeRoleCommand({ RoleArn: second.Arn, RoleSessionName: 'chain2', DurationSeconds: 7200 })));
    assert.equal(error.name, 'ValidationError');
    assert.equal(error.message, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    const out = await chained.send(new AssumeRoleCommand({ RoleArn: second.Arn, RoleSessionName: 'chain2', DurationSeconds: 3600 }));
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/hop-two/chain2`);
    // The same role directly (not chained) may have its full 12 hours.
    const direct = await createRole('hop-direct', trust({ AWS: ACCOUNT_ROOT }), 43_200);
    const long = await sts().send(new AssumeRoleCommand({ RoleArn: direct.Arn, RoleSessionName: 'long', DurationSeconds: 43_200 }));
    assert.ok(long.Credentials!.Expiration!.getTime() - Date.now() > 43_000_000);
  });

  it('a trust policy naming the role session ARN admits only that session', async () => {
    const first = await createRole('origin', trust({ AWS: ACCOUNT_ROOT }));
    await allowAssumingRoles('origin');
    const target = await createRole('target', trust({ AWS: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/origin/allowed` }));
    const allowed = await sts().send(new AssumeRoleCommand({ RoleArn: first.Arn, RoleSessionName: 'allowed' }));
    const other = await sts().send(new AssumeRoleCommand({ RoleArn: first.Arn, RoleSessionName: 'other' }));
    await asSession(allowed.Credentials).send(new AssumeRoleCommand({ RoleArn: target.Arn, RoleSessionName: 'next' }));
    const error = await rejection(asSession(other.Credentials).send(new AssumeRoleCommand({ RoleArn: target.Arn, RoleSessionName: 'next' })));
    assert.equal(error.name, 'AccessDenied');
    assert.match(error.message, /assumed-role\/origin\/other is not authorized to perform: sts:AssumeRole/);
  });

  it('session tags need sts:TagSession in the trust policy and reach aws:PrincipalTag of chained sessions when transitive', async () => {
    const untagged = await createRole('no-tags', trust({ AWS: ACCOUNT_ROOT }));
    const denied = await rejection(
      sts().send(new AssumeRoleCommand({ RoleArn: untagged.Arn, RoleSessionName: 't1', Tags: [{ Key: 'team', Value: 'blue' }] })),
    );
    assert.equal(denied.name, 'AccessDenied');
    assert.match(denied.message, /sts:TagSession/);

    const tagged = await createRole('tags-ok', trust({ AWS: ACCOUNT_ROOT }, undefined, ['sts:AssumeRole', 'sts:TagSession']));
    await allowAssumingRoles('tags-ok');
    const next = await createRole(
      'blue-only',
      trust({ AWS: tagged.Arn }, { StringEquals: { 'aws:PrincipalTag/team': 'blue' } }, ['sts:AssumeRole', 'sts:TagSession']),
    );
    const transitive = await sts().send(
      new AssumeRoleCommand({ RoleArn: tagged.Arn, RoleSessionName: 't2', Tags: [{ Key: 'team', Value: 'blue' }], TransitiveTagKeys: ['team'] }),
    );
    assert.ok((transitive.PackedPolicySize ?? 0) > 0);
    const chained = await asSession(transitive.Credentials).send(new AssumeRoleCommand({ RoleArn: next.Arn, RoleSessionName: 't3' }));
    assert.ok(chained.Credentials);
    // A chained session cannot override a transitive tag.
    const override = await rejection(
      asSession(transitive.Credentials).send(
        new AssumeRoleCommand({ RoleArn: next.Arn, RoleSessionName: 't4', Tags: [{ Key: 'team', Value: 'red' }] }),
      ),
    );
    assert.equal(override.name, 'InvalidParameterValue');
  });

  it('session credentials expire on Bulwark\'s clock: ExpiredToken', async () => {
    const role = await createRole('ephemeral', trust({ AWS: ACCOUNT_ROOT }));
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'tick' }));
    await asSession(out.Credentials).send(new GetCallerIdentityCommand({}));
    const res = await fetch(`${server.url}/_bulwark/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 3601 }) });
    assert.equal(res.status, 200);
    // Clients sign with the machine's time; only the credential's expiry (Bulwark's time) fails the call.
    const error = await rejection(asSession(out.Credentials).send(new GetCallerIdentityCommand({})));
    assert.equal(error.name, 'ExpiredToken');
    assert.equal(error.message, 'The security token included in the request is expired');
  });
});
