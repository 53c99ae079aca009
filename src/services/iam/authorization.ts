// What each IAM operation needs to be allowed: the action is always iam:<Operation>;
// the resource is the entity the operation acts on, with its path (AWS evaluates the
// full ARN), and the condition keys IAM adds. Operations not listed act on '*'.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
import type { ContextValue } from '../../policy/index.ts';
import type { Operations } from '../../protocol/types/iam.ts';
import type { Documents } from '../../store/store.ts';
import { requestTagContext, type AccessDeclaration, type AccessRequirement } from '../authorization.ts';
import type { RequestContext } from '../service.ts';
import { COLLECTIONS, entityKey, type Tag } from './records.ts';

type Input = Record<string, unknown>;

/** How to find the resource of an operation from its input. */
type ResourceOf = (input: Input, context: RequestContext) => Promise<ResolvedResource>;

interface ResolvedResource {
  arn: string;
  /** Set when the ARN's account is not the owner AWS evaluates (AWS managed policies). */
  account?: string;
  /** The resource's tags, for aws:ResourceTag/<key>. */
  tags?: Tag[];
}

const arnOf = (account: string, type: string, path: string, name: string) => `arn:aws:iam::${account}:${type}${path}${name}`;

interface PathedRecord {
  path: string;
  tags?: Tag[];
}

/** A named, pathed entity (user, group, role, instance profile, server certificate). */
function pathed(collection: string, type: string, nameMember: string, callerIsDefault = false): ResourceOf {
  return async (input, context) => {
    const account = context.principal.accountId;
    let name = input[nameMember] as string | undefined;
    if (name === undefined && callerIsDefault) {
      // Operations on "the caller's own" user when UserName is left out.
      const principal = context.principal;
      if (principal.type === 'IAMUser') name = principal.userName;
      else return { arn: principal.arn };
    }
    if (name === undefined) return { arn: '*' };
    const record = (await context.store.get<PathedRecord>(collection, entityKey(account, name))) ?? undefined;
    const path = record?.path ?? (input.Path as string | undefined) ?? '/';
    return { arn: arnOf(account, type, path, name), tags: record?.tags };
  };
}

/** Resources named by an ARN member of the input (policies, providers, MFA devices). */
function byArn(member: string): ResourceOf {
  return async (input) => ({ arn: (input[member] as string | undefined) ?? '*' });
}

const user = pathed(COLLECTIONS.users, 'user', 'UserName');
const callerOrUser = pathed(COLLECTIONS.users, 'user', 'UserName', true);
const group = pathed(COLLECTIONS.groups, 'group', 'GroupName');
const role = pathed(COLLECTIONS.roles, 'role', 'RoleName');
const instanceProfile = pathed(COLLECTIONS.instanceProfiles, 'instance-profile', 'InstanceProfileName');
const serverCertificate = pathed('iam.server-certificates', 'server-certificate', 'ServerCertificateName');
/** AWS managed policies (account "aws") are readable and attachable in every account, as the caller's own. */
const policy: ResourceOf = async (input, context) => {
  const arn = (input.PolicyArn as string | undefined) ?? '*';
  return arn.startsWith('arn:aws:iam::aws:') ? { arn, account: context.principal.accountId } : { arn };
};
const oidcProvider = byArn('OpenIDConnectProviderArn');
const samlProvider = byArn('SAMLProviderArn');
const mfaDevice = byArn('SerialNumber');

const created = {
  policy: async (input: Input, context: RequestContext) => ({
    arn: arnOf(context.principal.accountId, 'policy', (input.Path as string) ?? '/', input.PolicyName as string),
  }),
  oidcProvider: async (input: Input, context: RequestContext) => ({
    arn: `arn:aws:iam::${context.principal.accountId}:oidc-provider/${String(input.Url).replace(/^https:\/\//, '')}`,
  }),
  samlProvider: async (input: Input, context: RequestContext) => ({
    arn: `arn:aws:iam::${context.principal.accountId}:saml-provider/${input.Name as string}`,
  }),
  mfaDevice: async (input: Input, context: RequestContext) => ({
    arn: arnOf(context.principal.accountId, 'mfa', (input.Path as string) ?? '/', input.VirtualMFADeviceName as string),
  }),
  serviceLinkedRole: async (input: Input, context: RequestContext) => ({
    arn: `arn:aws:iam::${context.principal.accountId}:role/aws-service-role/${input.AWSServiceName as string}/*`,
  }),
};

