// The organization's resource-based delegation policy: PutResourcePolicy,
// DescribeResourcePolicy, DeleteResourcePolicy. It lets the management account grant
// member accounts the read-only Organizations actions and policy management. The
// policy is a resource policy on the organization's resources: delegable() (reads) and
// delegableChange() (policy management) hand it to the authorizer for members calling
// those actions, who are then evaluated as cross-account callers (their own IAM
// policies and the delegation policy must both allow).
import { validatePolicy } from '../../policy/validate.ts';
import { ORGANIZATIONS_MESSAGE } from '../../policy/validate/problems.ts';
import { wildcardMatcher } from '../../policy/values/wildcard.ts';
import type { AccessDeclaration, AccessRequirement } from '../authorization.ts';
import type { RequestContext } from '../service.ts';
import { isDelegatedAdministrator } from './delegation.ts';
import { invalidInput, resourcePolicyNotFound } from './errors.ts';
import { newResourcePolicyId, resourcePolicyArn, type OrganizationRecord, type Tag } from './records.ts';
import { changeOrganization, declarationOrganization, managedOrganization } from './shared.ts';

/** The read-only operations a delegation policy can open to members (every Describe* and List* of the organization). */
export const DELEGABLE_READ_ACTIONS: readonly string[] = [
  'DescribeAccount',
  'DescribeCreateAccountStatus',
  'DescribeEffectivePolicy',
  'DescribeHandshake',
  'DescribeOrganization',
  'DescribeOrganizationalUnit',
  'DescribePolicy',
  'DescribeResourcePolicy',
  'ListAWSServiceAccessForOrganization',
  'ListAccounts',
  'ListAccountsForParent',
  'ListAccountsWithInvalidEffectivePolicy',
  'ListChildren',
  'ListCreateAccountStatus',
  'ListDelegatedAdministrators',
  'ListDelegatedServicesForAccount',
  'ListEffectivePolicyValidationErrors',
  'ListHandshakesForOrganization',
  'ListOrganizationalUnitsForParent',
  'ListParents',
  'ListPolicies',
  'ListPoliciesForTarget',
  'ListRoots',
  'ListTagsForResource',
  'ListTargetsForPolicy',
];

/** Policy management a delegation policy may grant too (AWS's examples: create, update, delete, attach, detach, tag). */
export const DELEGABLE_POLICY_ACTIONS: readonly string[] = ['CreatePolicy', 'UpdatePolicy', 'DeletePolicy', 'AttachPolicy', 'DetachPolicy', 'TagResource', 'UntagResource'];

const DELEGABLE_ACTIONS = [...DELEGABLE_READ_ACTIONS, ...DELEGABLE_POLICY_ACTIONS].map((operation) => `organizations:${operation}`);

type JsonObject = Record<string, unknown>;

const listOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** An action (or pattern) names at least one delegable Organizations action. */
function isDelegableAction(action: string): boolean {
  if (!action.toLowerCase().startsWith('organizations:')) return false;
  const matches = wildcardMatcher(action, 'plain', true);
  return DELEGABLE_ACTIONS.some(matches);
}

/** Organizations' own resources (and AWS managed policies), or '*'. */
function isOrganizationsResource(resource: string, org: OrganizationRecord): boolean {
  return (
    resource === '*' ||
    resource.startsWith(`arn:aws:organizations::${org.managementAccountId}:`) ||
    resource.startsWith('arn:aws:organizations::aws:policy/')
  );
}

/** Members are named as AWS principals (accounts, users, roles) or '*'. */
function isAccountPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  return typeof principal === 'object' && principal !== null && Object.keys(principal).every((family) => family === 'AWS');
}

/**
 * A delegation policy is a resource policy in IAM's grammar whose statements name only
 * delegable Organizations actions, Organizations resources and AWS principals.
 */
export function assertValidDelegationPolicy(content: string, org: OrganizationRecord): void {
  const validation = validatePolicy(content, 'resource');
  if (!validation.ok) {
    if (validation.problem?.code === 'invalidPrincipal') throw invalidInput('INVALID_PRINCIPAL', 'You specified an invalid principal element in the policy.');
    throw invalidInput('INVALID_RESOURCE_POLICY_JSON', ORGANIZATIONS_MESSAGE);
  }
  const document = JSON.parse(content) as JsonObject;
  for (const statement of listOf(document.Statement) as JsonObject[]) {
    if (statement.NotAction !== undefined || !listOf(statement.Action).every((action) => isDelegableAction(action as string))) {
      throw invalidInput('UNSUPPORTED_ACTION_IN_RESOURCE_POLICY', 'You specified an action that is not supported in a resource policy.');
    }
    const resources = listOf(statement.Resource ?? statement.NotResource) as string[];
    if (!resources.every((resource) => isOrganizationsResource(resource, org))) {
      throw invalidInput('UNSUPPORTED_RESOURCE_IN_RESOURCE_POLICY', 'You specified a resource that is not supported in a resource policy.');
    }
    if (!isAccountPrincipal(statement.Principal ?? statement.NotPrincipal)) {
      throw invalidInput('INVALID_PRINCIPAL', 'You specified an invalid principal element in the policy.');
    }
  }
}

