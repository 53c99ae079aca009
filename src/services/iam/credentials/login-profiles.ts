// Console passwords: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
// DeleteLoginProfile, ChangePassword, and the check the console sign-in will use. A
// profile keeps only scrypt hashes: the current password's and, for the policy's
// PasswordReusePrevention, the earlier ones. Hashing is slow on purpose, so it
// happens before the transaction that writes the result.
import { AwsError } from '../../../protocol/errors.ts';
import type { LoginProfile, Operations } from '../../../protocol/types/iam.ts';
import type { Documents, Store } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { alreadyExists, noSuchEntity } from '../common.ts';
import { load } from '../identities/shared.ts';
import { COLLECTIONS, CREDENTIAL_STORE, entityKey, ROOT_USER_NAME, type LoginProfileRecord, type PasswordPolicyRecord, type UserRecord } from '../records.ts';
import { checkPasswordPolicy, checkReuse, hashPassword, passwordExpired, passwordMatches } from './passwords.ts';
import { readPasswordPolicy } from './password-policy.ts';
import { ownerOf, userNameField, type Owner } from './shared.ts';

const PROFILES = CREDENTIAL_STORE.loginProfiles;

/** The most earlier passwords any policy can ask to remember (PasswordReusePrevention's maximum). */
const MAX_REMEMBERED = 24;

const profileKey = (accountId: string, userName: string) => entityKey(accountId, userName);

/** "Login Profile for User bob cannot be found." (root: the account id stands for the name). */
function noProfile(owner: Owner): AwsError {
  return noSuchEntity(`Login Profile for User ${displayName(owner)} cannot be found.`);
}

const displayName = (owner: Owner) => (owner.userName === ROOT_USER_NAME ? owner.accountId : owner.userName);

async function loadProfile(docs: Documents, owner: Owner): Promise<LoginProfileRecord> {
  const profile = await docs.get<LoginProfileRecord>(PROFILES, profileKey(owner.accountId, owner.userName));
  if (!profile) throw noProfile(owner);
  return profile;
}

function profileShape(profile: LoginProfileRecord): LoginProfile {
  return {
    ...userNameField(profile.userName),
    CreateDate: new Date(profile.createDate),
    PasswordResetRequired: profile.passwordResetRequired,
  };
}

/** A profile with a new password: the old hash joins the remembered ones. */
function withNewPassword(profile: LoginProfileRecord, hash: string, now: Date): LoginProfileRecord {
  const remembered = profile.passwordHash ? [profile.passwordHash, ...profile.previousHashes] : profile.previousHashes;
  return { ...profile, passwordHash: hash, previousHashes: remembered.slice(0, MAX_REMEMBERED), passwordLastChanged: now.toISOString() };
}

/** The hashes PasswordReusePrevention compares against: the current password first. */
const rememberedHashes = (profile: LoginProfileRecord) =>
  profile.passwordHash ? [profile.passwordHash, ...profile.previousHashes] : profile.previousHashes;

/** Checks a new password against the policy and history, and hashes it. */
async function acceptPassword(password: string, policy: PasswordPolicyRecord | undefined, history: readonly string[]): Promise<string> {
  checkPasswordPolicy(password, policy);
  await checkReuse(password, history, policy);
  return hashPassword(password);
}

