// What each Organizations operation needs to be allowed: organizations:<Operation> on
// the root, OU, account or policy it names (as the Service Authorization Reference
// lists them), or '*' for operations on no particular resource.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
import { onAnyResource, requestTagContext, type AccessDeclaration, type AccessRequirement } from '../authorization.ts';
import type { RequestContext } from '../service.ts';
import { arnOf, findPolicy, organizationOf, targetKind } from './shared.ts';

type Input = Record<string, unknown>;

const anyResource = (operation: string): AccessDeclaration => onAnyResource('organizations', operation);

/** The ARN of a root, OU, account or policy of the caller's organization; '*' when it names nothing known. */
async function resourceArn(context: RequestContext, id: unknown): Promise<string> {
  if (typeof id !== 'string') return '*';
  const org = await organizationOf(context.store, context.principal.accountId);
  if (!org || (!targetKind(org, id) && !findPolicy(org, id))) return '*';
  return arnOf(org, id);
}

/** organizations:<operation> on the resource(s) the input's members name. */
function onResources(operation: string, members: readonly string[], withTags = false): AccessDeclaration {
  return async (input: Input, context) => {
    const requirements: AccessRequirement[] = [];
    for (const member of members) {
      requirements.push({
        action: `organizations:${operation}`,
        resource: await resourceArn(context, input[member]),
        ...(withTags ? { context: requestTagContext(input) } : {}),
      });
    }
    return requirements;
  };
}

const withRequestTags = (operation: string): AccessDeclaration => (input) => [
  { action: `organizations:${operation}`, resource: '*', context: requestTagContext(input) },
];

export const organizationsAccess: Record<string, AccessDeclaration> = {
  CreateOrganization: anyResource('CreateOrganization'),
  DescribeOrganization: anyResource('DescribeOrganization'),
  DeleteOrganization: anyResource('DeleteOrganization'),
  ListRoots: anyResource('ListRoots'),
  EnablePolicyType: onResources('EnablePolicyType', ['RootId']),
  DisablePolicyType: onResources('DisablePolicyType', ['RootId']),

  CreateOrganizationalUnit: onResources('CreateOrganizationalUnit', ['ParentId'], true),
  DescribeOrganizationalUnit: onResources('DescribeOrganizationalUnit', ['OrganizationalUnitId']),
  UpdateOrganizationalUnit: onResources('UpdateOrganizationalUnit', ['OrganizationalUnitId']),
  DeleteOrganizationalUnit: onResources('DeleteOrganizationalUnit', ['OrganizationalUnitId']),
  ListOrganizationalUnitsForParent: onResources('ListOrganizationalUnitsForParent', ['ParentId']),
  ListParents: onResources('ListParents', ['ChildId']),
  ListChildren: onResources('ListChildren', ['ParentId']),

  CreateAccount: withRequestTags('CreateAccount'),
  DescribeCreateAccountStatus: anyResource('DescribeCreateAccountStatus'),
  ListCreateAccountStatus: anyResource('ListCreateAccountStatus'),
  DescribeAccount: onResources('DescribeAccount', ['AccountId']),
  ListAccounts: anyResource('ListAccounts'),
  ListAccountsForParent: onResources('ListAccountsForParent', ['ParentId']),
  MoveAccount: onResources('MoveAccount', ['AccountId', 'SourceParentId', 'DestinationParentId']),

  CreatePolicy: withRequestTags('CreatePolicy'),
  DescribePolicy: onResources('DescribePolicy', ['PolicyId']),
  UpdatePolicy: onResources('UpdatePolicy', ['PolicyId']),
  DeletePolicy: onResources('DeletePolicy', ['PolicyId']),
  ListPolicies: anyResource('ListPolicies'),
  AttachPolicy: onResources('AttachPolicy', ['PolicyId', 'TargetId']),
  DetachPolicy: onResources('DetachPolicy', ['PolicyId', 'TargetId']),
  ListPoliciesForTarget: onResources('ListPoliciesForTarget', ['TargetId']),
  ListTargetsForPolicy: onResources('ListTargetsForPolicy', ['PolicyId']),

  TagResource: onResources('TagResource', ['ResourceId'], true),
  UntagResource: onResources('UntagResource', ['ResourceId'], true),
  ListTagsForResource: onResources('ListTagsForResource', ['ResourceId']),
};
