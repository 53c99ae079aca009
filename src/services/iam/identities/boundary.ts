// Permissions boundaries given at CreateUser / CreateRole: the policy must exist (an
// AWS managed policy, or a customer managed one of the caller's account), and a
// customer managed policy counts the entities that use it as their boundary
// (ManagedPolicyRecord.permissionsBoundaryUsageCount, which GetPolicy reports).
import { loadManagedPolicies } from '../../../policy/managed-policies.ts';
import type { Documents } from '../../../store/store.ts';
import { invalidInput, noSuchEntity } from '../common.ts';
import { COLLECTIONS, entityKey, type ManagedPolicyRecord } from '../records.ts';

const AWS_MANAGED_PREFIX = 'arn:aws:iam::aws:policy/';
const CUSTOMER_POLICY_ARN = /^arn:aws:iam::(\d{12}):policy(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

function notAttachable(arn: string) {
  return noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

async function customerPolicy(docs: Documents, accountId: string, arn: string) {
  const match = CUSTOMER_POLICY_ARN.exec(arn);
  if (!match) throw invalidInput(`ARN ${arn} is not valid.`);
  if (match[1] !== accountId) return undefined;
  const key = entityKey(accountId, match[3]!);
  const entry = await docs.getEntry<ManagedPolicyRecord>(COLLECTIONS.policies, key);
  return entry && entry.value.arn === arn ? { key, record: entry.value } : undefined;
}

async function adjustUsage(docs: Documents, accountId: string, arn: string, delta: 1 | -1): Promise<boolean> {
  const policy = await customerPolicy(docs, accountId, arn);
  if (!policy) return false;
  const count = Math.max(0, (policy.record.permissionsBoundaryUsageCount ?? 0) + delta);
  await docs.put(COLLECTIONS.policies, policy.key, { ...policy.record, permissionsBoundaryUsageCount: count });
  return true;
}

/**
 * Reads AWS's managed policy catalog (large, read once) before a transaction that
 * names an AWS managed boundary, so the transaction does not wait on the disk.
 */
export async function preloadBoundaryCatalog(arn: string | undefined): Promise<void> {
  if (arn?.startsWith(AWS_MANAGED_PREFIX)) await loadManagedPolicies();
}

/**
 * Checks that a boundary policy can be used and counts the new use; NoSuchEntity
 * ("Policy ARN does not exist or is not attachable.") otherwise.
 */
export async function useAsBoundary(docs: Documents, accountId: string, arn: string): Promise<void> {
  if (arn.startsWith(AWS_MANAGED_PREFIX)) {
    const catalog = await loadManagedPolicies();
    const policy = catalog.getByArn(arn);
    // Service-linked role policies cannot be attached to customer entities.
    if (!policy || policy.serviceLinkedRolePolicy) throw notAttachable(arn);
    return;
  }
  if (!(await adjustUsage(docs, accountId, arn, 1))) throw notAttachable(arn);
}

/** Releases a use counted by useAsBoundary (the entity was deleted). */
export async function releaseBoundary(docs: Documents, accountId: string, arn: string): Promise<void> {
  if (!arn.startsWith(AWS_MANAGED_PREFIX)) await adjustUsage(docs, accountId, arn, -1);
}
