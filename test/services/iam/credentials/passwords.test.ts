// Console passwords at the handler level: login profiles, ChangePassword, the account
// password policy and what it enforces, and the check the console sign-in uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CREDENTIAL_STORE, ROOT_USER_NAME, type LoginProfileRecord } from '../../../../src/services/iam/records.ts';
import { verifyConsolePassword } from '../../../../src/services/iam/credentials/index.ts';
import { ACCOUNT, awsError, iam } from './context.ts';

const GOOD = 'Correct-Horse-7';
const DAY = 86_400_000;

describe('CreateLoginProfile / GetLoginProfile / DeleteLoginProfile', () => {
  it('creates a profile and never stores the password in clear', async () => {
    const api = await iam();
    await api.user('alice');
    const { LoginProfile } = await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD, PasswordResetRequired: true });
    assert.deepEqual(LoginProfile, { UserName: 'alice', CreateDate: api.now(), PasswordResetRequired: true });
    const stored = await api.store.get<LoginProfileRecord>(CREDENTIAL_STORE.loginProfiles, `${ACCOUNT}/alice`);
    assert.ok(stored?.passwordHash?.startsWith('scrypt$'));
    assert.ok(!JSON.stringify(stored).includes(GOOD));
    const got = await api.call('GetLoginProfile', { UserName: 'alice' });
    assert.deepEqual(got.LoginProfile, LoginProfile);
  });

  it('a second profile: EntityAlreadyExists', async () => {
    const api = await iam();
    await api.user('alice');
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    await assert.rejects(
      api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD }),
      awsError('EntityAlreadyExistsException', 'Login Profile for user alice already exists.'),
    );
  });

  it('no profile: NoSuchEntity "Login Profile for User bob cannot be found."', async () => {
    const api = await iam();
    await api.user('bob');
    const missing = awsError('NoSuchEntityException', 'Login Profile for User bob cannot be found.');
    await assert.rejects(api.call('GetLoginProfile', { UserName: 'bob' }), missing);
    await assert.rejects(api.call('DeleteLoginProfile', { UserName: 'bob' }), missing);
    await assert.rejects(api.call('UpdateLoginProfile', { UserName: 'bob', Password: GOOD }), missing);
  });

  it('DeleteUser refuses while the user has a profile; DeleteLoginProfile lets it go', async () => {
    const api = await iam();
    await api.user('alice');
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    await assert.rejects(
      api.call('DeleteUser', { UserName: 'alice' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must delete login profile first.'),
    );
    await api.call('DeleteLoginProfile', { UserName: 'alice' });
    await api.call('DeleteUser', { UserName: 'alice' });
  });

  it('the root user gets a root login profile (no UserName), checked by verifyConsolePassword', async () => {
    const api = await iam();
    const { LoginProfile } = await api.call('CreateLoginProfile', { Password: GOOD });
    assert.equal(LoginProfile.UserName, undefined);
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, ROOT_USER_NAME, GOOD, api.now()), { ok: true, mustChangePassword: false });
  });
});

describe('the default password policy (no account policy)', () => {
  it('requires 8 characters and three of the four character types', async () => {
    const api = await iam();
    await api.user('alice');
    for (const weak of ['Ab1!', 'abcdefgh1', 'ABCDEFGHIJ']) {
      await assert.rejects(
        api.call('CreateLoginProfile', { UserName: 'alice', Password: weak }),
        awsError('PasswordPolicyViolationException'),
        weak,
      );
    }
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: 'abcdefG1' });
  });
});

