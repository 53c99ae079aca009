// Imported key material (Origin EXTERNAL): GetParametersForImport, ImportKeyMaterial,
// DeleteImportedKeyMaterial. The import token is sealed with a service secret kept in
// the store (32 random bytes, made on first use).
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import {
  createImportParameters, fromStoredKeyMaterial, requireSameImportedMaterial, toStoredKeyMaterial, unwrapImportedKeyMaterial,
} from '../crypto/index.ts';
import { invalidState, multiRegionCopies, requireKey, requireNotPendingDeletion, saveKey } from '../keys.ts';
import type { Documents } from '../../../store/store.ts';
import type { Operations } from '../../../protocol/types/kms.ts';
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
    const incoming = unwrapImportedKeyMaterial({
      keyId: record.arn,
      keySpec: record.keySpec,
      importToken: input.ImportToken,
      encryptedKeyMaterial: input.EncryptedKeyMaterial,
      now: context.now,
      serviceSecret: await serviceSecret(context.store, IMPORT_SECRET),
    });
    // Imported material, once seen, is the key's for good: re-imports must be the same
    // material, and so must imports into the other copies of a multi-Region key.
    const previous = record.materials[0] ?? (await materialOfRelatedKeys(context.store, record));
    if (previous) requireSameImportedMaterial(fromStoredKeyMaterial(previous.material), incoming);
    const version = {
      material: toStoredKeyMaterial(incoming),
      expirationModel,
      ...(input.ValidTo ? { validTo: input.ValidTo.toISOString() } : {}),
      ...(input.KeyMaterialDescription ? { description: input.KeyMaterialDescription } : {}),
    };
    record.materials = [version];
    record.currentMaterialId = incoming.materialId;
    if (record.state === 'PendingImport') record.state = 'Enabled';
    await saveKey(context.store, record);
    return { KeyId: record.arn, KeyMaterialId: incoming.materialId };
  },

  async DeleteImportedKeyMaterial(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireExternal(record);
    requireNotPendingDeletion(record);
    const materialId = record.currentMaterialId;
    if (!materialId) throw invalidState(`${record.arn} is pending import.`);
    if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== materialId) {
      throw new AwsError('NotFoundException', `Key material ${input.KeyMaterialId} does not exist for ${record.arn}.`);
    }
    // The material itself is kept (a later import must match it); the key can no longer use it.
    delete record.currentMaterialId;
    record.state = 'PendingImport';
    await saveKey(context.store, record);
    return { KeyId: record.arn, KeyMaterialId: materialId };
  },
};
