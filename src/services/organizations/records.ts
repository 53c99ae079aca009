// How AWS Organizations' state is laid out in the store. An organization is small
// (a tree of OUs, its accounts, its policies and their attachments), so it lives in one
// document that each change rewrites inside a transaction; two index collections answer
// "which organization is this account in" and "is this email taken".
import { randomInt } from 'node:crypto';

/** Organizations' service principal (its service-linked role trusts it). */
export const ORGANIZATIONS_SERVICE_PRINCIPAL = 'organizations.amazonaws.com';

export const ORG_COLLECTIONS = {
  /** ORGID -> OrganizationRecord. */
  organizations: 'organizations.organizations',
  /** ACCOUNTID -> MembershipRecord: the organization an account belongs to. */
  members: 'organizations.members',
  /** lower-cased email -> { accountId }: an email names one account. */
  emails: 'organizations.emails',
} as const;

export interface Tag {
  Key: string;
  Value: string;
}

export interface MembershipRecord {
  organizationId: string;
}

export interface UnitRecord {
  id: string;
  name: string;
  parentId: string;
  tags: Tag[];
}

export interface AccountRecord {
  id: string;
  name: string;
  email: string;
  parentId: string;
  joinedMethod: 'INVITED' | 'CREATED';
  joinedTimestamp: string;
  tags: Tag[];
  /** Set by CloseAccount: the account is PENDING_CLOSURE, then SUSPENDED (accountStatus in shared.ts). */
  closureRequestedTimestamp?: string;
}

export interface PolicyRecord {
  id: string;
  name: string;
  description: string;
  type: string;
  content: string;
  tags: Tag[];
}

export interface AttachmentRecord {
  policyId: string;
  targetId: string;
}

export interface CreateAccountStatusRecord {
  id: string;
  accountName: string;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  requestedTimestamp: string;
  completedTimestamp?: string;
  accountId?: string;
  failureReason?: string;
}

export interface OrganizationRecord {
  id: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  managementAccountId: string;
  managementAccountEmail: string;
  rootId: string;
  rootTags: Tag[];
  /** The policy types enabled in the root. */
  enabledPolicyTypes: string[];
  units: Record<string, UnitRecord>;
  accounts: Record<string, AccountRecord>;
  /** Customer managed policies; AWS managed ones are constants (AWS_MANAGED_POLICIES). */
  policies: Record<string, PolicyRecord>;
  attachments: AttachmentRecord[];
  createAccountStatuses: Record<string, CreateAccountStatusRecord>;
  // Absent in organizations stored before these features existed: read them as empty.
  /** Services with trusted access (EnableAWSServiceAccess), in the order they were enabled. */
  trustedServices?: TrustedServiceRecord[];
  /** One entry per delegated administrator account and service. */
  delegatedAdministrators?: DelegatedAdministratorRecord[];
  /** The resource-based delegation policy (PutResourcePolicy). */
  resourcePolicy?: ResourcePolicyRecord;
  /** When each CloseAccount of the organization was made: AWS's quota counts the last 30 days. */
  closures?: string[];
}

export interface TrustedServiceRecord {
  servicePrincipal: string;
  dateEnabled: string;
}

export interface DelegatedAdministratorRecord {
  accountId: string;
  servicePrincipal: string;
  delegationEnabledDate: string;
}

export interface ResourcePolicyRecord {
  id: string;
  content: string;
  tags: Tag[];
}

// --- ids and ARNs, in AWS's formats -------------------------------------------

const LOWER_ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyz';

export function randomText(length: number, alphabet = LOWER_ALPHANUMERIC): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}

export const newOrganizationId = (): string => `o-${randomText(10)}`;
export const newRootId = (): string => `r-${randomText(4)}`;
/** An OU id carries its root's suffix: ou-<root>-<8 characters>. */
export const newUnitId = (rootId: string): string => `ou-${rootId.slice(2)}-${randomText(8)}`;
export const newPolicyId = (): string => `p-${randomText(10)}`;
export const newCreateAccountRequestId = (): string => `car-${randomText(32)}`;
export const newAccountId = (): string => randomText(12, '0123456789');
export const newResourcePolicyId = (): string => `rp-${randomText(8)}`;

export function organizationArn(org: OrganizationRecord): string {
  return `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`;
}

export function rootArn(org: OrganizationRecord): string {
  return `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`;
}

export function unitArn(org: OrganizationRecord, unitId: string): string {
  return `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${unitId}`;
}

export function accountArn(org: OrganizationRecord, accountId: string): string {
  return `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${accountId}`;
}

export function resourcePolicyArn(org: OrganizationRecord, policyId: string): string {
  return `arn:aws:organizations::${org.managementAccountId}:resourcepolicy/${org.id}/${policyId}`;
}

/** The policy type as it appears in policy ARNs: service_control_policy. */
export function policyTypeInArn(type: string): string {
  return type.toLowerCase();
}

export function policyArn(org: OrganizationRecord, policy: { id: string; type: string }): string {
  if (policy.id in AWS_MANAGED_POLICIES) return `arn:aws:organizations::aws:policy/${policyTypeInArn(policy.type)}/${policy.id}`;
  return `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/${policyTypeInArn(policy.type)}/${policy.id}`;
}

// --- AWS managed policies -----------------------------------------------------

/** The policies AWS attaches everywhere when their type is enabled. */
export const AWS_MANAGED_POLICIES: Record<string, Omit<PolicyRecord, 'tags'>> = {
  'p-FullAWSAccess': {
    id: 'p-FullAWSAccess',
    name: 'FullAWSAccess',
    description: 'Allows access to every operation',
    type: 'SERVICE_CONTROL_POLICY',
    content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
  },
  'p-RCPFullAWSAccess': {
    id: 'p-RCPFullAWSAccess',
    name: 'RCPFullAWSAccess',
    description: 'Allows access to every operation',
    type: 'RESOURCE_CONTROL_POLICY',
    content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
  },
};

/** The AWS managed policy of a type that is attached to every target while the type is enabled. */
export const DEFAULT_POLICY_OF_TYPE: Record<string, string> = {
  SERVICE_CONTROL_POLICY: 'p-FullAWSAccess',
  RESOURCE_CONTROL_POLICY: 'p-RCPFullAWSAccess',
};
