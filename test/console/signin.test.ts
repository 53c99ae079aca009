// The console's sign-in endpoint (POST /console/api/signin) and its hosting: password,
// MFA and root sign-in, ConsoleLogin events in CloudTrail, lockout after repeated
// failures, passwords that must be changed, sign-out that revokes the session, and the
// security headers of every console response.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CreateVirtualMFADeviceCommand,
  DeleteLoginProfileCommand,
  GetAccountSummaryCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import type { RunningServer } from '../../src/server/server.ts';
import { LOCKOUT_MS, MAX_FAILURES, SIGN_IN_MESSAGES } from '../../src/server/console-signin.ts';
import { base32Decode, hotp } from '../../src/services/iam/credentials/totp.ts';
import { startTestServer, TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';
import { consoleLogins, consoleUser, enableMfa, iamAsRoot, postJson, recordsOf, signIn, startConsoleServer, type Credentials } from './fixtures.ts';

const run = promisify(execFile);
const PASSWORD = 'Correct-Horse-7';

/** The keys alone (the SDK would read an ISO `expiration` string as a Date). */
function sessionKeys({ accessKeyId, secretAccessKey, sessionToken }: Credentials): Credentials {
  return { accessKeyId, secretAccessKey, sessionToken };
}

function callerIdentity(server: RunningServer, credentials: Credentials) {
  return new STSClient({ endpoint: server.url, region: TEST_REGION, credentials: sessionKeys(credentials) }).send(new GetCallerIdentityCommand({}));
}

describe('console sign-in', () => {
  let server: RunningServer;
  before(async () => {
    server = await startConsoleServer();
  });
  after(() => server.close());

  it('a fresh server made a random root password, and root signs in with it', async () => {
    assert.match(server.rootPassword ?? '', /^.{24}$/);
    const { status, body } = await signIn(server, { account: TEST_ACCOUNT, root: true, password: server.rootPassword });
    assert.equal(status, 200);
    assert.equal(body.status, 'SignedIn');
    assert.deepEqual(body.identity, { type: 'Root', accountId: TEST_ACCOUNT, arn: `arn:aws:iam::${TEST_ACCOUNT}:root` });
    const identity = await callerIdentity(server, body.credentials!);
    assert.equal(identity.Arn, `arn:aws:iam::${TEST_ACCOUNT}:root`);
  });

  it('a wrong password is refused (401) and recorded as a failed ConsoleLogin', async () => {
    await consoleUser(server, 'wrong-pw', PASSWORD);
    const { status, body } = await signIn(server, { account: TEST_ACCOUNT, userName: 'wrong-pw', password: 'Not-The-Password-1' });
    assert.equal(status, 401);
    assert.deepEqual(body, { status: 'Failed', error: 'FailedAuthentication', message: SIGN_IN_MESSAGES.failed });
    const [event] = await consoleLogins(server);
    assert.equal(event.eventType, 'AwsConsoleSignIn');
    assert.equal(event.eventSource, 'signin.amazonaws.com');
    assert.equal(event.userIdentity.userName, 'wrong-pw');
    assert.deepEqual(event.responseElements, { ConsoleLogin: 'Failure' });
    assert.equal(event.errorMessage, 'Failed authentication');
    assert.equal(event.additionalEventData.MFAUsed, 'No');
  });

  it('an unknown user is refused the same way, and the record does not name it', async () => {
    const { status, body } = await signIn(server, { account: TEST_ACCOUNT, userName: 'nobody-here', password: PASSWORD });
    assert.equal(status, 401);
    assert.equal(body.message, SIGN_IN_MESSAGES.failed);
    const [event] = await consoleLogins(server);
    assert.equal(event.userIdentity.userName, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  });

  it('a user with MFA is asked for the code, then signs in with it: MFAUsed Yes, aws:MultiFactorAuthPresent', async () => {
    await consoleUser(server, 'with-mfa', PASSWORD);
    const code = await enableMfa(server, 'with-mfa');
    const first = await signIn(server, { account: TEST_ACCOUNT, userName: 'with-mfa', password: PASSWORD });
    assert.deepEqual(first, { status: 200, body: { status: 'MfaRequired' } });
    const wrong = await signIn(server, { account: TEST_ACCOUNT, userName: 'with-mfa', password: PASSWORD, mfaCode: code() === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 401);
    assert.equal((await consoleLogins(server))[0].additionalEventData.MFAUsed, 'Yes');
    const { status, body } = await signIn(server, { account: TEST_ACCOUNT, userName: 'with-mfa', password: PASSWORD, mfaCode: code() });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.mfaUsed, true);
    const identity = await callerIdentity(server, body.credentials!);
    assert.equal(identity.Arn, `arn:aws:iam::${TEST_ACCOUNT}:user/with-mfa`);
    const [event] = await consoleLogins(server);
    assert.deepEqual(event.responseElements, { ConsoleLogin: 'Success' });
    assert.equal(event.additionalEventData.MFAUsed, 'Yes');
    // The session's own calls are recorded as MFA-authenticated.
    const [call] = await recordsOf(server, 'GetCallerIdentity');
    assert.equal(call.userIdentity.userName, 'with-mfa');
    assert.equal(call.userIdentity.sessionContext.attributes.mfaAuthenticated, 'true');
  });

  it(`locks a name out after ${MAX_FAILURES} failures, even for the right password, until the lockout ends`, async () => {
    await consoleUser(server, 'locked', PASSWORD);
    for (let i = 0; i < MAX_FAILURES; i++) {
      assert.equal((await signIn(server, { account: TEST_ACCOUNT, userName: 'locked', password: `Wrong-${i}-pass` })).status, 401);
    }
    const refused = await signIn(server, { account: TEST_ACCOUNT, userName: 'locked', password: PASSWORD });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'LockedOut');
    server.clock.advance(LOCKOUT_MS + 1000);
    assert.equal((await signIn(server, { account: TEST_ACCOUNT, userName: 'locked', password: PASSWORD })).body.status, 'SignedIn');
  });

  it('a password that must be reset is changed before the session starts, under the password policy', async () => {
    await consoleUser(server, 'reset-me', PASSWORD, true);
    const first = await signIn(server, { account: TEST_ACCOUNT, userName: 'reset-me', password: PASSWORD });
    assert.equal(first.body.status, 'PasswordChangeRequired');
    const weak = await signIn(server, { account: TEST_ACCOUNT, userName: 'reset-me', password: PASSWORD, newPassword: 'short' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error, 'PasswordPolicyViolationException');
    const changed = await signIn(server, { account: TEST_ACCOUNT, userName: 'reset-me', password: PASSWORD, newPassword: 'Brand-New-Pass-8' });
    assert.equal(changed.body.status, 'SignedIn');
    assert.equal((await signIn(server, { account: TEST_ACCOUNT, userName: 'reset-me', password: PASSWORD })).status, 401);
    assert.equal((await signIn(server, { account: TEST_ACCOUNT, userName: 'reset-me', password: 'Brand-New-Pass-8' })).body.status, 'SignedIn');
  });

  it('an expired password (MaxPasswordAge) must be changed', async () => {
    const other = await startConsoleServer();
    try {
      await consoleUser(other, 'aging', PASSWORD);
      await iamAsRoot(other).send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 30, AllowUsersToChangePassword: true }));
      other.clock.advance(31 * 86_400_000);
      assert.equal((await signIn(other, { account: TEST_ACCOUNT, userName: 'aging', password: PASSWORD })).body.status, 'PasswordChangeRequired');
    } finally {
      await other.close();
    }
  });

  it('sign-out deactivates the session credentials: they stop working at once', async () => {
    await consoleUser(server, 'leaving', PASSWORD);
    const { body } = await signIn(server, { account: TEST_ACCOUNT, userName: 'leaving', password: PASSWORD });
    const credentials = body.credentials!;
    await callerIdentity(server, credentials);
    const wrongToken = await postJson(server, '/console/api/signout', { accessKeyId: credentials.accessKeyId, sessionToken: 'x' });
    assert.equal(wrongToken.status, 404);
    const out = await postJson(server, '/console/api/signout', { accessKeyId: credentials.accessKeyId, sessionToken: credentials.sessionToken });
    assert.deepEqual(out, { status: 200, body: { status: 'SignedOut' } });
    await assert.rejects(callerIdentity(server, credentials), { name: 'InvalidClientTokenId' });
  });

  it('signs in by account alias too', async () => {
    const iam = iamAsRoot(server);
    const { CreateAccountAliasCommand } = await import('@aws-sdk/client-iam');
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'console-test' }));
    await consoleUser(server, 'by-alias', PASSWORD);
    assert.equal((await signIn(server, { account: 'console-test', userName: 'by-alias', password: PASSWORD })).body.status, 'SignedIn');
  });

  it("assigns the root user's MFA device for a live root session only, recorded as EnableMFADevice; root then needs the code", async () => {
    const other = await startConsoleServer();
    try {
      const root = (await signIn(other, { account: TEST_ACCOUNT, root: true, password: other.rootPassword })).body.credentials!;
      const iam = new IAMClient({ endpoint: other.url, region: TEST_REGION, credentials: sessionKeys(root) });
      const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'root-mfa' }));
      const seed = base32Decode(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('ascii'));
      const step = Math.floor(other.clock.nowMs() / 30_000);
      const request = { serialNumber: VirtualMFADevice!.SerialNumber, authenticationCode1: hotp(seed, step - 2), authenticationCode2: hotp(seed, step - 1) };

      await consoleUser(other, 'not-root', PASSWORD);
      const user = (await signIn(other, { account: TEST_ACCOUNT, userName: 'not-root', password: PASSWORD })).body.credentials!;
      assert.equal((await postJson(other, '/console/api/root-mfa', { ...request, accessKeyId: user.accessKeyId, sessionToken: user.sessionToken })).status, 403);
      assert.equal((await postJson(other, '/console/api/root-mfa', { ...request, accessKeyId: root.accessKeyId, sessionToken: 'forged' })).status, 403);
      const wrongCodes = await postJson(other, '/console/api/root-mfa', { ...request, authenticationCode1: '000000', accessKeyId: root.accessKeyId, sessionToken: root.sessionToken });
      assert.equal(wrongCodes.body.error, 'InvalidAuthenticationCodeException');

      const enabled = await postJson(other, '/console/api/root-mfa', { ...request, accessKeyId: root.accessKeyId, sessionToken: root.sessionToken });
      assert.deepEqual(enabled, { status: 200, body: { status: 'Enabled' } });
      const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
      assert.equal(SummaryMap?.AccountMFAEnabled, 1);
      assert.equal(SummaryMap?.AccountPasswordPresent, 1);
      assert.equal(SummaryMap?.AccountAccessKeysPresent, 0);
      const [event] = await recordsOf(other, 'EnableMFADevice');
      assert.equal(event.userIdentity.type, 'Root');
      assert.equal(event.errorCode, undefined);
      assert.equal(event.requestParameters.serialNumber, VirtualMFADevice!.SerialNumber);

      assert.equal((await signIn(other, { account: TEST_ACCOUNT, root: true, password: other.rootPassword })).body.status, 'MfaRequired');
      const withCode = await signIn(other, { account: TEST_ACCOUNT, root: true, password: other.rootPassword, mfaCode: hotp(seed, step) });
      assert.equal(withCode.body.status, 'SignedIn');
    } finally {
      await other.close();
    }
  });

  it('refuses malformed requests, non-JSON bodies and other origins', async () => {
    assert.equal((await signIn(server, { account: 'x', password: PASSWORD })).status, 400);
    assert.equal((await signIn(server, { account: TEST_ACCOUNT, userName: 'a', password: PASSWORD, mfaCode: '12' })).status, 400);
    const form = await fetch(`${server.url}/console/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'account=123456789012',
    });
    assert.equal(form.status, 415);
    const crossSite = await fetch(`${server.url}/console/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ account: TEST_ACCOUNT, root: true, password: server.rootPassword }),
    });
    assert.equal(crossSite.status, 403);
  });

  it('console responses carry a strict Content-Security-Policy', async () => {
    const response = await fetch(`${server.url}/console/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await fetch(`${server.url}/console/..%2fpackage.json`)).status, 404);
    assert.equal((await fetch(`${server.url}/console/assets/..%2f..%2f..%2fpackage.json`)).status, 404);
  });
});

describe('the root password made at start', () => {
  it("is long enough for the account's password policy", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulwark-root-'));
    try {
      const store = `sqlite:${join(dir, 'bulwark.db')}`;
      const first = await startTestServer({ store });
      const iam = iamAsRoot(first);
      await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 40 }));
      await iam.send(new DeleteLoginProfileCommand({}));
      await first.close();
      const second = await startTestServer({ store });
      try {
        assert.ok((second.rootPassword?.length ?? 0) >= 40, second.rootPassword);
        assert.equal((await signIn(second, { account: TEST_ACCOUNT, root: true, password: second.rootPassword })).body.status, 'SignedIn');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bulwark root-password', () => {
  it('sets the root password in the store; a server on that store makes none and signs root in with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulwark-root-'));
    try {
      const store = `sqlite:${join(dir, 'bulwark.db')}`;
      const child = run(process.execPath, ['src/cli/main.ts', 'root-password', '--store', store]);
      child.child.stdin!.end('Root-Password-42\n');
      await child;
      const server = await startTestServer({ store });
      try {
        assert.equal(server.rootPassword, undefined);
        const { body } = await signIn(server, { account: TEST_ACCOUNT, root: true, password: 'Root-Password-42' });
        assert.equal(body.status, 'SignedIn');
      } finally {
        await server.close();
      }
      const generated = await run(process.execPath, ['src/cli/main.ts', 'root-password', '--generate', '--store', store]);
      assert.match(generated.stdout, /^.{24}\n$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