/** The user who owns an access key (GetAccessKeyLastUsed names only the key). */
const accessKeyOwner: ResourceOf = async (input, context) => {
  const credential = await (context.store as Documents).get<{ principal?: { arn?: string; type?: string } }>(
    'auth.access-keys',
    input.AccessKeyId as string,
  );
  return { arn: credential?.principal?.type === 'IAMUser' ? credential.principal.arn! : '*' };
};

const RESOURCES: Partial<Record<keyof Operations, ResourceOf>> = {
  // Users and what hangs off them.
  CreateUser: user, GetUser: callerOrUser, UpdateUser: user, DeleteUser: user,
  TagUser: user, UntagUser: user, ListUserTags: user, ListGroupsForUser: user,
  AttachUserPolicy: user, DetachUserPolicy: user, ListAttachedUserPolicies: user,
  PutUserPolicy: user, GetUserPolicy: user, DeleteUserPolicy: user, ListUserPolicies: user,
  PutUserPermissionsBoundary: user, DeleteUserPermissionsBoundary: user,
  CreateAccessKey: callerOrUser, UpdateAccessKey: callerOrUser, DeleteAccessKey: callerOrUser, ListAccessKeys: callerOrUser,
  GetAccessKeyLastUsed: accessKeyOwner,
  CreateLoginProfile: callerOrUser, GetLoginProfile: callerOrUser, UpdateLoginProfile: callerOrUser, DeleteLoginProfile: callerOrUser,
  ChangePassword: callerOrUser,
  EnableMFADevice: user, DeactivateMFADevice: callerOrUser, ResyncMFADevice: user, ListMFADevices: callerOrUser,
  UploadSSHPublicKey: user, GetSSHPublicKey: user, UpdateSSHPublicKey: user, DeleteSSHPublicKey: user, ListSSHPublicKeys: callerOrUser,
  UploadSigningCertificate: callerOrUser, UpdateSigningCertificate: callerOrUser, DeleteSigningCertificate: callerOrUser,
  ListSigningCertificates: callerOrUser,
  CreateServiceSpecificCredential: user, ResetServiceSpecificCredential: callerOrUser, UpdateServiceSpecificCredential: callerOrUser,
  DeleteServiceSpecificCredential: callerOrUser, ListServiceSpecificCredentials: callerOrUser,
  // Groups.
  CreateGroup: group, GetGroup: group, UpdateGroup: group, DeleteGroup: group,
  AddUserToGroup: group, RemoveUserFromGroup: group,
  AttachGroupPolicy: group, DetachGroupPolicy: group, ListAttachedGroupPolicies: group,
  PutGroupPolicy: group, GetGroupPolicy: group, DeleteGroupPolicy: group, ListGroupPolicies: group,
  // Roles.
  CreateRole: role, GetRole: role, UpdateRole: role, UpdateRoleDescription: role, UpdateAssumeRolePolicy: role, DeleteRole: role,
  TagRole: role, UntagRole: role, ListRoleTags: role, ListInstanceProfilesForRole: role,
  AttachRolePolicy: role, DetachRolePolicy: role, ListAttachedRolePolicies: role,
  PutRolePolicy: role, GetRolePolicy: role, DeleteRolePolicy: role, ListRolePolicies: role,
  PutRolePermissionsBoundary: role, DeleteRolePermissionsBoundary: role,
  CreateServiceLinkedRole: created.serviceLinkedRole, DeleteServiceLinkedRole: role,
  // Instance profiles.
  CreateInstanceProfile: instanceProfile, GetInstanceProfile: instanceProfile, DeleteInstanceProfile: instanceProfile,
  AddRoleToInstanceProfile: instanceProfile, RemoveRoleFromInstanceProfile: instanceProfile,
  TagInstanceProfile: instanceProfile, UntagInstanceProfile: instanceProfile, ListInstanceProfileTags: instanceProfile,
  // Managed policies.
  CreatePolicy: created.policy, GetPolicy: policy, DeletePolicy: policy, CreatePolicyVersion: policy, GetPolicyVersion: policy,
  DeletePolicyVersion: policy, ListPolicyVersions: policy, SetDefaultPolicyVersion: policy, TagPolicy: policy, UntagPolicy: policy,
  ListPolicyTags: policy, ListEntitiesForPolicy: policy,
  // Identity providers, certificates, MFA devices.
  CreateOpenIDConnectProvider: created.oidcProvider, GetOpenIDConnectProvider: oidcProvider, DeleteOpenIDConnectProvider: oidcProvider,
  AddClientIDToOpenIDConnectProvider: oidcProvider, RemoveClientIDFromOpenIDConnectProvider: oidcProvider,
  UpdateOpenIDConnectProviderThumbprint: oidcProvider, TagOpenIDConnectProvider: oidcProvider,
  UntagOpenIDConnectProvider: oidcProvider, ListOpenIDConnectProviderTags: oidcProvider,
  CreateSAMLProvider: created.samlProvider, GetSAMLProvider: samlProvider, UpdateSAMLProvider: samlProvider,
  DeleteSAMLProvider: samlProvider, TagSAMLProvider: samlProvider, UntagSAMLProvider: samlProvider, ListSAMLProviderTags: samlProvider,
  UploadServerCertificate: serverCertificate, GetServerCertificate: serverCertificate, UpdateServerCertificate: serverCertificate,
  DeleteServerCertificate: serverCertificate, TagServerCertificate: serverCertificate, UntagServerCertificate: serverCertificate,
  ListServerCertificateTags: serverCertificate,
  CreateVirtualMFADevice: created.mfaDevice, DeleteVirtualMFADevice: mfaDevice, GetMFADevice: mfaDevice,
  TagMFADevice: mfaDevice, UntagMFADevice: mfaDevice, ListMFADeviceTags: mfaDevice,
};

