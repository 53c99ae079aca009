// What the policy engine needs from Organizations for a caller or a resource owner:
// the SCPs and RCPs attached at each level from the root down to the account, and
// whether the account is the management account (which neither applies to).
import type { Documents } from '../../store/store.ts';
import type { OrganizationRecord } from './records.ts';
import { findPolicy, lineage, organizationOf, pathOf } from './shared.ts';

export interface LevelPolicy {
  id: string;
  document: string;
}

export interface OrganizationPolicies {
  /** One list per level (root, each OU, the account); absent when SCPs are not enabled. */
  scps?: LevelPolicy[][];
  /** Likewise for RCPs. */
  rcps?: LevelPolicy[][];
  /** Neither SCPs nor RCPs apply to the management account (its principals, its resources). */
  managementAccount: boolean;
  orgId: string;
  /** aws:PrincipalOrgPaths / aws:ResourceOrgPaths: the path of the account's parent, e.g. o-abc/r-ab12/ou-ab12-11111111/. */
  orgPaths: string[];
}

/** The policies of a type attached at each level from the root down to `targetId` (a root, OU or account). */
export function policyLevels(org: OrganizationRecord, targetId: string, type: string): LevelPolicy[][] {
  return lineage(org, targetId).map((levelId) =>
    org.attachments
      .filter((attachment) => attachment.targetId === levelId)
      .map((attachment) => findPolicy(org, attachment.policyId))
      .filter((policy) => policy?.type === type)
      .map((policy) => ({ id: policy!.id, document: policy!.content })),
  );
}

/** Whether a policy type is in force: enabled in the root of an organization with all features. */
export function policyTypeEnabled(org: OrganizationRecord, type: string): boolean {
  return org.featureSet === 'ALL' && org.enabledPolicyTypes.includes(type);
}

/** The organization policies that apply to an account; undefined when it is in no organization. */
export async function organizationPolicies(store: Documents, accountId: string): Promise<OrganizationPolicies | undefined> {
  const org = await organizationOf(store, accountId);
  if (!org || !(accountId in org.accounts)) return undefined;
  const parentId = org.accounts[accountId]!.parentId;
  return {
    ...(policyTypeEnabled(org, 'SERVICE_CONTROL_POLICY') ? { scps: policyLevels(org, accountId, 'SERVICE_CONTROL_POLICY') } : {}),
    ...(policyTypeEnabled(org, 'RESOURCE_CONTROL_POLICY') ? { rcps: policyLevels(org, accountId, 'RESOURCE_CONTROL_POLICY') } : {}),
    managementAccount: org.managementAccountId === accountId,
    orgId: org.id,
    orgPaths: [pathOf(org, parentId)],
  };
}
