// The versions of a key's imported material (Origin EXTERNAL) and what their states
// mean for the key. A version is current, non-current (rotated away from, still
// decrypting), or pending rotation (imported as NEW_KEY_MATERIAL, waiting for
// RotateKeyOnDemand, and not yet the key's for good). Deleted or expired material
// stays recorded (a re-import must match it) but is not imported any more; if it was
// the key's for good, the key is PendingImport until it is imported again.
import type { KeyMaterialState } from '../../protocol/types/kms.ts';
import type { KeyRecord, MaterialVersion } from './records.ts';

export function isImported(version: MaterialVersion): boolean {
  return version.notImported !== true;
}

/** The version that is current, if the key has one. */
export function currentVersion(record: KeyRecord): MaterialVersion | undefined {
  const id = record.currentMaterialId;
  return id === undefined ? undefined : record.materials.find((v) => v.material.materialId === id);
}

export function pendingRotationVersion(record: KeyRecord): MaterialVersion | undefined {
  return record.materials.find((v) => v.pendingRotation);
}

export function materialState(record: KeyRecord, version: MaterialVersion): KeyMaterialState {
  if (version.pendingRotation) return 'PENDING_ROTATION';
  return version.material.materialId === record.currentMaterialId ? 'CURRENT' : 'NON_CURRENT';
}

/** Every material the key holds for good is imported: the key can leave PendingImport. */
export function hasAllMaterial(record: KeyRecord): boolean {
  const current = currentVersion(record);
  return current !== undefined && record.materials.every((v) => v.pendingRotation || isImported(v));
}

/** Material is gone (deleted or expired): a pending rotation is dropped; other material leaves the key PendingImport. */
export function removeMaterial(record: KeyRecord, version: MaterialVersion): void {
  if (version.pendingRotation) {
    record.materials = record.materials.filter((v) => v !== version);
    return;
  }
  version.notImported = true;
  delete version.validTo;
  delete version.expirationModel;
  if (record.state !== 'PendingDeletion') record.state = 'PendingImport';
}

function expiredVersions(record: KeyRecord, now: Date): MaterialVersion[] {
  if (record.origin !== 'EXTERNAL') return [];
  return record.materials.filter((v) => isImported(v) && v.validTo !== undefined && Date.parse(v.validTo) <= now.getTime());
}

export function importedMaterialExpired(record: KeyRecord, now: Date): boolean {
  return expiredVersions(record, now).length > 0;
}

/** Imported material past its ValidTo is deleted by KMS. */
export function expireImportedMaterial(record: KeyRecord, now: Date): void {
  for (const version of expiredVersions(record, now)) removeMaterial(record, version);
}