describe('UpdateAccountPasswordPolicy / GetAccountPasswordPolicy / DeleteAccountPasswordPolicy', () => {
  it('no policy: NoSuchEntity "The Password Policy with domain name <account> cannot be found."', async () => {
    const api = await iam();
    const missing = awsError('NoSuchEntityException', `The Password Policy with domain name ${ACCOUNT} cannot be found.`);
    await assert.rejects(api.call('GetAccountPasswordPolicy', {}), missing);
    await assert.rejects(api.call('DeleteAccountPasswordPolicy', {}), missing);
  });

  it('stores the policy; parameters left out take their defaults; ExpirePasswords follows MaxPasswordAge', async () => {
    const api = await iam();
    await api.call('UpdateAccountPasswordPolicy', { RequireNumbers: true, MaxPasswordAge: 90, PasswordReusePrevention: 3 });
    const { PasswordPolicy } = await api.call('GetAccountPasswordPolicy', {});
    assert.deepEqual(PasswordPolicy, {
      MinimumPasswordLength: 6,
      RequireSymbols: false,
      RequireNumbers: true,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 3,
    });
    await api.call('UpdateAccountPasswordPolicy', { MinimumPasswordLength: 10 });
    const replaced = await api.call('GetAccountPasswordPolicy', {});
    assert.equal(replaced.PasswordPolicy.RequireNumbers, false);
    assert.equal(replaced.PasswordPolicy.ExpirePasswords, false);
    assert.equal(replaced.PasswordPolicy.MaxPasswordAge, undefined);
    await api.call('DeleteAccountPasswordPolicy', {});
    await assert.rejects(api.call('GetAccountPasswordPolicy', {}), awsError('NoSuchEntityException'));
  });

  const rules: [string, Record<string, unknown>, string, string][] = [
    ['MinimumPasswordLength', { MinimumPasswordLength: 12 }, 'Short-pass1', 'Password should have a minimum length of 12'],
    ['RequireUppercaseCharacters', { RequireUppercaseCharacters: true }, 'lowercase-only-1', 'Password should have at least one uppercase letter'],
    ['RequireLowercaseCharacters', { RequireLowercaseCharacters: true }, 'UPPERCASE-ONLY-1', 'Password should have at least one lowercase letter'],
    ['RequireNumbers', { RequireNumbers: true }, 'No-Numbers-Here', 'Password should have at least one number'],
    ['RequireSymbols', { RequireSymbols: true }, 'NoSymbolsHere1', 'Password should have at least one symbol'],
  ];
  for (const [rule, policy, bad, message] of rules) {
    it(`${rule} is enforced on CreateLoginProfile: PasswordPolicyViolation "${message}"`, async () => {
      const api = await iam();
      await api.user('alice');
      await api.call('UpdateAccountPasswordPolicy', policy);
      await assert.rejects(
        api.call('CreateLoginProfile', { UserName: 'alice', Password: bad }),
        awsError('PasswordPolicyViolationException', message),
      );
      await api.call('CreateLoginProfile', { UserName: 'alice', Password: 'Long-Enough-Pass-1!' });
    });
  }

  it('is enforced on UpdateLoginProfile too', async () => {
    const api = await iam();
    await api.user('alice');
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    await api.call('UpdateAccountPasswordPolicy', { RequireSymbols: true });
    await assert.rejects(
      api.call('UpdateLoginProfile', { UserName: 'alice', Password: 'NoSymbols123' }),
      awsError('PasswordPolicyViolationException', 'Password should have at least one symbol'),
    );
  });
});

