// How IAM's state is laid out in the store. Every IAM area (identities, policies,
// credentials, providers, reports) reads and writes these records, so the layout is
// defined once, here.
//
// Keys start with the account id, so one account's entities list together. IAM names
// are unique case-insensitively ("Bob" and "bob" are the same user), so keys use the
// lower-cased name while records keep the name as created. Dates are ISO strings.

export const COLLECTIONS = {
  users: 'iam.users', // ACCOUNT/username -> UserRecord
  groups: 'iam.groups', // ACCOUNT/groupname -> GroupRecord
  roles: 'iam.roles', // ACCOUNT/rolename -> RoleRecord
  policies: 'iam.policies', // ACCOUNT/policyname -> ManagedPolicyRecord (customer managed)
  /** Which entities a managed policy is attached to: ACCOUNT/POLICYARN/KIND/name -> AttachmentRecord. */
  attachments: 'iam.policy-attachments',
  /** Inline policies: ACCOUNT/KIND/entityname/policyname -> InlinePolicyRecord. */
  inlinePolicies: 'iam.inline-policies',
  /** Group membership, both ways: ACCOUNT/g/group/user and ACCOUNT/u/user/group -> MembershipRecord. */
  memberships: 'iam.group-memberships',
  instanceProfiles: 'iam.instance-profiles', // ACCOUNT/profilename -> InstanceProfileRecord
  /** Every unique id Bulwark issued (AIDA..., AROA..., ...) -> where the entity lives. */
  uniqueIds: 'iam.unique-ids',
  accountAliases: 'iam.account-aliases', // ACCOUNT -> { alias }; also alias -> { accountId } in aliasOwners
  aliasOwners: 'iam.alias-owners',
  /** DeleteServiceLinkedRole tasks: DELETIONTASKID -> ServiceLinkedRoleDeletionRecord. */
  serviceLinkedRoleDeletions: 'iam.slr-deletions',
  /** ACCOUNT -> RootUserRecord (when GetUser first saw the account's root user). */
  rootUsers: 'iam.root-users',
  /** The reverse of `attachments`, keyed by the entity's unique id (stable across renames): ACCOUNT/KIND/ENTITYID/POLICYARN -> EntityAttachmentRecord. */
  entityAttachments: 'iam.entity-attachments',
  /** Per-account use of AWS managed policies (the catalog itself is not copied): ACCOUNT/POLICYARN -> AwsPolicyUsageRecord. */
  awsPolicyUsage: 'iam.aws-policy-usage',
  /** OpenID Connect providers: ACCOUNT/host/path (as in the ARN, lower-cased) -> OidcProviderRecord. */
  oidcProviders: 'iam.oidc-providers',
  /** SAML providers: ACCOUNT/name -> SamlProviderRecord. */
  samlProviders: 'iam.saml-providers',
  /** Per-account settings of the reports area: ACCOUNT -> AccountSettingsRecord. */
  accountSettings: 'iam.account-settings',
  /** The account's latest credential report: ACCOUNT -> CredentialReportRecord. */
  credentialReports: 'iam.credential-reports',
  /** Service last accessed data, written by recordServiceAccess only: ACCOUNT/ENTITYARN/service/Action -> ServiceAccessRecord. */
  serviceAccess: 'iam.service-access',
  /** GenerateServiceLastAccessedDetails jobs: ACCOUNT/JOBID -> LastAccessedJobRecord (see reports/last-accessed.ts). */
  lastAccessedJobs: 'iam.last-accessed-jobs',
} as const;

export type EntityKind = 'user' | 'group' | 'role';

export interface Tag {
  Key: string;
  Value: string;
}

interface EntityBase {
  accountId: string;
  path: string;
  arn: string;
  createDate: string;
  tags: Tag[];
}

export interface UserRecord extends EntityBase {
  userName: string;
  userId: string;
  permissionsBoundary?: string; // policy ARN
  passwordLastUsed?: string;
}

export interface GroupRecord extends Omit<EntityBase, 'tags'> {
  groupName: string;
  groupId: string;
}

export interface RoleRecord extends EntityBase {
  roleName: string;
  roleId: string;
  assumeRolePolicyDocument: string; // as given (AWS returns it URL-encoded on the wire)
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  lastUsed?: { date: string; region: string };
  /** Set for service-linked roles: the service principal that owns it. */
  serviceLinkedTo?: string;
}

export interface PolicyVersionRecord {
  versionId: string; // v1, v2, ...
  document: string;
  createDate: string;
}

export interface ManagedPolicyRecord {
  accountId: string;
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  defaultVersionId: string;
  /** Next version number to issue: version ids are never reused. */
  nextVersion: number;
  versions: PolicyVersionRecord[];
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  createDate: string;
  updateDate: string;
  tags: Tag[];
}

export interface AttachmentRecord {
  policyArn: string;
  kind: EntityKind;
  name: string; // entity name as created
  entityId: string;
}

