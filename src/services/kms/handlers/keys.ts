// Key lifecycle: CreateKey, DescribeKey, ListKeys, EnableKey/DisableKey,
// ScheduleKeyDeletion/CancelKeyDeletion, UpdateKeyDescription, GetKeyLastUsage.
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { generateKeyMaterial, KEY_SPECS, toStoredKeyMaterial } from '../crypto/index.ts';
import { checkKeyPolicy, defaultKeyPolicy } from '../key-policy.ts';
import { findKey, invalidState, requireKey, requireNotPendingDeletion, saveKey } from '../keys.ts';
import { keyMetadata } from '../metadata.ts';
import type { CreateKeyRequest, KeyLastUsageData, KeySpec, KeyUsageType, Operations } from '../../../protocol/types/kms.ts';
import { KMS_COLLECTIONS, keyArn, keyKey, newKeyId, regionPrefix, type KeyRecord } from '../records.ts';
import { hasAllMaterial } from '../imported-material.ts';
import { checkKeyQuota } from '../quotas.ts';
import { checkTags } from '../tags.ts';
import { cloudTrailEventIdOf, lastKeyUse, type KeyUsage } from '../usage.ts';
import { pageOf } from './paging.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

function keySpecAndUsage(input: CreateKeyRequest): { keySpec: KeySpec; keyUsage: KeyUsageType } {
  if (input.KeySpec && input.CustomerMasterKeySpec) {
    throw new AwsError('ValidationException', 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec parameter instead.');
  }
  const keySpec = (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as KeySpec;
  const keyUsage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!KEY_SPECS[keySpec].keyUsages.includes(keyUsage)) {
    throw new AwsError('ValidationException', `KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}`);
  }
  return { keySpec, keyUsage };
}

/** Builds and stores a new key; shared by CreateKey and ReplicateKey's replica. */
export async function createKeyRecord(context: RequestContext, input: CreateKeyRequest): Promise<KeyRecord> {
  const { keySpec, keyUsage } = keySpecAndUsage(input);
  const origin = input.Origin ?? 'AWS_KMS';
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE' || input.CustomKeyStoreId || input.XksKeyId) {
    throw new AwsError('UnsupportedOperationException', 'Custom key stores (AWS CloudHSM and external key stores) are not supported by Bulwark.');
  }
  if (input.MultiRegion && origin !== 'AWS_KMS' && origin !== 'EXTERNAL') {
    throw new AwsError('UnsupportedOperationException', 'Multi-Region keys are not supported with this origin.');
  }
  const accountId = context.principal.accountId;
  const policy = input.Policy ?? defaultKeyPolicy(accountId);
  if (input.Policy !== undefined) await checkKeyPolicy(context, input.Policy, input.BypassPolicyLockoutSafetyCheck);
  const tags = input.Tags ?? [];
  checkTags(tags);
  const multiRegion = input.MultiRegion ?? false;
  const keyId = newKeyId(multiRegion);
  const material = origin === 'AWS_KMS' ? await generateKeyMaterial(keySpec) : undefined;
  const record: KeyRecord = {
    keyId,
    arn: keyArn(accountId, context.region, keyId),
    accountId,
    region: context.region,
    createdAt: context.now.toISOString(),
    description: input.Description ?? '',
    keySpec,
    keyUsage,
    origin,
    state: material ? 'Enabled' : 'PendingImport',
    policy,
    tags,
    multiRegion,
    ...(multiRegion ? { primaryRegion: context.region, replicaRegions: [] } : {}),
    materials: material ? [{ material: toStoredKeyMaterial(material) }] : [],
    currentMaterialId: material?.materialId,
    grantCount: 0,
    rotation: { enabled: false },
  };
  await checkKeyQuota(context.store, accountId, context.region);
  await context.store.put(KMS_COLLECTIONS.keys, keyKey(accountId, context.region, keyId), record);
  return record;
}

async function lastUsageData(context: RequestContext, record: KeyRecord, usage: KeyUsage): Promise<KeyLastUsageData> {
  const eventId = await cloudTrailEventIdOf(context.store, record, usage);
  return {
    Operation: usage.operation,
    Timestamp: new Date(usage.timestamp),
    ...(eventId ? { CloudTrailEventId: eventId } : {}),
    KmsRequestId: usage.requestId,
  };
}

export const keyHandlers: Handlers<Operations> = {
  async CreateKey(input, context) {
    return { KeyMetadata: keyMetadata(await createKeyRecord(context, input)) };
  },

  async DescribeKey(input, context) {
    return { KeyMetadata: keyMetadata(await requireKey(context, input.KeyId)) };
  },

  async GetKeyLastUsage(input, context) {
    const record = await requireKey(context, input.KeyId);
    const usage = await lastKeyUse(context.store, record);
    const created = new Date(record.createdAt);
    return {
      KeyId: record.keyId,
      // Bulwark tracks every key from its creation.
      TrackingStartDate: created,
      KeyCreationDate: created,
      KeyLastUsage: usage ? await lastUsageData(context, record, usage) : {},
    };
  },

  async ListKeys(input, context) {
    const prefix = regionPrefix(context.principal.accountId, context.region);
    const page = await pageOf<KeyRecord>(context, KMS_COLLECTIONS.keys, prefix, input, (record) => (
      findKey(context.store, { accountId: record.accountId, region: record.region, keyId: record.keyId, arn: record.arn }, context.now)
    ));
    return {
      Keys: page.items.map((record) => ({ KeyId: record.keyId, KeyArn: record.arn })),
      Truncated: page.truncated,
      ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
    };
  },

  async EnableKey(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireNotPendingDeletion(record);
    if (record.state === 'PendingImport') throw invalidState(`${record.arn} is pending import.`);
    record.state = 'Enabled';
    await saveKey(context.store, record);
  },

  async DisableKey(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireNotPendingDeletion(record);
    if (record.state === 'PendingImport') throw invalidState(`${record.arn} is pending import.`);
    record.state = 'Disabled';
    await saveKey(context.store, record);
  },

  async ScheduleKeyDeletion(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireNotPendingDeletion(record);
    const days = input.PendingWindowInDays ?? 30;
    if (days < 7 || days > 30) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30 and greater than or equal to 7`);
    }
    record.state = 'PendingDeletion';
    record.pendingWindowInDays = days;
    record.deletionDate = new Date(context.now.getTime() + days * DAY_MS).toISOString();
    await saveKey(context.store, record);
    return { KeyId: record.arn, DeletionDate: new Date(record.deletionDate), KeyState: record.state, PendingWindowInDays: days };
  },

  async CancelKeyDeletion(input, context) {
    const record = await requireKey(context, input.KeyId);
    if (record.state !== 'PendingDeletion') throw invalidState(`${record.arn} is not pending deletion.`);
    // A cancelled key comes back Disabled (imported keys without material: PendingImport).
    record.state = hasAllMaterial(record) ? 'Disabled' : 'PendingImport';
    delete record.deletionDate;
    delete record.pendingWindowInDays;
    await saveKey(context.store, record);
    return { KeyId: record.arn };
  },

  async UpdateKeyDescription(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireNotPendingDeletion(record);
    record.description = input.Description;
    await saveKey(context.store, record);
  },
};
