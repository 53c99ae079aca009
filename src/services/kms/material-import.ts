// Where an ImportKeyMaterial goes among a key's material versions (imported-material.ts).
// A key's first material is its material for good; re-imports must be material it
// already has; a symmetric key may take NEW_KEY_MATERIAL, which waits in
// PENDING_ROTATION for RotateKeyOnDemand. The copies of a multi-Region key share their
// material, with the primary as the authority: new material is imported into the
// primary first, then (as EXISTING_KEY_MATERIAL) into every replica.
import { AwsError } from '../../protocol/errors.ts';
import type { Documents } from '../../store/store.ts';
import type { ImportKeyMaterialRequest, ImportType } from '../../protocol/types/kms.ts';
import { hasAllMaterial, isImported, pendingRotationVersion } from './imported-material.ts';
import { invalidState, multiRegionCopies, replicasOf } from './keys.ts';
import type { KeyRecord, MaterialVersion } from './records.ts';

/**
 * NEW_KEY_MATERIAL by default for a key's first material, EXISTING_KEY_MATERIAL after;
 * only symmetric encryption keys take the parameters (the others never change material).
 */
export function importTypeOf(record: KeyRecord, input: ImportKeyMaterialRequest): ImportType {
  if (record.keySpec !== 'SYMMETRIC_DEFAULT' && (input.ImportType ?? input.KeyMaterialId ?? input.KeyMaterialDescription) !== undefined) {
    throw new AwsError('ValidationException', 'ImportType, KeyMaterialId and KeyMaterialDescription are valid only for symmetric encryption KMS keys.');
  }
  const importType = input.ImportType ?? (record.materials.length > 0 ? 'EXISTING_KEY_MATERIAL' : 'NEW_KEY_MATERIAL');
  if (importType === 'NEW_KEY_MATERIAL' && input.KeyMaterialId !== undefined) {
    throw new AwsError('ValidationException', 'KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL.');
  }
  return importType;
}

function notPreviouslyImported(): AwsError {
  return new AwsError('IncorrectKeyMaterialException', 'The key material in the request is not the same key material that was previously imported into this KMS key.');
}

const sameId = (id: string) => (v: MaterialVersion) => v.material.materialId === id;

export function isReplica(record: KeyRecord): boolean {
  return record.multiRegion && (record.primaryRegion ?? record.region) !== record.region;
}

/** The stored primary of a multi-Region key (the record itself when it is the primary). */
export async function primaryOf(store: Documents, record: KeyRecord): Promise<KeyRecord | undefined> {
  if (!isReplica(record)) return record;
  return (await multiRegionCopies(store, record)).find((copy) => copy.region === record.primaryRegion);
}

/** Places `version` in the record (changed in place) and, after it, the key's state. */
export async function placeImportedMaterial(store: Documents, record: KeyRecord, version: MaterialVersion, importType: ImportType): Promise<void> {
  const id = version.material.materialId;
  const primary = record.multiRegion ? await primaryOf(store, record) : record;
  const own = record.materials.find(sameId(id));
  if (own) {
    if (importType === 'NEW_KEY_MATERIAL') {
      throw new AwsError('IncorrectKeyMaterialException', 'This key material is already associated with the KMS key: import it with ImportType EXISTING_KEY_MATERIAL.');
    }
    reimport(own, version);
  } else if (record.materials.length === 0 && !primary?.materials.length) {
    // The first material of the key, and of all its copies: a copy that had it first decides.
    const other = await firstMaterialOfOtherCopies(store, record);
    if (other ? other.material.materialId !== id : importType === 'EXISTING_KEY_MATERIAL') throw notPreviouslyImported();
    record.materials = [version];
    record.currentMaterialId = id;
  } else if (isReplica(record)) {
    adoptPrimaryMaterial(record, primary, version, importType);
  } else if (importType === 'EXISTING_KEY_MATERIAL') {
    throw notPreviouslyImported();
  } else {
    addMaterialForRotation(record, version);
  }
  const holdsCurrent = !isReplica(record) || !primary?.currentMaterialId || record.currentMaterialId === primary.currentMaterialId;
  if (record.state === 'PendingImport' && hasAllMaterial(record) && holdsCurrent) record.state = 'Enabled';
}

async function firstMaterialOfOtherCopies(store: Documents, record: KeyRecord): Promise<MaterialVersion | undefined> {
  if (!record.multiRegion) return undefined;
  const copies = await multiRegionCopies(store, record);
  return copies.find((copy) => copy.region !== record.region && copy.materials.length > 0)?.materials[0];
}

/** Material the key already had, imported again (after deletion or expiry, or with a new expiry). */
function reimport(existing: MaterialVersion, version: MaterialVersion): void {
  delete existing.notImported;
  existing.expirationModel = version.expirationModel;
  if (version.validTo) existing.validTo = version.validTo;
  else delete existing.validTo;
  if (version.description) existing.description = version.description;
}

/** A replica takes only its primary's material, in the state it has there (its first import may be NEW_KEY_MATERIAL). */
function adoptPrimaryMaterial(replica: KeyRecord, primary: KeyRecord | undefined, version: MaterialVersion, importType: ImportType): void {
  if (importType === 'NEW_KEY_MATERIAL' && replica.materials.length > 0) {
    throw new AwsError('UnsupportedOperationException', `${replica.arn} is a replica key: import new key material into its primary key, then import it here as EXISTING_KEY_MATERIAL.`);
  }
  const known = primary?.materials.find(sameId(version.material.materialId));
  if (!known) throw notPreviouslyImported();
  replica.materials.push({
    ...version,
    ...(known.pendingRotation ? { pendingRotation: true } : {}),
    ...(known.rotationDate ? { rotationDate: known.rotationDate, rotationType: known.rotationType } : {}),
  });
  if (!known.pendingRotation && known.material.materialId === primary!.currentMaterialId) replica.currentMaterialId = known.material.materialId;
}

/** NEW_KEY_MATERIAL on a key that has material: it waits, PENDING_ROTATION, for RotateKeyOnDemand. */
function addMaterialForRotation(record: KeyRecord, version: MaterialVersion): void {
  if (pendingRotationVersion(record)) {
    throw invalidState(`${record.arn} already has key material pending rotation: rotate the key or delete that material first.`);
  }
  record.materials.push({ ...version, pendingRotation: true });
}

/** Replicas of `primary` that do not hold its pending material yet (PENDING_MULTI_REGION_IMPORT_AND_ROTATION). */
export async function replicasAwaitingImport(store: Documents, primary: KeyRecord): Promise<KeyRecord[]> {
  if (!pendingRotationVersion(primary) || !primary.multiRegion || isReplica(primary)) return [];
  return awaitingImport(primary, await replicasOf(store, primary));
}

/** Of `replicas` (the primary's, as read), those that do not hold the primary's pending material yet. */
export function awaitingImport(primary: KeyRecord, replicas: KeyRecord[]): KeyRecord[] {
  const pending = pendingRotationVersion(primary);
  if (!pending) return [];
  return replicas.filter((replica) => {
    const version = replica.materials.find(sameId(pending.material.materialId));
    return !version || !isImported(version);
  });
}