export interface InlinePolicyRecord {
  kind: EntityKind;
  entityName: string;
  policyName: string;
  document: string;
}

export interface MembershipRecord {
  groupName: string;
  userName: string;
}

export interface InstanceProfileRecord extends EntityBase {
  instanceProfileName: string;
  instanceProfileId: string;
  roleNames: string[];
}

export interface UniqueIdRecord {
  accountId: string;
  kind: EntityKind | 'policy' | 'instance-profile' | 'server-certificate' | 'access-key';
  name: string;
}

/** The store key of a named entity: account, then the case-folded name. */
export function entityKey(accountId: string, name: string): string {
  return `${accountId}/${name.toLowerCase()}`;
}

export function inlinePolicyKey(accountId: string, kind: EntityKind, entityName: string, policyName: string): string {
  return `${accountId}/${kind}/${entityName.toLowerCase()}/${policyName.toLowerCase()}`;
}

export function attachmentKey(accountId: string, policyArn: string, kind: EntityKind, name: string): string {
  return `${accountId}/${policyArn}/${kind}/${name.toLowerCase()}`;
}

/** Both keys of one group membership (lower-cased names, as every key). */
export function membershipKeys(accountId: string, groupName: string, userName: string): { byGroup: string; byUser: string } {
  const group = groupName.toLowerCase();
  const user = userName.toLowerCase();
  return { byGroup: `${accountId}/g/${group}/${user}`, byUser: `${accountId}/u/${user}/${group}` };
}

export interface ServiceLinkedRoleDeletionRecord {
  accountId: string;
  roleName: string;
  status: 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';
  createDate: string;
}

export interface RootUserRecord {
  createDate: string;
}

export interface EntityAttachmentRecord {
  policyArn: string;
}

export interface AwsPolicyUsageRecord {
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
}

export function entityAttachmentKey(accountId: string, kind: EntityKind, entityId: string, policyArn: string): string {
  return `${accountId}/${kind}/${entityId}/${policyArn}`;
}

export interface OidcProviderRecord {
  accountId: string;
  arn: string;
  /** As AWS returns it: host[/path], without the https:// scheme. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: Tag[];
}

export interface SamlProviderRecord {
  accountId: string;
  arn: string;
  name: string;
  uuid: string;
  metadataDocument: string;
  /** The IdP's signing certificates (base64 DER), for STS AssumeRoleWithSAML. */
  signingCertificates: string[];
  entityId: string;
  validUntil: string;
  createDate: string;
  assertionEncryptionMode?: 'Allowed' | 'Required';
  tags: Tag[];
}

/** The latest use of one action by one entity (a user, group or role and the principals acting through it). */
export interface ServiceAccessRecord {
  entityArn: string;
  serviceNamespace: string;
  action: string;
  /** The principal that made the request (a user, or a role session). */
  principalArn: string;
  region: string;
  date: string;
}

// ---- IAM credentials (src/services/iam/credentials/) ----
// A user's credentials live under ACCOUNT/username/..., the lower-cased user name as
// in every key. The root user's own credentials use ROOT_USER_NAME in place of a user
// name (the credential report's name for root; no IAM user can be called that).

export const CREDENTIAL_STORE = {
  accessKeys: 'iam.access-keys', // ACCOUNT/username/ACCESSKEYID -> AccessKeyRecord
  loginProfiles: 'iam.login-profiles', // ACCOUNT/username -> LoginProfileRecord
  passwordPolicy: 'iam.password-policy', // ACCOUNT -> PasswordPolicyRecord
  mfaDevices: 'iam.mfa-devices', // ACCOUNT/devicename -> MfaDeviceRecord
  sshPublicKeys: 'iam.ssh-public-keys', // ACCOUNT/username/KEYID -> SshPublicKeyRecord
  signingCertificates: 'iam.signing-certificates', // ACCOUNT/username/CERTID -> SigningCertificateRecord
  serverCertificates: 'iam.server-certificates', // ACCOUNT/certname -> ServerCertificateRecord
  serviceSpecificCredentials: 'iam.service-specific-credentials', // ACCOUNT/username/CREDID -> ServiceSpecificCredentialRecord
} as const;

export const ROOT_USER_NAME = '<root_account>';

export type CredentialStatus = 'Active' | 'Inactive';

export interface AccessKeyRecord {
  accountId: string;
  userName: string; // ROOT_USER_NAME for root access keys
  accessKeyId: string;
  status: CredentialStatus;
  createDate: string;
  lastUsed?: { date: string; service: string; region: string };
}

export interface LoginProfileRecord {
  accountId: string;
  userName: string; // ROOT_USER_NAME for the root user's password
  createDate: string;
  passwordLastChanged: string;
  passwordResetRequired: boolean;
  /** scrypt hash of the current password (see credentials/passwords.ts); absent when none was set. */
  passwordHash?: string;
  /** Hashes of earlier passwords, newest first, for PasswordReusePrevention. */
  previousHashes: string[];
}

