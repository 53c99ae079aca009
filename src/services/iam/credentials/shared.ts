// What every credential kind shares: whose credentials an operation acts on (the named
// user, or the caller when UserName is left out), where they live in the store, and
// IAM's quotas and messages for them.
import { randomInt } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.ts';
import type { Documents } from '../../../store/store.ts';
import type { RequestContext } from '../../service.ts';
import { limitExceeded } from '../common.ts';
import { listAll, load } from '../identities/shared.ts';
import { ROOT_USER_NAME, type UserRecord } from '../records.ts';

/** The IAM user (or the account's root user) whose credentials an operation reads or writes. */
export interface Owner {
  accountId: string;
  /** The user's name as created, or ROOT_USER_NAME. */
  userName: string;
  /** Absent for the root user. */
  user?: UserRecord;
}

export const isRoot = (owner: Owner): boolean => owner.user === undefined;

/**
 * The named user, or else the caller: an IAM user acts on itself and the root user on
 * the root credentials; any other caller (a role session, a federated user) must name
 * a user, as on AWS.
 */
export async function ownerOf(docs: Documents, context: RequestContext, userName: string | undefined): Promise<Owner> {
  const { principal } = context;
  const accountId = principal.accountId;
  if (userName !== undefined) {
    const user = await load(docs, 'user', accountId, userName);
    return { accountId, userName: user.userName, user };
  }
  if (principal.type === 'Root') return { accountId, userName: ROOT_USER_NAME };
  if (principal.type === 'IAMUser') {
    const user = await load(docs, 'user', accountId, principal.userName);
    return { accountId, userName: user.userName, user };
  }
  throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials', { status: 400 });
}

/** The store key prefix of one owner's credentials of a kind: ACCOUNT/username/. */
export function ownerPrefix(accountId: string, userName: string): string {
  return `${accountId}/${userName.toLowerCase()}/`;
}

export function ownedKey(accountId: string, userName: string, id: string): string {
  return `${ownerPrefix(accountId, userName)}${id}`;
}

/** The UserName member of an answer: AWS leaves it out for the root user's credentials. */
export function userNameField(userName: string): { UserName: string } {
  return (userName === ROOT_USER_NAME ? {} : { UserName: userName }) as { UserName: string };
}

/** IAM's per-user and per-account quotas for credentials (reference_iam-quotas.html). */
export const CREDENTIAL_QUOTAS = {
  AccessKeysPerUser: 2,
  SigningCertificatesPerUser: 2,
  SSHPublicKeysPerUser: 5,
  MFADevicesPerUser: 8,
  ServerCertificatesPerAccount: 20,
  ServiceSpecificCredentialsPerUserPerService: 2,
} as const;

export type CredentialQuota = keyof typeof CREDENTIAL_QUOTAS;

/** "Cannot exceed quota for AccessKeysPerUser: 2" */
export function quotaExceeded(quota: CredentialQuota): AwsError {
  return limitExceeded(`Cannot exceed quota for ${quota}: ${CREDENTIAL_QUOTAS[quota]}`);
}

const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random id of upper-case letters and digits (signing certificate ids look like this). */
export function randomUpperId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += UPPER_ALPHANUMERIC[randomInt(UPPER_ALPHANUMERIC.length)];
  return id;
}

/** Whether a user still has some credential of a kind (DeleteUser refuses while one remains). */
export function hasOwned(collection: string) {
  return async (docs: Documents, accountId: string, userName: string): Promise<boolean> =>
    (await docs.count(collection, ownerPrefix(accountId, userName))) > 0;
}

/** Moves a renamed user's credentials of a kind to the new name (UpdateUser). */
export function moveOwned(collection: string) {
  return async (docs: Documents, accountId: string, oldName: string, newName: string): Promise<void> => {
    const prefix = ownerPrefix(accountId, oldName);
    for (const { key, value } of await listAll<{ userName: string }>(docs, collection, prefix)) {
      await docs.delete(collection, key);
      await docs.put(collection, ownedKey(accountId, newName, key.slice(prefix.length)), { ...value, userName: newName });
    }
  };
}
