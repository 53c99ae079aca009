// The console's sign-in (AWS's signin.aws.amazon.com): account id or alias, user name
// (or the root user) and password, then the MFA code when the user has a device, then a
// new password when the old one expired or must be reset. Success gives temporary
// credentials of the user, issued as STS issues session credentials; every finished
// attempt is a ConsoleLogin CloudTrail event. Repeated failures lock the name out for a
// while. Sign-out deactivates the session's credentials, so they stop working at once.
import { randomUUID } from 'node:crypto';
import { rootPrincipal, type IamUserPrincipal, type Principal } from '../auth/principal.ts';
import { signaturesMatch } from '../auth/sigv4.ts';
import type { EventBus } from '../events/bus.ts';
import type { CallEvent, ConsoleSignIn } from '../events/call-event.ts';
import { AwsError } from '../protocol/errors.ts';
import type { User } from '../protocol/types/iam.ts';
import { ACCESS_KEYS, type StoredCredential } from '../services/credentials.ts';
import { recordPasswordUse, verifyConsolePassword, verifyTotp } from '../services/iam/credentials/index.ts';
import { hashPassword, passwordMatches } from '../services/iam/credentials/passwords.ts';
import { COLLECTIONS, ROOT_USER_NAME } from '../services/iam/records.ts';
import { issueCredentials, isoSeconds } from '../services/sts/credentials.ts';
import { callIam, unlessMissing, type IamCaller } from './console-iam.ts';
import type { SignedInSession, SignInRequest } from './console-signin-wire.ts';

/** AWS console sessions of IAM users last 12 hours. */
const SESSION_SECONDS = 12 * 60 * 60;
/** After this many failures in a row, a name is locked out for LOCKOUT_MS. */
export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
const FAILURES = 'console.sign-in-failures';

export const SIGN_IN_MESSAGES = {
  failed: 'Your authentication information is incorrect. Please try again.',
  lockedOut: 'Too many failed sign-in attempts. Wait 15 minutes, then try again.',
  hardExpiry: 'Your password has expired and the password policy does not let you change it. Ask your administrator to reset it.',
};

export type SignInResult =
  | ({ status: 'SignedIn' } & SignedInSession)
  | { status: 'MfaRequired' }
  | { status: 'PasswordChangeRequired' }
  | { status: 'Failed'; httpStatus: 400 | 401; error: string; message: string };

export interface SignInDeps extends IamCaller {
  events: EventBus;
}

export interface Caller {
  sourceIp?: string;
  userAgent?: string;
  /** Where the sign-in leads (CloudTrail's LoginTo). */
  loginTo: string;
}

interface FailureRecord {
  failures: number;
  lockedUntil?: string;
}

export async function signIn(deps: SignInDeps, request: SignInRequest, caller: Caller): Promise<SignInResult> {
  const accountId = await accountOf(deps, request.account);
  if (!accountId) {
    await hashAsLong(request.password);
    return failed();
  }
  const userName = request.root ? ROOT_USER_NAME : request.userName!;
  const failureKey = `${accountId}/${userName.toLowerCase()}`;
  const now = deps.clock.now();
  const attempt = { deps, accountId, caller, failureKey };

  const record = await deps.store.get<FailureRecord>(FAILURES, failureKey);
  if (record?.lockedUntil && Date.parse(record.lockedUntil) > now.getTime()) {
    await recordEvent(deps, caller, undefined, { accountId, success: false, mfaUsed: false, loginTo: caller.loginTo });
    return { status: 'Failed', httpStatus: 401, error: 'LockedOut', message: SIGN_IN_MESSAGES.lockedOut };
  }

  const principal = request.root ? rootPrincipal(accountId) : await userPrincipalOf(deps, accountId, userName);
  if (!principal) {
    await hashAsLong(request.password);
    return failure(attempt, undefined, false);
  }
  const check = await verifyConsolePassword(deps.store, accountId, userName, request.password, now);
  if (!check.ok) {
    if (check.reason === 'no-login-profile') await hashAsLong(request.password);
    if (check.reason === 'expired') return failure(attempt, principal, false, SIGN_IN_MESSAGES.hardExpiry);
    return failure(attempt, principal, false);
  }

  const devices = await mfaSerials(deps, accountId, request.root ? undefined : userName);
  if (devices.length > 0 && request.mfaCode === undefined) return { status: 'MfaRequired' };
  if (check.mustChangePassword && request.newPassword === undefined) return { status: 'PasswordChangeRequired' };
  const mfaUsed = devices.length > 0;
  if (mfaUsed && !(await anyCodeMatches(deps, accountId, userName, devices, request.mfaCode!))) {
    return failure(attempt, principal, true);
  }
  if (check.mustChangePassword) {
    const problem = await changePassword(deps, accountId, principal, request.password, request.newPassword!);
    if (problem) return problem;
  }

  const issued = await issueCredentials(deps.store, {
    principal: principal.type === 'IAMUser' ? { ...principal, sessionIssuedAt: isoSeconds(now) } : principal,
    now,
    durationSeconds: SESSION_SECONDS,
    mfaAuthenticated: mfaUsed,
  });
  await deps.store.delete(FAILURES, failureKey);
  await recordPasswordUse(deps.store, accountId, userName, now);
  await recordEvent(deps, caller, principal, { accountId, success: true, mfaUsed, loginTo: caller.loginTo });
  return {
    status: 'SignedIn',
    credentials: {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      sessionToken: issued.SessionToken,
      expiration: issued.Expiration.toISOString(),
    },
    identity: {
      type: principal.type === 'Root' ? 'Root' : 'IAMUser',
      accountId,
      arn: principal.arn,
      ...(principal.type === 'IAMUser' && { userName: principal.userName }),
    },
    region: deps.region,
    mfaUsed,
  };
}