/** The account password policy as GetAccountPasswordPolicy returns it. */
export interface PasswordPolicyRecord {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  ExpirePasswords: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

export interface MfaDeviceRecord {
  accountId: string;
  name: string;
  path: string;
  serialNumber: string;
  /** The TOTP seed, Base32 (a virtual device's secret must be kept to check its codes). */
  seed: string;
  createDate: string;
  tags: Tag[];
  /** Set while the device is enabled for a user (ROOT_USER_NAME for root). */
  userName?: string;
  enableDate?: string;
  /** Steps the device's clock runs ahead (+) or behind (-), learned by Enable and Resync. */
  driftSteps: number;
  /** The last time step a code was accepted for, so a code cannot be used twice. */
  lastUsedStep?: number;
}

export interface SshPublicKeyRecord {
  accountId: string;
  userName: string;
  sshPublicKeyId: string;
  /** The key in OpenSSH form ("ssh-rsa AAAA..."), whatever form it was uploaded in. */
  openSsh: string;
  /** The key as SPKI PEM. */
  pem: string;
  fingerprint: string;
  status: CredentialStatus;
  uploadDate: string;
}

export interface SigningCertificateRecord {
  accountId: string;
  userName: string;
  certificateId: string;
  certificateBody: string;
  /** SHA-256 of the DER, to find the same certificate uploaded twice. */
  fingerprint: string;
  status: CredentialStatus;
  uploadDate: string;
}

export interface ServerCertificateRecord {
  accountId: string;
  serverCertificateName: string;
  serverCertificateId: string;
  path: string;
  arn: string;
  certificateBody: string;
  certificateChain?: string;
  uploadDate: string;
  expiration: string;
  tags: Tag[];
}

export interface ServiceSpecificCredentialRecord {
  accountId: string;
  userName: string;
  serviceName: string;
  serviceSpecificCredentialId: string;
  /** CodeCommit/Keyspaces: the generated user name (the password is shown once, never kept). */
  serviceUserName?: string;
  /** Bedrock API keys: the alias (the secret is shown once, never kept). */
  serviceCredentialAlias?: string;
  /** SHA-256 (hex) of the generated password or secret: random and long, so a fast hash is enough. */
  secretSha256: string;
  status: CredentialStatus;
  createDate: string;
  expirationDate?: string;
}

// ---- IAM temporary delegation (src/services/iam/delegation/) ----
// A delegation request crosses accounts (a partner creates it, a customer owns it), so
// requests live under their id alone; two indexes find them by workflow and by owner.

export const DELEGATION_STORE = {
  requests: 'iam.delegation-requests', // REQUESTID -> DelegationRequestRecord
  /** RequestorWorkflowId is unique per requestor account: REQUESTORACCOUNT/workflowid -> { requestId }. */
  workflows: 'iam.delegation-workflows',
  /** Requests with an owner, for ListDelegationRequests: OWNERACCOUNT/REQUESTID -> {}. */
  byOwnerAccount: 'iam.delegation-requests-by-owner',
} as const;

export type DelegationRequestState =
  | 'UNASSIGNED'
  | 'ASSIGNED'
  | 'PENDING_APPROVAL'
  | 'ACCEPTED'
  | 'FINALIZED'
  | 'REJECTED'
  | 'EXPIRED';

export interface DelegationRequestRecord {
  id: string;
  /** The partner account that created it (RequestorId). */
  requestorAccountId: string;
  requestorName?: string;
  requestorWorkflowId: string;
  /** Set at creation (a targeted request) or by AssociateDelegationRequest. */
  ownerAccountId?: string;
  /** The ARN of the identity that associated the request. */
  ownerId?: string;
  /** The ARN of the identity that accepted it (mapped to the delegated credential). */
  approverId?: string;
  description: string;
  requestMessage?: string;
  permissions: { PolicyTemplateArn?: string; Parameters?: { Name?: string; Values?: string[]; Type?: 'string' | 'stringList' }[] };
  /** The template resolved with the parameters. */
  permissionPolicy: string;
  rolePermissionRestrictionArns: string[];
  redirectUrl?: string;
  notificationChannel: string;
  sessionDuration: number;
  onlySendByOwner: boolean;
  /** The stored state; past expirationTime the request reads as EXPIRED. */
  state: DelegationRequestState;
  createDate: string;
  updatedTime: string;
  expirationTime: string;
  notes?: string;
  rejectionReason?: string;
  /** What SendDelegationToken would publish to the partner's SNS topic, kept for sts:GetDelegatedAccessToken. */
  exchangeToken?: string;
  /** When the token was released; the delegated access ends sessionDuration later. */
  tokenReleaseDate?: string;
}