export const loginProfileHandlers: Handlers<Operations> = {
  async CreateLoginProfile(input, context) {
    const accountId = context.principal.accountId;
    const policy = await readPasswordPolicy(context.store, accountId);
    const hash = input.Password !== undefined ? await acceptPassword(input.Password, policy, []) : undefined;
    const profile = await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const created: LoginProfileRecord = {
        accountId,
        userName: owner.userName,
        createDate: context.now.toISOString(),
        passwordLastChanged: context.now.toISOString(),
        passwordResetRequired: input.PasswordResetRequired ?? false,
        ...(hash ? { passwordHash: hash } : {}),
        previousHashes: [],
      };
      if (!(await tx.insert(PROFILES, profileKey(accountId, owner.userName), created))) {
        throw alreadyExists(`Login Profile for user ${displayName(owner)} already exists.`);
      }
      return created;
    });
    return { LoginProfile: profileShape(profile) };
  },

  async GetLoginProfile(input, context) {
    const owner = await ownerOf(context.store, context, input.UserName);
    return { LoginProfile: profileShape(await loadProfile(context.store, owner)) };
  },

  async UpdateLoginProfile(input, context) {
    const owner = await ownerOf(context.store, context, input.UserName);
    const current = await loadProfile(context.store, owner);
    const policy = await readPasswordPolicy(context.store, owner.accountId);
    const hash = input.Password !== undefined ? await acceptPassword(input.Password, policy, rememberedHashes(current)) : undefined;
    await context.store.transaction(async (tx) => {
      let profile = await loadProfile(tx, owner);
      if (hash) profile = withNewPassword(profile, hash, context.now);
      if (input.PasswordResetRequired !== undefined) profile = { ...profile, passwordResetRequired: input.PasswordResetRequired };
      await tx.put(PROFILES, profileKey(owner.accountId, owner.userName), profile);
    });
  },

  async DeleteLoginProfile(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      if (!(await tx.delete(PROFILES, profileKey(owner.accountId, owner.userName)))) throw noProfile(owner);
    });
  },

  /** An IAM user changes its own password; it must know the current one. */
  async ChangePassword(input, context) {
    const owner = await callingUser(context);
    const current = await loadProfile(context.store, owner);
    const policy = await readPasswordPolicy(context.store, owner.accountId);
    if (policy?.HardExpiry && passwordExpired(current.passwordLastChanged, policy, context.now)) {
      throw new AwsError(
        'EntityTemporarilyUnmodifiableException',
        'Your password has expired and the account password policy prevents you from changing it. Ask an administrator to reset it.',
      );
    }
    if (!(await passwordMatches(input.OldPassword, current.passwordHash))) {
      throw new AwsError('InvalidUserTypeException', 'The old password was incorrect.');
    }
    const hash = await acceptPassword(input.NewPassword, policy, rememberedHashes(current));
    await context.store.transaction(async (tx) => {
      const profile = await loadProfile(tx, owner);
      if (profile.passwordHash !== current.passwordHash) {
        throw new AwsError('EntityTemporarilyUnmodifiableException', 'The password was changed by another request. Try again.');
      }
      const changed = { ...withNewPassword(profile, hash, context.now), passwordResetRequired: false };
      await tx.put(PROFILES, profileKey(owner.accountId, owner.userName), changed);
    });
  },
};

/** ChangePassword acts only on the calling IAM user. */
async function callingUser(context: RequestContext): Promise<Owner> {
  const { principal } = context;
  if (principal.type !== 'IAMUser') {
    throw new AwsError('InvalidUserTypeException', 'Only IAM users can change their own password with ChangePassword.');
  }
  const user = await load(context.store, 'user', principal.accountId, principal.userName);
  return { accountId: principal.accountId, userName: user.userName, user };
}

export type ConsolePasswordCheck =
  /** Signed in; the console must make the user choose a new password when `mustChangePassword`. */
  | { ok: true; mustChangePassword: boolean }
  | { ok: false; reason: 'no-login-profile' | 'wrong-password' | 'expired' };

/**
 * For the console sign-in: whether `password` is the user's (ROOT_USER_NAME for the
 * root user's) current console password at `now`. An expired password still signs in
 * but must be changed, unless the policy sets HardExpiry.
 */
export async function verifyConsolePassword(
  store: Store,
  accountId: string,
  userName: string,
  password: string,
  now: Date,
): Promise<ConsolePasswordCheck> {
  const profile = await store.get<LoginProfileRecord>(PROFILES, profileKey(accountId, userName));
  if (!profile?.passwordHash) return { ok: false, reason: 'no-login-profile' };
  if (!(await passwordMatches(password, profile.passwordHash))) return { ok: false, reason: 'wrong-password' };
  const policy = await readPasswordPolicy(store, accountId);
  const expired = passwordExpired(profile.passwordLastChanged, policy, now);
  if (expired && policy?.HardExpiry) return { ok: false, reason: 'expired' };
  return { ok: true, mustChangePassword: expired || profile.passwordResetRequired };
}

/** Records a successful console sign-in as the user's PasswordLastUsed (GetUser, ListUsers). */
export async function recordPasswordUse(store: Store, accountId: string, userName: string, now: Date): Promise<void> {
  const key = entityKey(accountId, userName);
  const entry = await store.getEntry<UserRecord>(COLLECTIONS.users, key);
  if (entry) await store.update(COLLECTIONS.users, key, { ...entry.value, passwordLastUsed: now.toISOString() }, entry.version);
}
