// What the identity handlers (users, groups, roles, instance profiles) share: AWS's
// messages and quotas as data, loading an entity or failing with NoSuchEntity, and
// IAM listing (PathPrefix filter, Marker/MaxItems) over the store's key order.
import { AwsError } from '../../../protocol/errors.ts';
import type { Documents } from '../../../store/store.ts';
import type { RequestContext } from '../../service.ts';
import {
  alreadyExists,
  decodeMarker,
  DEFAULT_MAX_ITEMS,
  encodeMarker,
  iamArn,
  invalidInput,
  limitExceeded,
  newUniqueId,
  noSuchEntity,
  type IamPage,
} from '../common.ts';
import {
  COLLECTIONS,
  entityKey,
  type GroupRecord,
  type InstanceProfileRecord,
  type RoleRecord,
  type UniqueIdRecord,
  type UserRecord,
} from '../records.ts';

/** The four kinds of named entity this area owns, with AWS's wording for each. */
export const ENTITY_TYPES = {
  user: { collection: COLLECTIONS.users, noun: 'user', title: 'User', arnType: 'user' },
  group: { collection: COLLECTIONS.groups, noun: 'group', title: 'Group', arnType: 'group' },
  role: { collection: COLLECTIONS.roles, noun: 'role', title: 'Role', arnType: 'role' },
  instanceProfile: {
    collection: COLLECTIONS.instanceProfiles,
    noun: 'instance profile',
    title: 'Instance Profile',
    arnType: 'instance-profile',
  },
} as const;

export type EntityType = keyof typeof ENTITY_TYPES;

interface RecordOf {
  user: UserRecord;
  group: GroupRecord;
  role: RoleRecord;
  instanceProfile: InstanceProfileRecord;
}

/** AWS's NoSuchEntity message: "The user with name bob cannot be found." */
export function notFound(type: EntityType, name: string): AwsError {
  if (type === 'instanceProfile') return noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return noSuchEntity(`The ${ENTITY_TYPES[type].noun} with name ${name} cannot be found.`);
}

/** AWS's EntityAlreadyExists message: "User with name bob already exists." */
export function duplicate(type: EntityType, name: string): AwsError {
  if (type === 'instanceProfile') return alreadyExists(`Instance Profile ${name} already exists.`);
  return alreadyExists(`${ENTITY_TYPES[type].title} with name ${name} already exists.`);
}

/** The entity's record, or NoSuchEntity. */
export async function load<K extends EntityType>(
  docs: Documents,
  type: K,
  accountId: string,
  name: string,
): Promise<RecordOf[K]> {
  const record = await docs.get<RecordOf[K]>(ENTITY_TYPES[type].collection, entityKey(accountId, name));
  if (!record) throw notFound(type, name);
  return record;
}

/** IAM's default quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const QUOTAS = {
  UsersPerAccount: 5000,
  GroupsPerAccount: 300,
  RolesPerAccount: 1000,
  InstanceProfilesPerAccount: 1000,
  GroupsPerUser: 10,
  InstanceSessionsPerInstanceProfile: 1,
} as const;

export type QuotaName = keyof typeof QUOTAS;

/** AWS's LimitExceeded message: "Cannot exceed quota for UsersPerAccount: 5000". */
export function quotaExceeded(quota: QuotaName): AwsError {
  return limitExceeded(`Cannot exceed quota for ${quota}: ${QUOTAS[quota]}`);
}

/** Throws LimitExceeded when the documents under `prefix` already fill the quota. */
export async function checkQuota(docs: Documents, collection: string, prefix: string, quota: QuotaName): Promise<void> {
  if ((await docs.count(collection, prefix)) >= QUOTAS[quota]) throw quotaExceeded(quota);
}

/** The store key prefix of everything one account holds in a collection. */
export function accountPrefix(accountId: string): string {
  return `${accountId}/`;
}

export interface ListRequest {
  Marker?: string;
  MaxItems?: number;
}

/** How many store documents one scan step reads while filtering. */
const SCAN_STEP = 200;

/**
 * One IAM page of the documents under `prefix` that `keep` accepts, in key order (for
 * named entities: the lower-cased name). The Marker is the last returned key, so a
 * page never repeats or skips an entity that still exists.
 */
