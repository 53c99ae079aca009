// Key tags (TagResource, UntagResource, ListResourceTags) and the key policy
// (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies: a key has one policy, "default").
import { AwsError } from '../../../protocol/errors.ts';
import type { Handlers } from '../../handlers.ts';
import { checkKeyPolicy } from '../key-policy.ts';
import { requireKey, requireNotPendingDeletion, saveKey } from '../keys.ts';
import type { Operations } from '../../../protocol/types/kms.ts';
import { mergeTags } from '../tags.ts';

function requireDefaultPolicyName(policyName: string | undefined): void {
  if (policyName !== undefined && policyName !== 'default') throw new AwsError('NotFoundException', 'No such policy exists');
}

export const tagAndPolicyHandlers: Handlers<Operations> = {
  async TagResource(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireNotPendingDeletion(record);
    record.tags = mergeTags(record.tags, input.Tags);
    await saveKey(context.store, record);
  },

  async UntagResource(input, context) {
    const record = await requireKey(context, input.KeyId);
    requireNotPendingDeletion(record);
    const removed = new Set(input.TagKeys);
    record.tags = record.tags.filter((tag) => !removed.has(tag.TagKey));
    await saveKey(context.store, record);
  },

  async ListResourceTags(input, context) {
    const record = await requireKey(context, input.KeyId);
    const start = input.Marker ? Number.parseInt(input.Marker, 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidMarkerException', 'The marker that specifies where pagination should next begin is not valid.');
    const limit = input.Limit ?? 50;
    const tags = record.tags.slice(start, start + limit);
    const truncated = start + limit < record.tags.length;
    return { Tags: tags, Truncated: truncated, ...(truncated ? { NextMarker: String(start + limit) } : {}) };
  },

  async GetKeyPolicy(input, context) {
    requireDefaultPolicyName(input.PolicyName);
    const record = await requireKey(context, input.KeyId);
    return { Policy: record.policy, PolicyName: 'default' };
  },

  async PutKeyPolicy(input, context) {
    requireDefaultPolicyName(input.PolicyName);
    const record = await requireKey(context, input.KeyId);
    requireNotPendingDeletion(record);
    await checkKeyPolicy(context, input.Policy, input.BypassPolicyLockoutSafetyCheck);
    record.policy = input.Policy;
    await saveKey(context.store, record);
  },

  async ListKeyPolicies(input, context) {
    await requireKey(context, input.KeyId);
    return { PolicyNames: ['default'], Truncated: false };
  },
};
