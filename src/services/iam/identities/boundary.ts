// Permissions boundaries given at CreateUser / CreateRole: the policy must exist (an
// AWS managed policy, or a customer managed one of the caller's account), and each use
// is counted where the policies area keeps PermissionsBoundaryUsageCount (customer and
// AWS managed policies alike).
import { loadManagedPolicies } from '../../../policy/managed-policies.ts';
import type { Documents } from '../../../store/store.ts';
import { invalidInput, noSuchEntity } from '../common.ts';
import { countBoundaryUse } from '../policies/boundaries.ts';
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
  } else if (!(await customerPolicy(docs, accountId, arn))) {
    throw notAttachable(arn);
  }
  await countBoundaryUse(docs, accountId, arn, 1);
}

/** Releases a use counted by useAsBoundary (the entity was deleted). */
export async function releaseBoundary(docs: Documents, accountId: string, arn: string): Promise<void> {
  await countBoundaryUse(docs, accountId, arn, -1);
}
