// CloudTrail's organization delegated administrators: RegisterOrganizationDelegatedAdmin and
// DeregisterOrganizationDelegatedAdmin, for the management account of an organization with
// all features and CloudTrail's trusted access (neither operation turns it on: AWS answers
// CloudTrailAccessNotEnabledException). The registration is Organizations' own (a delegated
// administrator for cloudtrail.amazonaws.com, organizations/delegated-admins.ts), made on
// the management account's behalf and answered with CloudTrail's errors; registering also
// gives the management account the service-linked role AWSServiceRoleForCloudTrail if it
// has none. What a delegated administrator may then do is in organization-trails.ts.
import { AwsError } from '../../protocol/errors.ts';
import type { Operations } from '../../protocol/types/cloudtrail.ts';
import type { AccessDeclaration } from '../authorization.ts';
import type { Handlers } from '../handlers.ts';
import type { RequestContext } from '../service.ts';
import { iamAccessDeclarations } from '../iam/authorization.ts';
import { LINKED_SERVICES, serviceLinkedRoleHandlers } from '../iam/identities/service-linked-roles.ts';
import { COLLECTIONS, entityKey } from '../iam/records.ts';
import { organizationsAccess } from '../organizations/access.ts';
import { delegatedAdminHandlers as organizationsDelegatedAdmins } from '../organizations/delegated-admins.ts';
import { organizationOf } from '../organizations/shared.ts';
import { CLOUDTRAIL_PRINCIPAL, cloudTrailOrganization } from './organization-trails.ts';

const SERVICE_LINKED_ROLE = LINKED_SERVICES[CLOUDTRAIL_PRINCIPAL]!.roleName;

const notManagement = (accountId: string) =>
  new AwsError('NotOrganizationManagementAccountException', `The account ${accountId} is not the management account of an organization.`);

const LIMIT_EXCEEDED: [string, string] = [
  'DelegatedAdminAccountLimitExceededException',
  'The organization already has the maximum number of CloudTrail delegated administrators.',
];

/** Organizations' refusals (by code, or code:Reason), with the error CloudTrail answers instead. */
const AS_CLOUDTRAIL: Readonly<Record<string, [code: string, message: string]>> = {
  AccountNotFoundException: ['AccountNotFoundException', 'The specified account is not found or not part of the organization.'],
  AccountAlreadyRegisteredException: ['AccountRegisteredException', 'The account is already registered as a CloudTrail delegated administrator.'],
  AccountNotRegisteredException: ['AccountNotRegisteredException', 'The account is not registered as a CloudTrail delegated administrator.'],
  'ConstraintViolationException:CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR': [
    'CannotDelegateManagementAccountException',
    'The management account of an organization cannot be registered as a CloudTrail delegated administrator.',
  ],
  'ConstraintViolationException:CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR': [
    'InvalidParameterException',
    'A suspended account cannot be registered as a CloudTrail delegated administrator.',
  ],
  'ConstraintViolationException:MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED': LIMIT_EXCEEDED,
  'ConstraintViolationException:DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE': LIMIT_EXCEEDED,
};

/** Runs an Organizations change, answering its refusals as CloudTrail does. */
async function asCloudTrail(change: Promise<unknown>): Promise<void> {
  try {
    await change;
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    const reason = error.fields.Reason;
    const replacement = AS_CLOUDTRAIL[typeof reason === 'string' ? `${error.code}:${reason}` : error.code];
    if (!replacement) throw error;
    throw new AwsError(...replacement);
  }
}

async function hasServiceLinkedRole(context: RequestContext): Promise<boolean> {
  return (await context.store.get(COLLECTIONS.roles, entityKey(context.principal.accountId, SERVICE_LINKED_ROLE))) !== undefined;
}

/** The service principal's registration, in Organizations' terms. */
const registration = (accountId: string) => ({ AccountId: accountId, ServicePrincipal: CLOUDTRAIL_PRINCIPAL });

export const organizationDelegatedAdminHandlers: Handlers<Operations> = {
  async RegisterOrganizationDelegatedAdmin(input, context) {
    await cloudTrailOrganization(context.store, context.principal.accountId, false, notManagement);
    await asCloudTrail(organizationsDelegatedAdmins.RegisterDelegatedAdministrator(registration(input.MemberAccountId), context));
    if (!(await hasServiceLinkedRole(context))) {
      await serviceLinkedRoleHandlers.CreateServiceLinkedRole!({ AWSServiceName: CLOUDTRAIL_PRINCIPAL }, context);
    }
    return {};
  },

  /** The organization trails stay: the management account owns them, whoever made them. */
  async DeregisterOrganizationDelegatedAdmin(input, context) {
    await cloudTrailOrganization(context.store, context.principal.accountId, false, notManagement);
    await asCloudTrail(organizationsDelegatedAdmins.DeregisterDelegatedAdministrator(registration(input.DelegatedAdminAccountId), context));
    return {};
  },
};

const iamAccess = iamAccessDeclarations(['GetRole', 'CreateServiceLinkedRole']);

/** Whether the caller is the management account of an organization: only then does CloudTrail go on to call Organizations. */
async function callsOrganizations(context: RequestContext): Promise<boolean> {
  const org = await organizationOf(context.store, context.principal.accountId);
  return org?.managementAccountId === context.principal.accountId;
}

/** CloudTrail's own action, then what its calls to Organizations and IAM for a management account need. */
function withDependencies(operation: string, dependencies: AccessDeclaration): AccessDeclaration {
  return async (input, context) => [
    { action: `cloudtrail:${operation}`, resource: '*' },
    ...((await callsOrganizations(context)) ? await dependencies(input, context) : []),
  ];
}

/**
 * What AWS documents a registration needs: Organizations' own actions (as Organizations
 * declares them) and the IAM actions to look for the service-linked role and make it when
 * it is missing.
 */
export const registerAccess = withDependencies('RegisterOrganizationDelegatedAdmin', async (input, context) => [
  ...(await organizationsAccess.RegisterDelegatedAdministrator!(registration(input.MemberAccountId as string), context)),
  ...(await organizationsAccess.ListAWSServiceAccessForOrganization!({}, context)),
  ...(await iamAccess.GetRole!({ RoleName: SERVICE_LINKED_ROLE }, context)),
  ...((await hasServiceLinkedRole(context)) ? [] : await iamAccess.CreateServiceLinkedRole!({ AWSServiceName: CLOUDTRAIL_PRINCIPAL }, context)),
]);

export const deregisterAccess = withDependencies('DeregisterOrganizationDelegatedAdmin', async (input, context) => [
  ...(await organizationsAccess.DeregisterDelegatedAdministrator!(registration(input.DelegatedAdminAccountId as string), context)),
  ...(await organizationsAccess.ListAWSServiceAccessForOrganization!({}, context)),
]);