/** IAM's own condition keys, from the operation's input. */
function iamContext(operation: string, input: Input): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  if (/^(Attach|Detach)(User|Group|Role)Policy$/.test(operation)) context['iam:PolicyARN'] = input.PolicyArn as string;
  if (typeof input.PermissionsBoundary === 'string') context['iam:PermissionsBoundary'] = input.PermissionsBoundary;
  if (operation === 'CreateServiceLinkedRole') context['iam:AWSServiceName'] = input.AWSServiceName as string;
  return context;
}

function resourceTagContext(tags: Tag[] | undefined): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const tag of tags ?? []) context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  return context;
}

function declaration(operation: string): AccessDeclaration {
  const resourceOf = RESOURCES[operation as keyof Operations];
  return async (input, context) => {
    const resource = resourceOf ? await resourceOf(input, context) : { arn: '*' };
    const requirements: AccessRequirement[] = [
      {
        action: `iam:${operation}`,
        resource: resource.arn,
        ...(resource.account ? { resourceAccount: resource.account } : {}),
        context: { ...requestTagContext(input), ...iamContext(operation, input), ...resourceTagContext(resource.tags) },
      },
    ];
    // Putting a role into an instance profile hands it to EC2: that is passing the role.
    if (operation === 'AddRoleToInstanceProfile') {
      const passed = await role(input, context);
      requirements.push({ action: 'iam:PassRole', resource: passed.arn, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } });
    }
    return requirements;
  };
}

/** Declarations for every IAM operation in the model (unimplemented ones are never reached). */
export function iamAccessDeclarations(operations: readonly string[]): Record<string, AccessDeclaration> {
  return Object.fromEntries(operations.map((operation) => [operation, declaration(operation)]));
}
