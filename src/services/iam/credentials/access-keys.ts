// Access keys: CreateAccessKey, UpdateAccessKey, DeleteAccessKey, ListAccessKeys,
// GetAccessKeyLastUsed. Each key has two records written together: IAM's record
// (ACCOUNT/user/KEYID, what the API lists) and the authentication layer's credential
// (ACCESS_KEYS, keyed by the key id alone: secret, principal, active), so a request
// signed with the key verifies as its user the moment CreateAccessKey returns.
import { randomBytes } from 'node:crypto';
import { rootPrincipal, type IamUserPrincipal, type Principal } from '../../../auth/principal.ts';
import type { AccessKeyMetadata, Operations } from '../../../protocol/types/iam.ts';
import type { Documents, Store } from '../../../store/store.ts';
import { ACCESS_KEYS, type StoredCredential } from '../../credentials.ts';
import type { Handlers } from '../../handlers.ts';
import { ID_PREFIX, newUniqueId, noSuchEntity } from '../common.ts';
import { listAll, listPage } from '../identities/shared.ts';
import { COLLECTIONS, CREDENTIAL_STORE, entityKey, ROOT_USER_NAME, type AccessKeyRecord, type UserRecord } from '../records.ts';
import { ownedKey, ownerOf, ownerPrefix, quotaExceeded, userNameField, type Owner } from './shared.ts';

const KEYS = CREDENTIAL_STORE.accessKeys;

/** AWS's secret access keys: 40 characters of base64. */
function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

export function userPrincipal(user: UserRecord): IamUserPrincipal {
  return { type: 'IAMUser', accountId: user.accountId, arn: user.arn, userId: user.userId, userName: user.userName, path: user.path };
}

function principalOf(owner: Owner): Principal {
  return owner.user ? userPrincipal(owner.user) : rootPrincipal(owner.accountId);
}

const keyNotFound = (accessKeyId: string) => noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);

async function loadKey(docs: Documents, owner: Owner, accessKeyId: string): Promise<AccessKeyRecord> {
  const record = await docs.get<AccessKeyRecord>(KEYS, ownedKey(owner.accountId, owner.userName, accessKeyId));
  if (!record) throw keyNotFound(accessKeyId);
  return record;
}

function metadata(record: AccessKeyRecord): AccessKeyMetadata {
  return {
    ...userNameField(record.userName),
    AccessKeyId: record.accessKeyId,
    Status: record.status,
    CreateDate: new Date(record.createDate),
  };
}

