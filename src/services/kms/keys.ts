// Finding a key from what the caller wrote (key id, key ARN, alias name, alias ARN),
// applying what Bulwark's clock says has happened to it since (scheduled deletion,
// automatic rotation — applied lazily, on access), and the state and usage checks
// operations make before they touch the key.
import { AwsError } from '../../protocol/errors.ts';
import type { Documents, Store, Transaction } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';
import { awsManagedKeyOf } from './aws-managed.ts';
import { currentVersion, expireImportedMaterial, importedMaterialExpired, isImported } from './imported-material.ts';
import { fromStoredKeyMaterial, generateKeyMaterial, parseKeyRef, toStoredKeyMaterial, type KeyMaterial } from './crypto/index.ts';
import type { KeyUsageType } from '../../protocol/types/kms.ts';
import {
  aliasKey, grantPrefix, KMS_COLLECTIONS, keyArn, keyKey, regionPrefix, type AliasRecord, type KeyRecord,
} from './records.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const ALIAS_ARN = /^arn:aws:kms:([^:]+):(\d{12}):(alias\/.+)$/;

/** Where a KeyId points: the key's account, Region and id (the key may not exist). */
export interface KeyLocation {
  accountId: string;
  region: string;
  keyId: string;
  arn: string;
}

export function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message);
}

/** Every copy of a multi-Region key (primary first), as stored. */
export async function multiRegionCopies(documents: Documents, record: KeyRecord): Promise<KeyRecord[]> {
  const regions = [record.primaryRegion ?? record.region, ...(record.replicaRegions ?? [])];
  const copies = await Promise.all(regions.map((region) => (
    documents.get<KeyRecord>(KMS_COLLECTIONS.keys, keyKey(record.accountId, region, record.keyId))
  )));
  return copies.filter((copy): copy is KeyRecord => copy !== undefined);
}

/** The replicas of a multi-Region primary key, as stored (every copy but the primary itself). */
export async function replicasOf(documents: Documents, primary: KeyRecord): Promise<KeyRecord[]> {
  return (await multiRegionCopies(documents, primary)).filter((copy) => copy.region !== primary.region);
}

/** Resolves a KeyId (id, key ARN, alias name, alias ARN) to the key it names; NotFound when an alias is unknown. */
export async function locateKey(store: Documents, context: RequestContext, keyIdInput: string): Promise<KeyLocation> {
  const accountId = context.principal.accountId;
  const region = context.region;
  const aliasArn = ALIAS_ARN.exec(keyIdInput);
  if (keyIdInput.startsWith('alias/') || aliasArn) {
    const [aliasRegion, aliasAccount, aliasName] = aliasArn ? [aliasArn[1]!, aliasArn[2]!, aliasArn[3]!] : [region, accountId, keyIdInput];
    const alias = await store.get<AliasRecord>(KMS_COLLECTIONS.aliases, aliasKey(aliasAccount, aliasRegion, aliasName));
    // A predefined AWS alias gets its AWS managed key on first use, in its own account only.
    const keyId = alias?.targetKeyId
      ?? (aliasAccount === accountId ? await awsManagedKeyOf(context.store, aliasAccount, aliasRegion, aliasName, context.now) : undefined);
    if (!keyId) throw notFound(`Alias arn:aws:kms:${aliasRegion}:${aliasAccount}:${aliasName} is not found.`);
    return { accountId: aliasAccount, region: aliasRegion, keyId, arn: keyArn(aliasAccount, aliasRegion, keyId) };
  }
  const ref = parseKeyRef(keyIdInput);
  if (ref.account !== undefined) {
    return { accountId: ref.account, region: ref.region!, keyId: ref.keyId, arn: keyArn(ref.account, ref.region!, ref.keyId) };
  }
  if (keyIdInput.startsWith('arn:')) throw new AwsError('NotFoundException', `Invalid arn ${keyIdInput}`);
  return { accountId, region, keyId: ref.keyId, arn: keyArn(accountId, region, ref.keyId) };
}

/**
 * The key a request names, looked up once per request: the access declaration and the
 * handler both need it, and neither should pay for the store read twice.
 */
const keysOfRequest = new WeakMap<RequestContext, Map<string, Promise<KeyRecord | undefined>>>();

