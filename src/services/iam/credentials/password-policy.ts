// The account password policy: UpdateAccountPasswordPolicy, GetAccountPasswordPolicy,
// DeleteAccountPasswordPolicy. UpdateAccountPasswordPolicy replaces the whole policy:
// a parameter left out takes its default, as AWS documents. The model checks ranges
// (MinimumPasswordLength 6-128, MaxPasswordAge 1-1095, PasswordReusePrevention 1-24).
import type { Operations, PasswordPolicy, UpdateAccountPasswordPolicyRequest } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import { noSuchEntity } from '../common.ts';
import { CREDENTIAL_STORE, type PasswordPolicyRecord } from '../records.ts';

const POLICY = CREDENTIAL_STORE.passwordPolicy;

/** AWS's documented default when UpdateAccountPasswordPolicy leaves MinimumPasswordLength out. */
const DEFAULT_MINIMUM_LENGTH = 6;

export function policyFrom(input: UpdateAccountPasswordPolicyRequest): PasswordPolicyRecord {
  return {
    MinimumPasswordLength: input.MinimumPasswordLength ?? DEFAULT_MINIMUM_LENGTH,
    RequireSymbols: input.RequireSymbols ?? false,
    RequireNumbers: input.RequireNumbers ?? false,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    ExpirePasswords: (input.MaxPasswordAge ?? 0) > 0,
    ...(input.MaxPasswordAge ? { MaxPasswordAge: input.MaxPasswordAge } : {}),
    ...(input.PasswordReusePrevention ? { PasswordReusePrevention: input.PasswordReusePrevention } : {}),
    ...(input.HardExpiry !== undefined ? { HardExpiry: input.HardExpiry } : {}),
  };
}

/** The account's password policy, or undefined when it has none (AWS's default policy applies). */
export function readPasswordPolicy(docs: Documents, accountId: string): Promise<PasswordPolicyRecord | undefined> {
  return docs.get<PasswordPolicyRecord>(POLICY, accountId);
}

const noPolicy = (accountId: string) => noSuchEntity(`The Password Policy with domain name ${accountId} cannot be found.`);

export const passwordPolicyHandlers: Handlers<Operations> = {
  async UpdateAccountPasswordPolicy(input, context) {
    await context.store.put(POLICY, context.principal.accountId, policyFrom(input));
  },

  async GetAccountPasswordPolicy(_input, context) {
    const accountId = context.principal.accountId;
    const policy = await readPasswordPolicy(context.store, accountId);
    if (!policy) throw noPolicy(accountId);
    return { PasswordPolicy: { ...policy } satisfies PasswordPolicy };
  },

  async DeleteAccountPasswordPolicy(_input, context) {
    const accountId = context.principal.accountId;
    if (!(await context.store.delete(POLICY, accountId))) {
      throw noPolicy(accountId);
    }
  },
};
