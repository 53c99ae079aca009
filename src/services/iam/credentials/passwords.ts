// Console passwords: hashed with scrypt (a slow KDF) and a random salt, never kept or
// logged in clear; checked against the account password policy, or AWS's default
// policy when the account has none.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.ts';
import type { PasswordPolicyRecord } from '../records.ts';

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const HASH_BYTES = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** "scrypt$N$r$p$salt$hash" (base64 salt and hash), so the parameters can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function passwordMatches(password: string, stored: string | undefined): Promise<boolean> {
  if (stored === undefined) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The characters AWS counts as symbols (UpdateAccountPasswordPolicy, RequireSymbols). */
const SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

const CHARACTER_CLASSES = {
  uppercase: (password: string) => /[A-Z]/.test(password),
  lowercase: (password: string) => /[a-z]/.test(password),
  number: (password: string) => /[0-9]/.test(password),
  symbol: (password: string) => [...password].some((c) => SYMBOLS.includes(c)),
};

interface Rule {
  required: (policy: PasswordPolicyRecord) => boolean;
  satisfied: (password: string, policy: PasswordPolicyRecord) => boolean;
  message: (policy: PasswordPolicyRecord) => string;
}

/** A custom password policy's rules, each with AWS's PasswordPolicyViolation message. */
const POLICY_RULES: Rule[] = [
  {
    required: () => true,
    satisfied: (password, policy) => password.length >= policy.MinimumPasswordLength,
    message: (policy) => `Password should have a minimum length of ${policy.MinimumPasswordLength}`,
  },
  {
    required: (policy) => policy.RequireUppercaseCharacters,
    satisfied: CHARACTER_CLASSES.uppercase,
    message: () => 'Password should have at least one uppercase letter',
  },
  {
    required: (policy) => policy.RequireLowercaseCharacters,
    satisfied: CHARACTER_CLASSES.lowercase,
    message: () => 'Password should have at least one lowercase letter',
  },
  {
    required: (policy) => policy.RequireNumbers,
    satisfied: CHARACTER_CLASSES.number,
    message: () => 'Password should have at least one number',
  },
  {
    required: (policy) => policy.RequireSymbols,
    satisfied: CHARACTER_CLASSES.symbol,
    message: () => 'Password should have at least one symbol',
  },
];

/**
 * AWS's default policy, for accounts without one: at least 8 characters and at least
 * three of the four character classes.
 */
export const DEFAULT_POLICY = { minimumLength: 8, classesRequired: 3 } as const;

export function passwordPolicyViolation(message: string): AwsError {
  return new AwsError('PasswordPolicyViolationException', message);
}

/** Throws PasswordPolicyViolation when the password breaks the account's policy (or the default one). */
export function checkPasswordPolicy(password: string, policy: PasswordPolicyRecord | undefined): void {
  if (policy) {
    const broken = POLICY_RULES.find((rule) => rule.required(policy) && !rule.satisfied(password, policy));
    if (broken) throw passwordPolicyViolation(broken.message(policy));
    return;
  }
  const classes = Object.values(CHARACTER_CLASSES).filter((present) => present(password)).length;
  if (password.length < DEFAULT_POLICY.minimumLength || classes < DEFAULT_POLICY.classesRequired) {
    throw passwordPolicyViolation('Password does not conform to the account password policy.');
  }
}

/** PasswordReusePrevention: the new password may not be any of the last N. */
export async function checkReuse(password: string, hashes: readonly string[], policy: PasswordPolicyRecord | undefined): Promise<void> {
  const remembered = policy?.PasswordReusePrevention ?? 0;
  for (const hash of hashes.slice(0, remembered)) {
    if (await passwordMatches(password, hash)) {
      throw passwordPolicyViolation('Password was used too recently. Choose a password you have not used before.');
    }
  }
}

/** Whether a password set at `changed` has passed the policy's MaxPasswordAge at `now`. */
export function passwordExpired(changed: string, policy: PasswordPolicyRecord | undefined, now: Date): boolean {
  if (!policy?.MaxPasswordAge) return false;
  return now.getTime() >= new Date(changed).getTime() + policy.MaxPasswordAge * 86_400_000;
}