export function findRequestKey(context: RequestContext, location: KeyLocation): Promise<KeyRecord | undefined> {
  let keys = keysOfRequest.get(context);
  if (!keys) keysOfRequest.set(context, (keys = new Map()));
  let record = keys.get(location.arn);
  if (!record) {
    record = findKey(context.store, location, context.now);
    keys.set(location.arn, record);
    record.catch(() => keys.delete(location.arn));
  }
  return record;
}

/** The key record, with deletion and rotation applied up to now; undefined when it does not (or no longer) exist. */
export async function findKey(store: Store, location: KeyLocation, now: Date): Promise<KeyRecord | undefined> {
  const record = await findKeyInRegion(store, location, now);
  return record ? syncReplicaMaterial(store, record, now) : undefined;
}

/**
 * A multi-Region replica shares its primary's material: after the primary rotates,
 * the replica takes the new material on its next access. Imported material is each
 * copy's own (every copy imports it).
 */
async function syncReplicaMaterial(store: Store, record: KeyRecord, now: Date): Promise<KeyRecord> {
  const primaryRegion = record.primaryRegion;
  if (!record.multiRegion || !primaryRegion || primaryRegion === record.region || record.origin === 'EXTERNAL') return record;
  const primary = await findKeyInRegion(store, { ...record, region: primaryRegion, arn: keyArn(record.accountId, primaryRegion, record.keyId) }, now);
  if (!primary || primary.materials.length === record.materials.length) return record;
  record.materials = primary.materials;
  record.currentMaterialId = primary.currentMaterialId;
  await saveKey(store, record);
  return record;
}

async function findKeyInRegion(store: Store, location: KeyLocation, now: Date): Promise<KeyRecord | undefined> {
  const storeKey = keyKey(location.accountId, location.region, location.keyId);
  const record = await store.get<KeyRecord>(KMS_COLLECTIONS.keys, storeKey);
  if (!record) return undefined;
  if (!isDue(record, now)) return record;
  return store.transaction(async (tx) => {
    const fresh = await tx.get<KeyRecord>(KMS_COLLECTIONS.keys, storeKey);
    if (!fresh) return undefined;
    if (fresh.state === 'PendingDeletion' && fresh.deletionDate && Date.parse(fresh.deletionDate) <= now.getTime()) {
      await deleteKeyNow(tx, fresh);
      return undefined;
    }
    await applyDueRotations(fresh, now);
    expireImportedMaterial(fresh, now);
    await writeKey(tx, fresh);
    return fresh;
  });
}

function isDue(record: KeyRecord, now: Date): boolean {
  const deletionDue = record.state === 'PendingDeletion' && record.deletionDate !== undefined && Date.parse(record.deletionDate) <= now.getTime();
  const rotationDue = record.rotation.enabled && record.state === 'Enabled'
    && record.rotation.nextRotationDate !== undefined && Date.parse(record.rotation.nextRotationDate) <= now.getTime();
  return deletionDue || rotationDue || importedMaterialExpired(record, now);
}

/** Rotations whose dates have passed, each on its own date (material is kept; new one becomes current). */
async function applyDueRotations(record: KeyRecord, now: Date): Promise<void> {
  const { rotation } = record;
  while (rotation.enabled && rotation.nextRotationDate && Date.parse(rotation.nextRotationDate) <= now.getTime()) {
    await addRotatedMaterial(record, new Date(rotation.nextRotationDate), 'AUTOMATIC');
    rotation.nextRotationDate = new Date(Date.parse(rotation.nextRotationDate) + rotation.periodInDays! * DAY_MS).toISOString();
  }
}

/** New material becomes current; the old stays for decrypting what it encrypted. */
export async function addRotatedMaterial(record: KeyRecord, date: Date, rotationType: 'AUTOMATIC' | 'ON_DEMAND'): Promise<void> {
  const material = await generateKeyMaterial(record.keySpec);
  record.materials.push({
    material: toStoredKeyMaterial(material),
    rotationDate: date.toISOString(),
    rotationType,
  });
  record.currentMaterialId = material.materialId;
}

export function nextRotationDate(from: Date, periodInDays: number): string {
  return new Date(from.getTime() + periodInDays * DAY_MS).toISOString();
}

