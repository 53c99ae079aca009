// What each Organizations operation needs to be allowed: organizations:<Operation> on
// the root, OU, account or policy it names (as the Service Authorization Reference
// lists them), or '*' for operations on no particular resource.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
import { onAnyResource, requestTagContext, type AccessDeclaration, type AccessRequirement } from '../authorization.ts';
import type { RequestContext } from '../service.ts';
import type { ContextValue } from '../../policy/index.ts';
import { delegable, delegableChange, DELEGABLE_POLICY_ACTIONS, DELEGABLE_READ_ACTIONS, resourcePolicyResource } from './resource-policy.ts';
import { accessDeniedForServiceLinkedRole } from './errors.ts';
import { handshakeArn, handshakeNamed, type HandshakeRecord } from './handshake-records.ts';
import { ORG_COLLECTIONS, ORGANIZATIONS_SERVICE_PRINCIPAL, resourcePolicyArn, type OrganizationRecord } from './records.ts';
import { transferArnOf } from './responsibility-transfers.ts';
import { arnOf, declarationOrganization, findPolicy, targetKind } from './shared.ts';

type Input = Record<string, unknown>;

const anyResource = (operation: string): AccessDeclaration => onAnyResource('organizations', operation);

/** The ARN of a root, OU, account, policy or the delegation policy of the caller's organization; '*' when it names nothing known. */
async function resourceArn(context: RequestContext, id: unknown): Promise<string> {
  if (typeof id !== 'string') return '*';
  const org = await declarationOrganization(context);
  if (org?.resourcePolicy?.id === id) return resourcePolicyArn(org, id);
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

/** An invitation with Tags also needs organizations:TagResource, as AWS documents. */
const inviteAccount: AccessDeclaration = async (input, context) => {
  const tagged = Array.isArray(input.Tags) && input.Tags.length > 0;
  const invite = await withRequestTags('InviteAccountToOrganization')(input, context);
  return tagged ? [...invite, ...(await withRequestTags('TagResource')(input, context))] : invite;
};

/**
 * organizations:<operation> on the handshake HandshakeId names. Its ARN names the
 * sender's management account, but the invited account answers under its own IAM
 * policies alone (handshakes have no resource policy), so it is not cross-account.
 */
function handshakeRequirement(operation: string, handshake: HandshakeRecord | undefined, context: RequestContext): AccessRequirement {
  return { action: `organizations:${operation}`, resource: handshake ? handshakeArn(handshake) : '*', resourceAccount: context.principal.accountId };
}

const onHandshake = (operation: string): AccessDeclaration => async (input, context) => [
  handshakeRequirement(operation, await handshakeNamed(context.store, input.HandshakeId), context),
];

/**
 * iam:CreateServiceLinkedRole for Organizations' role in the caller's account: in an
 * organization with all features, AcceptHandshake (an invitation) and CreateAccount
 * need it too, so that Organizations can create its service-linked role; without it
 * they answer AccessDeniedForDependencyException.
 */
function serviceLinkedRoleRequirement(context: RequestContext): AccessRequirement {
  return {
    action: 'iam:CreateServiceLinkedRole',
    resource: `arn:aws:iam::${context.principal.accountId}:role/aws-service-role/${ORGANIZATIONS_SERVICE_PRINCIPAL}/AWSServiceRoleForOrganizations`,
    context: { 'iam:AWSServiceName': ORGANIZATIONS_SERVICE_PRINCIPAL },
    onDenied: accessDeniedForServiceLinkedRole,
  };
}

const createAccount: AccessDeclaration = async (input, context) => {
  const requirements = await withRequestTags('CreateAccount')(input, context);
  const org = await declarationOrganization(context);
  return org?.featureSet === 'ALL' ? [...requirements, serviceLinkedRoleRequirement(context)] : requirements;
};

const acceptHandshake: AccessDeclaration = async (input, context) => {
  const handshake = await handshakeNamed(context.store, input.HandshakeId);
  const requirements = [handshakeRequirement('AcceptHandshake', handshake, context)];
  if (handshake?.action !== 'INVITE') return requirements;
  const org = await context.store.get<OrganizationRecord>(ORG_COLLECTIONS.organizations, handshake.organizationId);
  return org?.featureSet === 'ALL' ? [...requirements, serviceLinkedRoleRequirement(context)] : requirements;
};

/** Adds condition keys taken from the input to every requirement. */
function withContext(declaration: AccessDeclaration, keys: (input: Input) => Record<string, ContextValue>): AccessDeclaration {
  return async (input, context) => (await declaration(input, context)).map((r) => ({ ...r, context: { ...r.context, ...keys(input) } }));
}

/** The condition key `key` with the input member's value, when the input has it. */
const inputKey =
  (key: string, member: string) =>
  (input: Input): Record<string, ContextValue> =>
    typeof input[member] === 'string' ? { [key]: input[member] } : {};
const servicePrincipalKey = inputKey('organizations:ServicePrincipal', 'ServicePrincipal');
const policyTypeKey = inputKey('organizations:PolicyType', 'PolicyType');

/** Adds organizations:PolicyType of the policy PolicyId names (AWS's delegation examples condition on it). */
function withPolicyType(declaration: AccessDeclaration): AccessDeclaration {
  return async (input, context) => {
    const requirements = await declaration(input, context);
    const org = await declarationOrganization(context);
    const policy = org && typeof input.PolicyId === 'string' ? findPolicy(org, input.PolicyId) : undefined;
    if (!policy) return requirements;
    return requirements.map((r) => ({ ...r, context: { ...r.context, 'organizations:PolicyType': policy.type } }));
  };
}

/**
 * DescribeEffectivePolicy is on the account it names, else the caller's own. Any member
 * may read its own on its IAM permissions; another account's goes through delegation.
 */
const describeEffectivePolicy: AccessDeclaration = async (input, context) => {
  const caller = context.principal.accountId;
  const own = input.TargetId === undefined || input.TargetId === caller;
  const declaration: AccessDeclaration = async () => [
    {
      action: 'organizations:DescribeEffectivePolicy',
      resource: await resourceArn(context, input.TargetId ?? caller),
      context: policyTypeKey(input),
      ...(own ? { resourceAccount: caller } : {}),
    },
  ];
  return (own ? declaration : delegable(declaration))(input, context);
};

/** organizations:<operation> on the responsibility transfer Id names, as the caller sees it. */
const onTransfer = (operation: string): AccessDeclaration => async (input, context) => [
  { action: `organizations:${operation}`, resource: await transferArnOf(context, input.Id) },
];

/** The organization's resource policy, by ARN once it exists. */
const onResourcePolicy = (operation: string, withTags = false): AccessDeclaration => async (input, context) => [
  {
    action: `organizations:${operation}`,
    resource: await resourcePolicyResource(context),
    ...(withTags ? { context: requestTagContext(input) } : {}),
  },
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

  CreateAccount: createAccount,
  DescribeCreateAccountStatus: anyResource('DescribeCreateAccountStatus'),
  ListCreateAccountStatus: anyResource('ListCreateAccountStatus'),
  DescribeAccount: onResources('DescribeAccount', ['AccountId']),
  ListAccounts: anyResource('ListAccounts'),
  ListAccountsForParent: onResources('ListAccountsForParent', ['ParentId']),
  MoveAccount: onResources('MoveAccount', ['AccountId', 'SourceParentId', 'DestinationParentId']),

  CreatePolicy: withContext(withRequestTags('CreatePolicy'), inputKey('organizations:PolicyType', 'Type')),
  DescribePolicy: withPolicyType(onResources('DescribePolicy', ['PolicyId'])),
  UpdatePolicy: withPolicyType(onResources('UpdatePolicy', ['PolicyId'])),
  DeletePolicy: withPolicyType(onResources('DeletePolicy', ['PolicyId'])),
  ListPolicies: anyResource('ListPolicies'),
  AttachPolicy: withPolicyType(onResources('AttachPolicy', ['PolicyId', 'TargetId'])),
  DetachPolicy: withPolicyType(onResources('DetachPolicy', ['PolicyId', 'TargetId'])),
  ListPoliciesForTarget: onResources('ListPoliciesForTarget', ['TargetId']),
  ListTargetsForPolicy: withPolicyType(onResources('ListTargetsForPolicy', ['PolicyId'])),

  TagResource: onResources('TagResource', ['ResourceId'], true),
  UntagResource: onResources('UntagResource', ['ResourceId'], true),
  ListTagsForResource: onResources('ListTagsForResource', ['ResourceId']),

  InviteAccountToOrganization: inviteAccount,
  AcceptHandshake: acceptHandshake,
  DeclineHandshake: onHandshake('DeclineHandshake'),
  CancelHandshake: onHandshake('CancelHandshake'),
  DescribeHandshake: onHandshake('DescribeHandshake'),
  ListHandshakesForAccount: anyResource('ListHandshakesForAccount'),
  ListHandshakesForOrganization: anyResource('ListHandshakesForOrganization'),
  EnableAllFeatures: anyResource('EnableAllFeatures'),
  RemoveAccountFromOrganization: onResources('RemoveAccountFromOrganization', ['AccountId']),
  LeaveOrganization: anyResource('LeaveOrganization'),
  CloseAccount: onResources('CloseAccount', ['AccountId']),

  EnableAWSServiceAccess: withContext(anyResource('EnableAWSServiceAccess'), servicePrincipalKey),
  DisableAWSServiceAccess: withContext(anyResource('DisableAWSServiceAccess'), servicePrincipalKey),
  ListAWSServiceAccessForOrganization: anyResource('ListAWSServiceAccessForOrganization'),
  RegisterDelegatedAdministrator: withContext(onResources('RegisterDelegatedAdministrator', ['AccountId']), servicePrincipalKey),
  DeregisterDelegatedAdministrator: withContext(onResources('DeregisterDelegatedAdministrator', ['AccountId']), servicePrincipalKey),
  ListDelegatedAdministrators: withContext(anyResource('ListDelegatedAdministrators'), servicePrincipalKey),
  ListDelegatedServicesForAccount: onResources('ListDelegatedServicesForAccount', ['AccountId']),

  DescribeEffectivePolicy: describeEffectivePolicy,
  ListAccountsWithInvalidEffectivePolicy: withContext(anyResource('ListAccountsWithInvalidEffectivePolicy'), policyTypeKey),
  ListEffectivePolicyValidationErrors: withContext(onResources('ListEffectivePolicyValidationErrors', ['AccountId']), policyTypeKey),

  PutResourcePolicy: onResourcePolicy('PutResourcePolicy', true),
  DescribeResourcePolicy: onResourcePolicy('DescribeResourcePolicy'),
  DeleteResourcePolicy: onResourcePolicy('DeleteResourcePolicy'),
  CreateGovCloudAccount: withRequestTags('CreateGovCloudAccount'),

  InviteOrganizationToTransferResponsibility: withRequestTags('InviteOrganizationToTransferResponsibility'),
  DescribeResponsibilityTransfer: onTransfer('DescribeResponsibilityTransfer'),
  ListInboundResponsibilityTransfers: anyResource('ListInboundResponsibilityTransfers'),
  ListOutboundResponsibilityTransfers: anyResource('ListOutboundResponsibilityTransfers'),
  UpdateResponsibilityTransfer: onTransfer('UpdateResponsibilityTransfer'),
  TerminateResponsibilityTransfer: onTransfer('TerminateResponsibilityTransfer'),
};

// Members named in the delegation policy reach the read-only operations through it.
// DescribeOrganization needs no delegation (any member may call it), DescribeHandshake
// is for the handshake's parties, DescribeEffectivePolicy decides above.
const SELF_SERVICE = new Set(['DescribeOrganization', 'DescribeHandshake', 'DescribeEffectivePolicy']);
for (const operation of DELEGABLE_READ_ACTIONS) {
  const declaration = organizationsAccess[operation];
  if (declaration && !SELF_SERVICE.has(operation)) organizationsAccess[operation] = delegable(declaration);
}
// ... and, when it grants them, the policy-management operations.
for (const operation of DELEGABLE_POLICY_ACTIONS) organizationsAccess[operation] = delegableChange(organizationsAccess[operation]!);