function resourcePolicyShape(org: OrganizationRecord) {
  const policy = org.resourcePolicy!;
  return { ResourcePolicy: { ResourcePolicySummary: { Id: policy.id, Arn: resourcePolicyArn(org, policy.id) }, Content: policy.content } };
}

/**
 * Wraps a read-only operation's access declaration with who decides. The resources are
 * the management account's, so by default a member's call is cross-account. A delegated
 * administrator reads on its own IAM permissions (Organizations grants it read access):
 * its requirements are in its own account. Other members read through the delegation
 * policy (throughDelegationPolicy).
 */
export function delegable(declaration: AccessDeclaration): AccessDeclaration {
  return async (input, context) => {
    const requirements = await declaration(input, context);
    const caller = context.principal.accountId;
    const org = await declarationOrganization(context);
    if (!org || caller === org.managementAccountId) return requirements;
    if (isDelegatedAdministrator(org, caller)) return requirements.map((requirement) => ({ ...requirement, resourceAccount: caller }));
    return throughDelegationPolicy(org, requirements);
  };
}

/** Wraps a policy-management operation's declaration: members (delegated administrators too) change policies only through the delegation policy. */
export function delegableChange(declaration: AccessDeclaration): AccessDeclaration {
  return async (input, context) => {
    const requirements = await declaration(input, context);
    const org = await declarationOrganization(context);
    if (!org || context.principal.accountId === org.managementAccountId) return requirements;
    return throughDelegationPolicy(org, requirements);
  };
}

/**
 * A member's requirements on the management account's resources, with the delegation
 * policy as their resource policy: the authorizer evaluates the call as cross-account
 * access that the policy must grant. Without a policy they stay as they are (and fail).
 */
function throughDelegationPolicy(org: OrganizationRecord, requirements: AccessRequirement[]): AccessRequirement[] {
  if (!org.resourcePolicy) return requirements;
  const resourcePolicy = { id: resourcePolicyArn(org, org.resourcePolicy.id), document: org.resourcePolicy.content };
  return requirements.map((requirement) => ({ ...requirement, resourceAccount: org.managementAccountId, resourcePolicy }));
}

/** The delegation policy's ARN for access declarations; '*' when the caller's organization has none. */
export async function resourcePolicyResource(context: RequestContext): Promise<string> {
  const org = await declarationOrganization(context);
  return org?.resourcePolicy ? resourcePolicyArn(org, org.resourcePolicy.id) : '*';
}

export const resourcePolicyHandlers = {
  /** Creates or replaces the policy; Tags only apply when it is created. */
  async PutResourcePolicy(input: { Content: string; Tags?: Tag[] }, context: RequestContext) {
    return changeOrganization(context, (org) => {
      assertValidDelegationPolicy(input.Content, org);
      if (org.resourcePolicy && input.Tags !== undefined) {
        // Unverified wording: AWS documents only that tags on an update are refused.
        throw invalidInput('UPDATE_EXISTING_RESOURCE_POLICY_WITH_TAGS_NOT_SUPPORTED', 'You can specify tags only when you create the resource policy.');
      }
      if (org.resourcePolicy) org.resourcePolicy.content = input.Content;
      else org.resourcePolicy = { id: newResourcePolicyId(), content: input.Content, tags: input.Tags ?? [] };
      return resourcePolicyShape(org);
    });
  },

  async DescribeResourcePolicy(_input: object, context: RequestContext) {
    const org = await managedOrganization(context);
    if (!org.resourcePolicy) throw resourcePolicyNotFound();
    return resourcePolicyShape(org);
  },

  async DeleteResourcePolicy(_input: object, context: RequestContext) {
    await changeOrganization(context, (org) => {
      if (!org.resourcePolicy) throw resourcePolicyNotFound();
      delete org.resourcePolicy;
    });
    return {};
  },
};
