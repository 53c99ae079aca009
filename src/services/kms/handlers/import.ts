// Imported key material (Origin EXTERNAL): GetParametersForImport, ImportKeyMaterial
// (where the material goes: material-import.ts), DeleteImportedKeyMaterial. The import
// token is sealed with a service secret kept in the store (32 random bytes, made on
// first use).
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import { createImportParameters, toStoredKeyMaterial, unwrapImportedKeyMaterial } from '../crypto/index.ts';
import { currentVersion, isImported, removeMaterial } from '../imported-material.ts';
import { invalidState, replicasOf, requireKey, requireNotPendingDeletion, saveKey, writeKey } from '../keys.ts';
import { importTypeOf, isReplica, placeImportedMaterial } from '../material-import.ts';
import type { Operations } from '../../../protocol/types/kms.ts';
import type { Store } from '../../../store/store.ts';
import { serviceSecret, type KeyRecord, type MaterialVersion } from '../records.ts';

const IMPORT_SECRET = 'import-token';

function requireExternal(record: KeyRecord): void {
  if (record.origin !== 'EXTERNAL') {
    throw new AwsError('UnsupportedOperationException', `${record.arn} origin is ${record.origin} which is not valid for this operation.`);
  }
}

/** A primary's material pending rotation goes, with the same material pending in its replicas. */
async function removeFromAllCopies(store: Store, primary: KeyRecord, materialId: string): Promise<void> {
  const changed = (await replicasOf(store, primary)).filter((replica) => {
    const version = replica.materials.find((v) => v.material.materialId === materialId);
    if (!version?.pendingRotation) return false;
    removeMaterial(replica, version);
    return true;
  });
  await store.transaction(async (tx) => {
    for (const copy of [primary, ...changed]) await writeKey(tx, copy);
  });
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
    // Records written before material versions had flags lost their current id on deletion
    // (a replica may now lack one by design: it has not imported its primary's current yet).
    if (!isReplica(record)) record.currentMaterialId ??= record.materials[0]?.material.materialId;
    await placeImportedMaterial(context.store, record, version, importType);
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
    // Material the key holds for good stays recorded (a later import must match it) but is
    // unusable; material pending rotation is dropped, from a primary's replicas too.
    const fromReplicas = version.pendingRotation === true && record.multiRegion && !isReplica(record);
    removeMaterial(record, version);
    if (!fromReplicas) await saveKey(context.store, record);
    else await removeFromAllCopies(context.store, record, version.material.materialId);
    return { KeyId: record.arn, KeyMaterialId: version.material.materialId };
  },
};
