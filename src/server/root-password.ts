// The root user's console password. It is the root user's IAM login profile, kept as a
// scrypt hash like every console password; `bulwark root-password` sets it, and a
// server that finds none at start-up makes a random one and shows it once. There is
// never a fixed default.
import { randomInt } from 'node:crypto';
import { AwsError } from '../protocol/errors.ts';
import type { IamCaller } from './console-iam.ts';
import { callIam, unlessMissing } from './console-iam.ts';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!@#$%^&*()_+-=[]{}|';

/** Random characters (24, or more if asked) with every class AWS's password policies can require. */
export function generateRootPassword(length = 24): string {
  const all = UPPER + LOWER + DIGITS + SYMBOLS;
  const pick = (set: string) => set[randomInt(set.length)];
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < Math.max(length, 24)) chars.push(pick(all));
  // Fisher-Yates, so the guaranteed classes are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** Sets the account's root password (the account's password policy applies, as on AWS). */
export async function setRootPassword(caller: IamCaller, accountId: string, password: string): Promise<void> {
  const existing = await unlessMissing(callIam(caller, accountId, 'GetLoginProfile', {}));
  await callIam(caller, accountId, existing ? 'UpdateLoginProfile' : 'CreateLoginProfile', { Password: password });
}

/**
 * Gives the account a random root password when it has none; returns it (to be shown
 * once), or undefined when one was already set (here or by another node).
 */
export async function ensureRootPassword(caller: IamCaller, accountId: string): Promise<string | undefined> {
  if (await unlessMissing(callIam(caller, accountId, 'GetLoginProfile', {}))) return undefined;
  // IAM holds the root password to the account's policy too: be at least as long as it asks.
  const policy = await unlessMissing(callIam<{ PasswordPolicy: { MinimumPasswordLength?: number } }>(caller, accountId, 'GetAccountPasswordPolicy', {}));
  const password = generateRootPassword(policy?.PasswordPolicy.MinimumPasswordLength);
  try {
    await callIam(caller, accountId, 'CreateLoginProfile', { Password: password });
  } catch (error) {
    if (error instanceof AwsError && error.code === 'EntityAlreadyExistsException') return undefined;
    throw error;
  }
  return password;
}
