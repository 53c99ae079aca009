// Imported key material (Origin EXTERNAL): GetParametersForImport, ImportKeyMaterial,
// DeleteImportedKeyMaterial. A key's first import is its material for good; symmetric
// keys may then take NEW_KEY_MATERIAL for RotateKeyOnDemand (imported-material.ts),
// and every re-import must be material the key already has. The import token is sealed with a service secret kept in
// the store (32 random bytes, made on first use).
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import {
  createImportParameters, fromStoredKeyMaterial, requireSameImportedMaterial, toStoredKeyMaterial, unwrapImportedKeyMaterial,
} from '../crypto/index.ts';
import {
  currentVersion, hasAllMaterial, isImported, pendingRotationVersion, removeMaterial,
} from '../imported-material.ts';
import { invalidState, multiRegionCopies, requireKey, requireNotPendingDeletion, saveKey } from '../keys.ts';
import type { Documents } from '../../../store/store.ts';
import type { ImportKeyMaterialRequest, ImportType, Operations } from '../../../protocol/types/kms.ts';
import { serviceSecret, type KeyRecord, type MaterialVersion } from '../records.ts';

const IMPORT_SECRET = 'import-token';

function requireExternal(record: KeyRecord): void {
  if (record.origin !== 'EXTERNAL') {
    throw new AwsError('UnsupportedOperationException', `${record.arn} origin is ${record.origin} which is not valid for this operation.`);
  }
}

/** The material already imported into another copy of a multi-Region key, if any. */
async function materialOfRelatedKeys(store: Documents, record: KeyRecord): Promise<MaterialVersion | undefined> {
  if (!record.multiRegion) return undefined;
  const copies = await multiRegionCopies(store, record);
  return copies.find((copy) => copy.region !== record.region && copy.materials.length > 0)?.materials[0];
}

/**
 * NEW_KEY_MATERIAL by default for a key's first material, EXISTING_KEY_MATERIAL after;
 * only symmetric encryption keys take the parameters (the others never change material).
 */
function importTypeOf(record: KeyRecord, input: ImportKeyMaterialRequest): ImportType {
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

/** The key's first material; every copy of a multi-Region key must have the same. */
async function acceptFirstMaterial(store: Documents, record: KeyRecord, version: MaterialVersion, importType: ImportType): Promise<void> {
  const related = await materialOfRelatedKeys(store, record);
  if (related) requireSameImportedMaterial(fromStoredKeyMaterial(related.material), fromStoredKeyMaterial(version.material));
  else if (importType === 'EXISTING_KEY_MATERIAL') throw notPreviouslyImported();
  record.materials = [version];
  record.currentMaterialId = version.material.materialId;
}

/** Material the key already had, imported again (after deletion or expiry, or with a new expiry). */
function reimport(record: KeyRecord, version: MaterialVersion): void {
  const existing = record.materials.find((v) => v.material.materialId === version.material.materialId);
  if (!existing) throw notPreviouslyImported();
  delete existing.notImported;
  existing.expirationModel = version.expirationModel;
  if (version.validTo) existing.validTo = version.validTo;
  else delete existing.validTo;
  if (version.description) existing.description = version.description;
}

/** NEW_KEY_MATERIAL on a key that has material: it waits, PENDING_ROTATION, for RotateKeyOnDemand. */
function addMaterialForRotation(record: KeyRecord, version: MaterialVersion): void {
  if (record.materials.some((v) => v.material.materialId === version.material.materialId)) {
    throw new AwsError('IncorrectKeyMaterialException', 'This key material is already associated with the KMS key: import it with ImportType EXISTING_KEY_MATERIAL.');
  }
  if (record.multiRegion) {
    throw new AwsError('UnsupportedOperationException', `${record.arn} is a multi-Region key: Bulwark does not rotate the imported material of multi-Region keys.`);
  }
  if (pendingRotationVersion(record)) {
    throw invalidState(`${record.arn} already has key material pending rotation: rotate the key or delete that material first.`);
  }
  record.materials.push({ ...version, pendingRotation: true });
}

export const importHandlers: Handlers<Operations> = {
  async GetParametersForImport(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireExternal(record);
    requireNotPendingDeletion(record);
    const parameters = await createImportParameters({
      keyId: record.arn,
      keySpec: record.keySpec,
      wrappingAlgorithm: input.WrappingAlgorithm,
      wrappingKeySpec: input.WrappingKeySpec,
      now: context.now,
      serviceSecret: await serviceSecret(context.store, IMPORT_SECRET),
    });
    return { KeyId: record.arn, ImportToken: parameters.importToken, PublicKey: parameters.publicKey, ParametersValidTo: parameters.parametersValidTo };
  },

  async ImportKeyMaterial(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireExternal(record);
    requireNotPendingDeletion(record);
    const expirationModel = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
    if (expirationModel === 'KEY_MATERIAL_EXPIRES' && !input.ValidTo) {
      throw new AwsError('ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
    }
    if (expirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE' && input.ValidTo) {
      throw new AwsError('ValidationException', 'A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE');
    }
    const importType = importTypeOf(record, input);
    const incoming = unwrapImportedKeyMaterial({
      keyId: record.arn,
      keySpec: record.keySpec,
      importToken: input.ImportToken,
      encryptedKeyMaterial: input.EncryptedKeyMaterial,
      now: context.now,
      serviceSecret: await serviceSecret(context.store, IMPORT_SECRET),
    });
    if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== incoming.materialId) {
      throw new AwsError('IncorrectKeyMaterialException', `The key material in the request does not have the key material ID ${input.KeyMaterialId}.`);
    }
    const version: MaterialVersion = {
      material: toStoredKeyMaterial(incoming),
      expirationModel,
      ...(input.ValidTo ? { validTo: input.ValidTo.toISOString() } : {}),
      ...(input.KeyMaterialDescription ? { description: input.KeyMaterialDescription } : {}),
    };
    // Records written before material versions had flags lost their current id on deletion.
    record.currentMaterialId ??= record.materials[0]?.material.materialId;
    if (record.materials.length === 0) await acceptFirstMaterial(context.store, record, version, importType);
    else if (importType === 'EXISTING_KEY_MATERIAL') reimport(record, version);
    else addMaterialForRotation(record, version);
    if (record.state === 'PendingImport' && hasAllMaterial(record)) record.state = 'Enabled';
    await saveKey(context.store, record);
    return { KeyId: record.arn, KeyMaterialId: incoming.materialId };
  },

  async DeleteImportedKeyMaterial(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireExternal(record);
    requireNotPendingDeletion(record);
    const version = input.KeyMaterialId === undefined
      ? currentVersion(record)
      : record.materials.find((v) => v.material.materialId === input.KeyMaterialId);
    if (!version && input.KeyMaterialId !== undefined) {
      throw new AwsError('NotFoundException', `Key material ${input.KeyMaterialId} does not exist for ${record.arn}.`);
    }
    if (!version || !isImported(version)) throw invalidState(`${record.arn} is pending import.`);
    // The material itself is kept (a later import must match it); the key can no longer use it.
    removeMaterial(record, version);
    await saveKey(context.store, record);
    return { KeyId: record.arn, KeyMaterialId: version.material.materialId };
  },
};
