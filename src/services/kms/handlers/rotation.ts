// Key rotation: automatic (every RotationPeriodInDays, 90-2560, default 365, applied
// lazily on Bulwark's clock) and on demand. Old material is kept, so ciphertexts made
// before a rotation still decrypt. Symmetric encryption keys; those with imported
// material rotate on demand only, to material imported as NEW_KEY_MATERIAL.
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import { isImported, materialState, pendingRotationVersion } from '../imported-material.ts';
import {
  addRotatedMaterial, invalidState, nextRotationDate, replicasOf, requireEnabled, requireKey, saveKey, writeKey,
} from '../keys.ts';
import { awaitingImport, isReplica, replicasAwaitingImport } from '../material-import.ts';
import type { Store } from '../../../store/store.ts';
import type { Operations, RotationsListEntry } from '../../../protocol/types/kms.ts';
import { KMS_QUOTAS, limitExceeded } from '../quotas.ts';
import type { KeyRecord, MaterialVersion } from '../records.ts';

const DEFAULT_PERIOD_DAYS = 365;

/**
 * Symmetric encryption keys; with imported material, on-demand rotation only. A
 * replica's rotations are its primary's: they can be listed there, not changed.
 */
function requireRotatable(record: KeyRecord, operation: string, allowed: { imported?: boolean; replica?: boolean } = {}): void {
  const imported = record.origin === 'EXTERNAL' && allowed.imported;
  if (record.keySpec !== 'SYMMETRIC_DEFAULT' || (record.origin !== 'AWS_KMS' && !imported)) {
    throw new AwsError('UnsupportedOperationException', `${record.arn} key usage or origin is not supported for ${operation}. Only symmetric encryption KMS keys with key material created by KMS can be rotated.`);
  }
  if (!allowed.replica && isReplica(record)) {
    throw new AwsError('UnsupportedOperationException', `${record.arn} is a multi-Region replica key: rotate its primary key.`);
  }
}

/** RotateKeyOnDemand of a key with imported material: the material pending rotation becomes current. */
function rotateToImportedMaterial(record: KeyRecord, now: Date): void {
  const pending = pendingRotationVersion(record);
  if (!pending) throw invalidState(`${record.arn} has no key material in PENDING_ROTATION state: import new key material first.`);
  delete pending.pendingRotation;
  pending.rotationDate = now.toISOString();
  pending.rotationType = 'ON_DEMAND';
  record.currentMaterialId = pending.material.materialId;
}

/**
 * RotateKeyOnDemand of imported material: a multi-Region primary's replicas must all
 * hold its pending material; then every copy rotates to it, together.
 */
async function rotateAllCopiesToImportedMaterial(store: Store, primary: KeyRecord, now: Date): Promise<void> {
  const replicas = primary.multiRegion ? await replicasOf(store, primary) : [];
  if (awaitingImport(primary, replicas).length > 0) {
    throw invalidState(`${primary.arn} has key material in PENDING_MULTI_REGION_IMPORT_AND_ROTATION state: import it into every replica key first.`);
  }
  const copies = [primary, ...replicas];
  for (const copy of copies) rotateToImportedMaterial(copy, now);
  await store.transaction(async (tx) => {
    for (const copy of copies) await writeKey(tx, copy);
  });
}

/** A ListKeyRotations entry; imported material also says whether it is imported and when it expires. */
function rotationEntry(record: KeyRecord, version: MaterialVersion, awaitingReplicas: boolean): RotationsListEntry {
  const state = materialState(record, version);
  return {
    KeyId: record.arn,
    KeyMaterialId: version.material.materialId,
    KeyMaterialState: state === 'PENDING_ROTATION' && awaitingReplicas ? 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION' : state,
    ...(version.rotationDate ? { RotationDate: new Date(version.rotationDate), RotationType: version.rotationType } : {}),
    ...(record.origin === 'EXTERNAL' ? {
      ImportState: isImported(version) ? 'IMPORTED' : 'PENDING_IMPORT',
      ...(version.description ? { KeyMaterialDescription: version.description } : {}),
      ...(version.expirationModel ? { ExpirationModel: version.expirationModel } : {}),
      ...(version.validTo ? { ValidTo: new Date(version.validTo) } : {}),
    } as const : {}),
  };
}

export const rotationHandlers: Handlers<Operations> = {
  async EnableKeyRotation(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireEnabled(record);
    requireRotatable(record, 'EnableKeyRotation');
    const period = input.RotationPeriodInDays ?? DEFAULT_PERIOD_DAYS;
    if (period < 90 || period > 2560) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${period}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560 and greater than or equal to 90`);
    }
    record.rotation = { ...record.rotation, enabled: true, periodInDays: period, nextRotationDate: nextRotationDate(context.now, period) };
    await saveKey(context.store, record);
  },

  async DisableKeyRotation(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireEnabled(record);
    requireRotatable(record, 'DisableKeyRotation');
    record.rotation = { enabled: false, ...(record.rotation.onDemandStartDate ? { onDemandStartDate: record.rotation.onDemandStartDate } : {}) };
    await saveKey(context.store, record);
  },

  async GetKeyRotationStatus(input, context) {
    const record = await requireKey(context, input.KeyId);
    const { rotation } = record;
    return {
      KeyRotationEnabled: rotation.enabled,
      KeyId: record.arn,
      ...(rotation.enabled ? { RotationPeriodInDays: rotation.periodInDays, NextRotationDate: new Date(rotation.nextRotationDate!) } : {}),
      ...(rotation.onDemandStartDate ? { OnDemandRotationStartDate: new Date(rotation.onDemandStartDate) } : {}),
    };
  },

  async RotateKeyOnDemand(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireEnabled(record);
    requireRotatable(record, 'RotateKeyOnDemand', { imported: true });
    const onDemand = record.materials.filter((v) => v.rotationType === 'ON_DEMAND').length;
    if (onDemand >= KMS_QUOTAS.onDemandRotationsPerKey) {
      throw limitExceeded(`${record.arn} has reached the maximum of ${KMS_QUOTAS.onDemandRotationsPerKey} on-demand rotations.`);
    }
    record.rotation.onDemandStartDate = context.now.toISOString();
    if (record.origin === 'EXTERNAL') {
      await rotateAllCopiesToImportedMaterial(context.store, record, context.now);
      return { KeyId: record.arn };
    }
    await addRotatedMaterial(record, context.now, 'ON_DEMAND');
    await saveKey(context.store, record);
    return { KeyId: record.arn };
  },

  async ListKeyRotations(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireRotatable(record, 'ListKeyRotations', { imported: true, replica: true });
    const awaitingReplicas = (await replicasAwaitingImport(context.store, record)).length > 0;
    const rotations = record.materials
      .filter((v) => input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL' || v.rotationDate !== undefined)
      .map((v) => rotationEntry(record, v, awaitingReplicas));
    const start = input.Marker ? Number.parseInt(input.Marker, 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidMarkerException', 'The marker that specifies where pagination should next begin is not valid.');
    const limit = input.Limit ?? 100;
    const truncated = start + limit < rotations.length;
    return { Rotations: rotations.slice(start, start + limit), Truncated: truncated, ...(truncated ? { NextMarker: String(start + limit) } : {}) };
  },
};