/**
 * Ends a console session: its credentials are deactivated (not deleted: an unknown key
 * would pass as the root user in permissive mode), so every later call signed with them
 * fails. The session token proves the caller holds them. False if none matched.
 */
export async function signOut(deps: IamCaller, accessKeyId: string, sessionToken: string): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    const stored = await tx.get<StoredCredential>(ACCESS_KEYS, accessKeyId);
    if (!stored?.sessionToken || !stored.active || !signaturesMatch(stored.sessionToken, sessionToken)) return false;
    await tx.put(ACCESS_KEYS, accessKeyId, { ...stored, active: false });
    return true;
  });
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the time a password check takes when there is nothing to check (no such user,
 * no console password), so the answer's timing does not tell which names exist.
 */
async function hashAsLong(password: string): Promise<void> {
  decoyHash ??= hashPassword('a password no one has');
  await passwordMatches(password, await decoyHash);
}

/** A 12-digit account id as given, or the account that holds the alias. */
async function accountOf(deps: IamCaller, account: string): Promise<string | undefined> {
  if (/^\d{12}$/.test(account)) return account;
  const owner = await deps.store.get<{ accountId: string }>(COLLECTIONS.aliasOwners, account.toLowerCase());
  return owner?.accountId;
}

async function userPrincipalOf(deps: IamCaller, accountId: string, userName: string): Promise<IamUserPrincipal | undefined> {
  const found = await unlessMissing(callIam<{ User: User }>(deps, accountId, 'GetUser', { UserName: userName }));
  if (!found) return undefined;
  const { User: user } = found;
  return { type: 'IAMUser', accountId, arn: user.Arn, userId: user.UserId, userName: user.UserName, path: user.Path };
}

/** The serial numbers of the MFA devices enabled for the user (the root user when undefined). */
async function mfaSerials(deps: IamCaller, accountId: string, userName: string | undefined): Promise<string[]> {
  const listed = await callIam<{ MFADevices: { SerialNumber: string }[] }>(deps, accountId, 'ListMFADevices', userName ? { UserName: userName } : {});
  return listed.MFADevices.map((device) => device.SerialNumber);
}

async function anyCodeMatches(deps: IamCaller, accountId: string, userName: string, serials: string[], code: string): Promise<boolean> {
  for (const serial of serials) {
    if (await verifyTotp(deps.store, accountId, userName, serial, code, deps.clock.now())) return true;
  }
  return false;
}

/** Changes the password as the user would with iam:ChangePassword; the policy's message on refusal. */
async function changePassword(
  deps: IamCaller,
  accountId: string,
  principal: Principal,
  oldPassword: string,
  newPassword: string,
): Promise<SignInResult | undefined> {
  try {
    if (principal.type === 'Root') {
      await callIam(deps, accountId, 'UpdateLoginProfile', { Password: newPassword, PasswordResetRequired: false });
    } else {
      await callIam(deps, accountId, 'ChangePassword', { OldPassword: oldPassword, NewPassword: newPassword }, principal);
    }
    return undefined;
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return { status: 'Failed', httpStatus: 400, error: error.code, message: error.message };
  }
}

interface Attempt {
  deps: SignInDeps;
  accountId: string;
  caller: Caller;
  failureKey: string;
}

/** Counts the failure (locking the name out after MAX_FAILURES), records it, and answers. */
async function failure(attempt: Attempt, principal: Principal | undefined, mfaUsed: boolean, message = SIGN_IN_MESSAGES.failed): Promise<SignInResult> {
  const { deps, accountId, caller, failureKey } = attempt;
  const now = deps.clock.nowMs();
  await deps.store.transaction(async (tx) => {
    const previous = await tx.get<FailureRecord>(FAILURES, failureKey);
    const failures = (previous?.lockedUntil ? 0 : (previous?.failures ?? 0)) + 1;
    const next: FailureRecord = failures >= MAX_FAILURES ? { failures, lockedUntil: new Date(now + LOCKOUT_MS).toISOString() } : { failures };
    await tx.put(FAILURES, failureKey, next);
  });
  await recordEvent(deps, caller, principal, { accountId, success: false, mfaUsed, loginTo: caller.loginTo });
  return failed(message);
}

function failed(message = SIGN_IN_MESSAGES.failed): SignInResult {
  return { status: 'Failed', httpStatus: 401, error: 'FailedAuthentication', message };
}

/** Publishes the attempt as a call event: CloudTrail records it as a ConsoleLogin event. */
async function recordEvent(deps: SignInDeps, caller: Caller, principal: Principal | undefined, signIn: ConsoleSignIn): Promise<void> {
  const event: CallEvent = {
    requestId: randomUUID(),
    eventTime: deps.clock.now(),
    service: 'signin',
    eventSource: 'signin.amazonaws.com',
    operation: 'ConsoleLogin',
    region: deps.region,
    principal,
    sessionCredentials: false,
    sourceIp: caller.sourceIp,
    userAgent: caller.userAgent,
    status: signIn.success ? 200 : 401,
    ...(!signIn.success && { error: { code: 'FailedAuthentication', message: 'Failed authentication' } }),
    authorization: [],
    consoleSignIn: signIn,
  };
  await deps.events.publish(event);
}