/** Deletes a key with its aliases and grants (the deletion window has passed). */
async function deleteKeyNow(tx: Documents, record: KeyRecord): Promise<void> {
  await tx.delete(KMS_COLLECTIONS.keys, keyKey(record.accountId, record.region, record.keyId));
  await tx.delete(KMS_COLLECTIONS.usage, keyKey(record.accountId, record.region, record.keyId));
  const aliases = await tx.list<AliasRecord>(KMS_COLLECTIONS.aliases, { prefix: regionPrefix(record.accountId, record.region) });
  for (const alias of aliases.items) {
    if (alias.value.targetKeyId === record.keyId) await tx.delete(KMS_COLLECTIONS.aliases, alias.key);
  }
  const grants = await tx.list(KMS_COLLECTIONS.grants, { prefix: grantPrefix(record.accountId, record.region, record.keyId) });
  for (const grant of grants.items) await tx.delete(KMS_COLLECTIONS.grants, grant.key);
}

/** The key a KeyId names, or NotFoundException with AWS's message. */
export async function requireKey(context: RequestContext, keyIdInput: string): Promise<KeyRecord> {
  const location = await locateKey(context.store, context, keyIdInput);
  const record = await findRequestKey(context, location);
  if (!record) throw notFound(`Key '${location.arn}' does not exist`);
  return record;
}

/** Cryptographic operations need an Enabled key: DisabledException or KMSInvalidStateException otherwise. */
export function requireEnabled(record: KeyRecord): void {
  switch (record.state) {
    case 'Enabled': return;
    case 'Disabled': throw new AwsError('DisabledException', `${record.arn} is disabled.`);
    case 'PendingDeletion': throw invalidState(`${record.arn} is pending deletion.`);
    case 'PendingImport': throw invalidState(`${record.arn} is pending import.`);
    default: throw invalidState(`${record.arn} is ${record.state}.`);
  }
}

export function invalidState(message: string): AwsError {
  return new AwsError('KMSInvalidStateException', message);
}

/** Operations that change a key refuse one that is pending deletion. */
export function requireNotPendingDeletion(record: KeyRecord): void {
  if (record.state === 'PendingDeletion') throw invalidState(`${record.arn} is pending deletion.`);
}

export function requireUsage(record: KeyRecord, usage: KeyUsageType, operation: string): void {
  if (record.keyUsage !== usage) {
    throw new AwsError('InvalidKeyUsageException', `${record.arn} key usage is ${record.keyUsage} which is not valid for ${operation}.`);
  }
}

export function currentMaterial(record: KeyRecord): KeyMaterial {
  const version = currentVersion(record);
  if (!version || !isImported(version)) throw invalidState(`${record.arn} is pending import.`);
  return fromStoredKeyMaterial(version.material);
}

/** Material a ciphertext names, if the key still holds it (not pending rotation, not deleted). */
export function materialById(record: KeyRecord, materialId: string): KeyMaterial | undefined {
  const version = record.materials.find((v) => v.material.materialId === materialId);
  return version && isImported(version) && !version.pendingRotation ? fromStoredKeyMaterial(version.material) : undefined;
}

/** Writes a changed key record back. */
export async function saveKey(store: Store, record: KeyRecord): Promise<void> {
  await store.transaction((tx) => writeKey(tx, record));
}

/**
 * Writes a key record inside a transaction, keeping the stored grant count: only the
 * grant operations change it, and a record read before a concurrent CreateGrant must
 * not write an older count back.
 */
export async function writeKey(tx: Transaction, record: KeyRecord): Promise<void> {
  const storeKey = keyKey(record.accountId, record.region, record.keyId);
  const stored = await tx.get<KeyRecord>(KMS_COLLECTIONS.keys, storeKey);
  if (stored) {
    if (stored.grantCount === undefined) delete record.grantCount;
    else record.grantCount = stored.grantCount;
  }
  await tx.put(KMS_COLLECTIONS.keys, storeKey, record);
}

/** After a grant is created or deleted (in `tx`): the key's grant count, recounted. */
export async function recountGrants(tx: Transaction, location: Pick<KeyRecord, 'accountId' | 'region' | 'keyId'>): Promise<void> {
  const storeKey = keyKey(location.accountId, location.region, location.keyId);
  const stored = await tx.get<KeyRecord>(KMS_COLLECTIONS.keys, storeKey);
  if (!stored) return;
  stored.grantCount = await tx.count(KMS_COLLECTIONS.grants, grantPrefix(location.accountId, location.region, location.keyId));
  await tx.put(KMS_COLLECTIONS.keys, storeKey, stored);
}
