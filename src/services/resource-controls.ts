// What an organization adds to a request for one of its resources: the resource's
// account's RCPs (root -> OUs -> account, every level must allow) and the condition
// keys that describe where the resource lives (aws:ResourceAccount, aws:ResourceOrgID,
// aws:ResourceOrgPaths).
import { rcpSupportedServicesSync } from '../policy/catalog.ts';
import type { ContextValue, PolicySet } from '../policy/index.ts';
import type { AccessRequirement } from './authorization.ts';
import type { OrganizationControls } from './principal-policies.ts';

/** Actions RCPs never restrict, even when the Action element names them (AWS KMS documents RetireGrant). */
const NOT_RESTRICTED_BY_RCPS: ReadonlySet<string> = new Set(['kms:retiregrant']);

type Governed = Pick<AccessRequirement, 'action' | 'resource' | 'awsManaged'>;

/**
 * Whether RCPs govern this requirement: a named resource (not "*") that is not AWS
 * managed, of a service AWS lists as supporting RCPs, on an action they restrict.
 */
export function rcpsGovern(requirement: Governed): boolean {
  if (requirement.resource === '*' || requirement.awsManaged) return false;
  const action = requirement.action.toLowerCase();
  const service = action.slice(0, action.indexOf(':'));
  return rcpSupportedServicesSync().has(service) && !NOT_RESTRICTED_BY_RCPS.has(action);
}

/** The RCP part of the policy set for a resource whose account is `owner` (nothing outside an organization). */
export function resourceControls(
  requirement: Governed,
  owner: OrganizationControls | undefined,
): Pick<PolicySet, 'rcps' | 'resourceInManagementAccount'> {
  if (!owner?.rcps || !rcpsGovern(requirement)) return {};
  return { rcps: owner.rcps, resourceInManagementAccount: owner.managementAccount };
}

/** aws:ResourceAccount for a resource of an account, and aws:ResourceOrgID / aws:ResourceOrgPaths when it is in an organization. */
export function resourceConditionKeys(resourceAccount: string, owner: OrganizationControls | undefined): Record<string, ContextValue> {
  if (!/^\d{12}$/.test(resourceAccount)) return {};
  return {
    'aws:ResourceAccount': resourceAccount,
    ...(owner ? { 'aws:ResourceOrgID': owner.orgId, 'aws:ResourceOrgPaths': owner.orgPaths } : {}),
  };
}
