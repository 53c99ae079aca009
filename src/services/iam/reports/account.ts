// Everything one account holds in IAM, read once for the account-wide reports
// (GetAccountSummary, GetAccountAuthorizationDetails, the credential report).
import type { Documents } from '../../../store/store.ts';
import { listAll } from '../identities/shared.ts';
import {
  COLLECTIONS,
  type EntityAttachmentRecord,
  type EntityKind,
  type GroupRecord,
  type InlinePolicyRecord,
  type InstanceProfileRecord,
  type ManagedPolicyRecord,
  type MembershipRecord,
  type RoleRecord,
  type UserRecord,
} from '../records.ts';

export interface AccountSnapshot {
  accountId: string;
  users: UserRecord[];
  groups: GroupRecord[];
  roles: RoleRecord[];
  instanceProfiles: InstanceProfileRecord[];
  /** Customer managed policies. */
  policies: ManagedPolicyRecord[];
  inlinePolicies: InlinePolicyRecord[];
  memberships: MembershipRecord[];
  /** `KIND/ENTITYID` -> the ARNs of the managed policies attached to it. */
  attachedPolicies: Map<string, string[]>;
}

async function values<T>(docs: Documents, collection: string, prefix: string): Promise<T[]> {
  return (await listAll<T>(docs, collection, prefix)).map((entry) => entry.value);
}

export async function readAccount(docs: Documents, accountId: string): Promise<AccountSnapshot> {
  const prefix = `${accountId}/`;
  const [users, groups, roles, instanceProfiles, policies, inlinePolicies, memberships, attachments] = await Promise.all([
    values<UserRecord>(docs, COLLECTIONS.users, prefix),
    values<GroupRecord>(docs, COLLECTIONS.groups, prefix),
    values<RoleRecord>(docs, COLLECTIONS.roles, prefix),
    values<InstanceProfileRecord>(docs, COLLECTIONS.instanceProfiles, prefix),
    values<ManagedPolicyRecord>(docs, COLLECTIONS.policies, prefix),
    values<InlinePolicyRecord>(docs, COLLECTIONS.inlinePolicies, prefix),
    values<MembershipRecord>(docs, COLLECTIONS.memberships, `${accountId}/u/`),
    listAll<EntityAttachmentRecord>(docs, COLLECTIONS.entityAttachments, prefix),
  ]);
  const attachedPolicies = new Map<string, string[]>();
  for (const { key, value } of attachments) {
    // ACCOUNT/KIND/ENTITYID/POLICYARN
    const [, kind, entityId] = key.split('/', 3);
    const holder = `${kind}/${entityId}`;
    attachedPolicies.set(holder, [...(attachedPolicies.get(holder) ?? []), value.policyArn]);
  }
  return { accountId, users, groups, roles, instanceProfiles, policies, inlinePolicies, memberships, attachedPolicies };
}

export function attachedTo(snapshot: AccountSnapshot, kind: EntityKind, entityId: string): string[] {
  return snapshot.attachedPolicies.get(`${kind}/${entityId}`) ?? [];
}

export function inlineOf(snapshot: AccountSnapshot, kind: EntityKind, name: string): InlinePolicyRecord[] {
  const folded = name.toLowerCase();
  return snapshot.inlinePolicies.filter((policy) => policy.kind === kind && policy.entityName.toLowerCase() === folded);
}

export function groupNamesOf(snapshot: AccountSnapshot, userName: string): string[] {
  const folded = userName.toLowerCase();
  return snapshot.memberships.filter((m) => m.userName.toLowerCase() === folded).map((m) => m.groupName);
}