export async function listPage<T>(
  docs: Documents,
  collection: string,
  prefix: string,
  request: ListRequest,
  keep: (value: T) => boolean = () => true,
): Promise<IamPage<T>> {
  const maxItems = request.MaxItems ?? DEFAULT_MAX_ITEMS;
  let after = decodeMarker(request.Marker);
  if (after !== undefined && !after.startsWith(prefix)) throw invalidInput('Invalid Marker.');
  const found: { key: string; value: T }[] = [];
  while (found.length <= maxItems) {
    const page = await docs.list<T>(collection, { prefix, after, limit: SCAN_STEP });
    for (const entry of page.items) {
      if (keep(entry.value)) found.push(entry);
      if (found.length > maxItems) break;
    }
    if (page.next === undefined) break;
    after = page.next;
  }
  const items = found.slice(0, maxItems);
  const truncated = found.length > maxItems;
  return {
    items: items.map((entry) => entry.value),
    IsTruncated: truncated,
    ...(truncated ? { Marker: encodeMarker(items[items.length - 1]!.key) } : {}),
  };
}

/** Every document under `prefix` (for checks that must see them all, e.g. attachments). */
export async function listAll<T>(docs: Documents, collection: string, prefix: string): Promise<{ key: string; value: T }[]> {
  const all: { key: string; value: T }[] = [];
  let after: string | undefined;
  do {
    const page = await docs.list<T>(collection, { prefix, after, limit: SCAN_STEP });
    all.push(...page.items);
    after = page.next;
  } while (after !== undefined);
  return all;
}

/** PathPrefix filter: "/" (or none) keeps everything. */
export function underPath(pathPrefix: string | undefined): (value: { path: string }) => boolean {
  return (value) => pathPrefix === undefined || value.path.startsWith(pathPrefix);
}

export function accountOf(context: RequestContext): string {
  return context.principal.accountId;
}

/** Policy documents travel URL-encoded in IAM's responses (RFC 3986), as AWS sends them. */
export function urlEncodedDocument(document: string): string {
  return encodeURIComponent(document);
}

/** Issues a unique id with AWS's prefix and registers where it lives (ids never repeat). */
export async function issueUniqueId(docs: Documents, prefix: string, owner: UniqueIdRecord): Promise<string> {
  for (;;) {
    const id = newUniqueId(prefix);
    if (await docs.insert(COLLECTIONS.uniqueIds, id, owner)) return id;
  }
}

/** Points an entity's unique id at its new name (UpdateUser / UpdateGroup renames). */
export async function renameUniqueId(docs: Documents, id: string, name: string): Promise<void> {
  const owner = await docs.get<UniqueIdRecord>(COLLECTIONS.uniqueIds, id);
  if (owner) await docs.put(COLLECTIONS.uniqueIds, id, { ...owner, name });
}

/** Loads one record per item, one after another (a transaction serves one request at a time). */
export async function loadEach<I, R>(items: readonly I[], loadOne: (item: I) => Promise<R>): Promise<R[]> {
  const loaded: R[] = [];
  for (const item of items) loaded.push(await loadOne(item));
  return loaded;
}

/** What UpdateUser and UpdateGroup need to know of their entity kind. */
export interface Renaming<R extends { path: string; arn: string }> {
  type: 'user' | 'group';
  accountId: string;
  record: R;
  name: string;
  id: string;
  /** The record with a new name (userName or groupName). */
  withName(record: R, name: string): R;
  /** Moves what hangs off the entity (memberships, policies, credentials) to its new name. */
  moveDependents(docs: Documents, accountId: string, oldName: string, newName: string): Promise<void>;
}

/**
 * UpdateUser / UpdateGroup inside a transaction: a new name (unique case-insensitively;
 * a case-only rename is allowed) and/or a new path; on a rename the unique id and the
 * dependents follow.
 */
export async function renameEntity<R extends { path: string; arn: string }>(
  tx: Documents,
  entity: Renaming<R>,
  newName: string | undefined,
  newPath: string | undefined,
): Promise<void> {
  const { type, accountId, name } = entity;
  const { collection, arnType } = ENTITY_TYPES[type];
  const targetName = newName ?? name;
  const path = newPath ?? entity.record.path;
  const oldKey = entityKey(accountId, name);
  const newKey = entityKey(accountId, targetName);
  if (newKey !== oldKey && (await tx.get(collection, newKey))) throw duplicate(type, targetName);
  const updated = { ...entity.withName(entity.record, targetName), path, arn: iamArn(accountId, arnType, path, targetName) };
  if (newKey !== oldKey) await tx.delete(collection, oldKey);
  await tx.put(collection, newKey, updated);
  if (targetName !== name) await renameUniqueId(tx, entity.id, targetName);
  // A new path is a new ARN too: credentials that carry the user's ARN must follow it.
  if (targetName !== name || path !== entity.record.path) await entity.moveDependents(tx, accountId, name, targetName);
}