export const accessKeyHandlers: Handlers<Operations> = {
  async CreateAccessKey(input, context) {
    const { record, secretAccessKey } = await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      if ((await tx.count(KEYS, ownerPrefix(owner.accountId, owner.userName))) >= 2) throw quotaExceeded('AccessKeysPerUser');
      const secret = newSecretAccessKey();
      const credential: StoredCredential = { secretAccessKey: secret, principal: principalOf(owner), active: true };
      let accessKeyId: string;
      do accessKeyId = newUniqueId(ID_PREFIX.accessKey);
      while (!(await tx.insert(ACCESS_KEYS, accessKeyId, credential)));
      const created: AccessKeyRecord = {
        accountId: owner.accountId,
        userName: owner.userName,
        accessKeyId,
        status: 'Active',
        createDate: context.now.toISOString(),
      };
      await tx.put(KEYS, ownedKey(owner.accountId, owner.userName, accessKeyId), created);
      return { record: created, secretAccessKey: secret };
    });
    return { AccessKey: { ...metadata(record), SecretAccessKey: secretAccessKey } as Operations['CreateAccessKey']['output']['AccessKey'] };
  },

  async UpdateAccessKey(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const record = await loadKey(tx, owner, input.AccessKeyId);
      await tx.put(KEYS, ownedKey(owner.accountId, owner.userName, record.accessKeyId), { ...record, status: input.Status });
      const credential = await tx.get<StoredCredential>(ACCESS_KEYS, record.accessKeyId);
      if (credential) await tx.put(ACCESS_KEYS, record.accessKeyId, { ...credential, active: input.Status === 'Active' });
    });
  },

  async DeleteAccessKey(input, context) {
    await context.store.transaction(async (tx) => {
      const owner = await ownerOf(tx, context, input.UserName);
      const record = await loadKey(tx, owner, input.AccessKeyId);
      await tx.delete(KEYS, ownedKey(owner.accountId, owner.userName, record.accessKeyId));
      await tx.delete(ACCESS_KEYS, record.accessKeyId);
    });
  },

  async ListAccessKeys(input, context) {
    const owner = await ownerOf(context.store, context, input.UserName);
    const page = await listPage<AccessKeyRecord>(context.store, KEYS, ownerPrefix(owner.accountId, owner.userName), input);
    return { AccessKeyMetadata: page.items.map(metadata), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  async GetAccessKeyLastUsed(input, context) {
    const record = await findKeyRecord(context.store, input.AccessKeyId);
    if (!record || record.accountId !== context.principal.accountId) throw keyNotFound(input.AccessKeyId);
    const used = record.lastUsed;
    return {
      ...userNameField(record.userName),
      // Never used: AWS answers N/A for the service and region, and no date.
      AccessKeyLastUsed: used
        ? { LastUsedDate: new Date(used.date), ServiceName: used.service, Region: used.region }
        : { ServiceName: 'N/A', Region: 'N/A' },
    };
  },
};

/** Where IAM keeps the record of a key, found through the credential's principal. */
async function findKeyRecord(docs: Documents, accessKeyId: string): Promise<AccessKeyRecord | undefined> {
  const credential = await docs.get<StoredCredential>(ACCESS_KEYS, accessKeyId);
  if (!credential || credential.sessionToken !== undefined) return undefined;
  const { principal } = credential;
  const userName = principal.type === 'IAMUser' ? principal.userName : principal.type === 'Root' ? ROOT_USER_NAME : undefined;
  if (userName === undefined) return undefined;
  return docs.get<AccessKeyRecord>(KEYS, ownedKey(principal.accountId, userName, accessKeyId));
}

export interface AccessKeyUse {
  date: Date;
  /** The service's signing name, e.g. 'iam', 's3'. */
  service: string;
  region: string;
}

/**
 * Records that a request was authenticated with an IAM access key (for
 * GetAccessKeyLastUsed and the credential report). Cheap: two reads and one write, no
 * transaction; a concurrent update of the key wins over this one and the use is lost,
 * which only makes "last used" a little older. Keys IAM did not issue are ignored.
 */
export async function recordAccessKeyUse(store: Store, accessKeyId: string, use: AccessKeyUse): Promise<void> {
  const record = await findKeyRecord(store, accessKeyId);
  if (!record) return;
  const key = ownedKey(record.accountId, record.userName, accessKeyId);
  const entry = await store.getEntry<AccessKeyRecord>(KEYS, key);
  if (!entry) return;
  const lastUsed = { date: use.date.toISOString(), service: use.service, region: use.region };
  await store.update(KEYS, key, { ...entry.value, lastUsed }, entry.version);
}

// ---- for DeleteUser and UpdateUser (registered in ./index.ts) ----

export async function userHasAccessKeys(docs: Documents, accountId: string, userName: string): Promise<boolean> {
  return (await docs.count(KEYS, ownerPrefix(accountId, userName))) > 0;
}

/** Moves a renamed user's keys and points their credentials at the user's new ARN. */
export async function moveAccessKeys(docs: Documents, accountId: string, oldName: string, newName: string): Promise<void> {
  const renamed = await docs.get<UserRecord>(COLLECTIONS.users, entityKey(accountId, newName));
  for (const { key, value } of await listAll<AccessKeyRecord>(docs, KEYS, ownerPrefix(accountId, oldName))) {
    await docs.delete(KEYS, key);
    await docs.put(KEYS, ownedKey(accountId, newName, value.accessKeyId), { ...value, userName: newName });
    const credential = await docs.get<StoredCredential>(ACCESS_KEYS, value.accessKeyId);
    if (credential && renamed) await docs.put(ACCESS_KEYS, value.accessKeyId, { ...credential, principal: userPrincipal(renamed) });
  }
}
