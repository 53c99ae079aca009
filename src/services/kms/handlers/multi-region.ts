// Multi-Region keys: ReplicateKey copies a primary's id and material into another
// Region (imported material excepted: a replica of an EXTERNAL key waits in
// PendingImport for its own import of the same material, as in AWS);
// UpdatePrimaryRegion makes a replica the primary. Every copy keeps the full list of
// Regions so each can describe the set.
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import { checkKeyPolicy, defaultKeyPolicy } from '../key-policy.ts';
import { multiRegionCopies, requireKey, requireNotPendingDeletion, writeKey } from '../keys.ts';
import { keyMetadata } from '../metadata.ts';
import type { Operations } from '../../../protocol/types/kms.ts';
import { keyArn, keyKey, KMS_COLLECTIONS, type KeyRecord } from '../records.ts';
import { checkKeyQuota } from '../quotas.ts';
import { checkTags } from '../tags.ts';

function requireMultiRegion(record: KeyRecord): void {
  if (!record.multiRegion) throw new AwsError('UnsupportedOperationException', `${record.arn} is not a multi-Region key.`);
}

export const multiRegionHandlers: Handlers<Operations> = {
  async ReplicateKey(input, context) {
    const primary = await requireKey(context, input.KeyId);
    requireMultiRegion(primary);
    requireNotPendingDeletion(primary);
    if ((primary.primaryRegion ?? primary.region) !== primary.region) {
      throw new AwsError('UnsupportedOperationException', `${primary.arn} is a replica key: replicate its primary key.`);
    }
    const region = input.ReplicaRegion;
    if (region === primary.region || (primary.replicaRegions ?? []).includes(region)) {
      throw new AwsError('AlreadyExistsException', `Key ${keyArn(primary.accountId, region, primary.keyId)} already exists`);
    }
    if (input.Policy !== undefined) await checkKeyPolicy(context, input.Policy, input.BypassPolicyLockoutSafetyCheck);
    const tags = input.Tags ?? [];
    checkTags(tags);
    await checkKeyQuota(context.store, primary.accountId, region);
    const replicaRegions = [...(primary.replicaRegions ?? []), region];
    // Imported material is not copied: the replica waits for its own import of the same material.
    const imported = primary.origin === 'EXTERNAL';
    const replica: KeyRecord = {
      ...primary,
      arn: keyArn(primary.accountId, region, primary.keyId),
      region,
      createdAt: context.now.toISOString(),
      description: input.Description ?? primary.description,
      policy: input.Policy ?? defaultKeyPolicy(primary.accountId),
      tags,
      state: primary.currentMaterialId && !imported ? 'Enabled' : 'PendingImport',
      materials: imported ? [] : primary.materials,
      currentMaterialId: imported ? undefined : primary.currentMaterialId,
      primaryRegion: primary.region,
      replicaRegions,
      grantCount: 0, // grants are Regional: the primary's stay with it
      rotation: { enabled: false },
    };
    delete replica.deletionDate;
    delete replica.pendingWindowInDays;
    await context.store.transaction(async (tx) => {
      await tx.put(KMS_COLLECTIONS.keys, keyKey(replica.accountId, region, replica.keyId), replica);
      for (const copy of await multiRegionCopies(tx, primary)) {
        copy.replicaRegions = replicaRegions;
        await writeKey(tx, copy);
      }
    });
    return { ReplicaKeyMetadata: keyMetadata(replica), ReplicaPolicy: replica.policy, ReplicaTags: tags };
  },

  async UpdatePrimaryRegion(input, context) {
    const primary = await requireKey(context, input.KeyId);
    requireMultiRegion(primary);
    requireNotPendingDeletion(primary);
    const oldPrimaryRegion = primary.primaryRegion ?? primary.region;
    if (oldPrimaryRegion !== primary.region) {
      throw new AwsError('UnsupportedOperationException', `${primary.arn} is not the primary key: call UpdatePrimaryRegion on ${keyArn(primary.accountId, oldPrimaryRegion, primary.keyId)}.`);
    }
    if (input.PrimaryRegion === oldPrimaryRegion) return;
    if (!(primary.replicaRegions ?? []).includes(input.PrimaryRegion)) {
      throw new AwsError('NotFoundException', `Key '${keyArn(primary.accountId, input.PrimaryRegion, primary.keyId)}' does not exist`);
    }
    const copies = await multiRegionCopies(context.store, primary);
    const replicaRegions = [oldPrimaryRegion, ...(primary.replicaRegions ?? []).filter((r) => r !== input.PrimaryRegion)];
    await context.store.transaction(async (tx) => {
      for (const copy of copies) {
        copy.primaryRegion = input.PrimaryRegion;
        copy.replicaRegions = replicaRegions;
        await writeKey(tx, copy);
      }
    });
  },
};