describe('ChangePassword', () => {
  async function userWithPassword() {
    const api = await iam();
    const alice = await api.user('alice');
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD, PasswordResetRequired: true });
    return { api, alice };
  }

  it('changes the caller\'s password when the old one matches, and clears PasswordResetRequired', async () => {
    const { api, alice } = await userWithPassword();
    await api.call('ChangePassword', { OldPassword: GOOD, NewPassword: 'Battery-Staple-9' }, alice);
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'alice', 'Battery-Staple-9', api.now()), { ok: true, mustChangePassword: false });
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'alice', GOOD, api.now()), { ok: false, reason: 'wrong-password' });
    const { LoginProfile } = await api.call('GetLoginProfile', { UserName: 'alice' });
    assert.equal(LoginProfile.PasswordResetRequired, false);
  });

  it('a wrong old password: InvalidUserType "The old password was incorrect."', async () => {
    const { api, alice } = await userWithPassword();
    await assert.rejects(
      api.call('ChangePassword', { OldPassword: 'Not-The-Password-1', NewPassword: 'Battery-Staple-9' }, alice),
      awsError('InvalidUserTypeException', 'The old password was incorrect.'),
    );
  });

  it('the root user cannot call it: InvalidUserType', async () => {
    const api = await iam();
    await assert.rejects(api.call('ChangePassword', { OldPassword: GOOD, NewPassword: 'Battery-Staple-9' }), awsError('InvalidUserTypeException'));
  });

  it('the new password must follow the policy', async () => {
    const { api, alice } = await userWithPassword();
    await api.call('UpdateAccountPasswordPolicy', { MinimumPasswordLength: 20 });
    await assert.rejects(
      api.call('ChangePassword', { OldPassword: GOOD, NewPassword: 'Battery-Staple-9' }, alice),
      awsError('PasswordPolicyViolationException', 'Password should have a minimum length of 20'),
    );
  });

  it('PasswordReusePrevention refuses the last N passwords and allows older ones', async () => {
    const { api, alice } = await userWithPassword();
    await api.call('UpdateAccountPasswordPolicy', { PasswordReusePrevention: 2 });
    await api.call('ChangePassword', { OldPassword: GOOD, NewPassword: 'Second-Pass-22' }, alice);
    await assert.rejects(
      api.call('ChangePassword', { OldPassword: 'Second-Pass-22', NewPassword: GOOD }, alice),
      awsError('PasswordPolicyViolationException'),
    );
    await api.call('ChangePassword', { OldPassword: 'Second-Pass-22', NewPassword: 'Third-Pass-333' }, alice);
    // GOOD is now the third most recent: no longer remembered with N = 2.
    await api.call('ChangePassword', { OldPassword: 'Third-Pass-333', NewPassword: GOOD }, alice);
  });
});

describe('password expiry (MaxPasswordAge, HardExpiry) and verifyConsolePassword', () => {
  it('a password older than MaxPasswordAge still signs in but must be changed', async () => {
    const api = await iam();
    await api.user('alice');
    await api.call('UpdateAccountPasswordPolicy', { MaxPasswordAge: 30 });
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'alice', GOOD, api.now()), { ok: true, mustChangePassword: false });
    api.advance(31 * DAY);
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'alice', GOOD, api.now()), { ok: true, mustChangePassword: true });
  });

  it('with HardExpiry an expired password neither signs in nor can be changed by the user', async () => {
    const api = await iam();
    const alice = await api.user('alice');
    await api.call('UpdateAccountPasswordPolicy', { MaxPasswordAge: 30, HardExpiry: true });
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    api.advance(31 * DAY);
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'alice', GOOD, api.now()), { ok: false, reason: 'expired' });
    await assert.rejects(
      api.call('ChangePassword', { OldPassword: GOOD, NewPassword: 'Battery-Staple-9' }, alice),
      awsError('EntityTemporarilyUnmodifiableException'),
    );
    // An administrator's reset starts a new age.
    await api.call('UpdateLoginProfile', { UserName: 'alice', Password: 'Battery-Staple-9' });
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'alice', 'Battery-Staple-9', api.now()), { ok: true, mustChangePassword: false });
  });

  it('PasswordResetRequired makes the sign-in ask for a new password; no profile is reported', async () => {
    const api = await iam();
    await api.user('alice');
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD, PasswordResetRequired: true });
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'ALICE', GOOD, api.now()), { ok: true, mustChangePassword: true });
    assert.deepEqual(await verifyConsolePassword(api.store, ACCOUNT, 'bob', GOOD, api.now()), { ok: false, reason: 'no-login-profile' });
  });

  it('renaming the user keeps its password', async () => {
    const api = await iam();
    await api.user('alice');
    await api.call('CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    await api.call('UpdateUser', { UserName: 'alice', NewUserName: 'alicia' });
    const { LoginProfile } = await api.call('GetLoginProfile', { UserName: 'alicia' });
    assert.equal(LoginProfile.UserName, 'alicia');
    assert.equal((await verifyConsolePassword(api.store, ACCOUNT, 'alicia', GOOD, api.now())).ok, true);
  });
});
