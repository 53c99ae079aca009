// GetAccountAuthorizationDetails: every user, group and role with its inline and
// attached policies, and the managed policies (customer managed ones all, AWS managed
// ones only when something in the account uses them), in one paged list.
import { loadManagedPolicies } from '../../../policy/managed-policies.ts';
import type {
  EntityType,
  GroupDetail,
  ManagedPolicyDetail,
  Operations,
  RoleDetail,
  UserDetail,
} from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { decodeMarker, DEFAULT_MAX_ITEMS, encodeMarker, invalidInput } from '../common.ts';
import { instanceProfileShape } from '../identities/shapes.ts';
import { urlEncodedDocument } from '../identities/shared.ts';
import { awsPolicyId as awsPolicyIdFor, awsUsageByArn } from '../policies/shared.ts';
import type { InlinePolicyRecord, RoleRecord, Tag } from '../records.ts';
import { attachedTo, groupNamesOf, inlineOf, readAccount, type AccountSnapshot } from './account.ts';

type Item =
  | { list: 'UserDetailList'; value: UserDetail }
  | { list: 'GroupDetailList'; value: GroupDetail }
  | { list: 'RoleDetailList'; value: RoleDetail }
  | { list: 'Policies'; value: ManagedPolicyDetail };

const ALL_TYPES: readonly EntityType[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

function inlineDetails(policies: readonly InlinePolicyRecord[]) {
  return policies.map((p) => ({ PolicyName: p.policyName, PolicyDocument: urlEncodedDocument(p.document) }));
}

function attachedDetails(arns: readonly string[]) {
  return arns.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }));
}

function boundary(arn: string | undefined) {
  return arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: arn } } : {};
}

function tags(list: readonly Tag[]) {
  return list.length > 0 ? { Tags: list.map(({ Key, Value }) => ({ Key, Value })) } : {};
}

function userDetails(snapshot: AccountSnapshot): UserDetail[] {
  return snapshot.users.map((user) => ({
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: new Date(user.createDate),
    UserPolicyList: inlineDetails(inlineOf(snapshot, 'user', user.userName)),
    GroupList: groupNamesOf(snapshot, user.userName),
    AttachedManagedPolicies: attachedDetails(attachedTo(snapshot, 'user', user.userId)),
    ...boundary(user.permissionsBoundary),
    ...tags(user.tags),
  }));
}

function groupDetails(snapshot: AccountSnapshot): GroupDetail[] {
  return snapshot.groups.map((group) => ({
    Path: group.path,
    GroupName: group.groupName,
    GroupId: group.groupId,
    Arn: group.arn,
    CreateDate: new Date(group.createDate),
    GroupPolicyList: inlineDetails(inlineOf(snapshot, 'group', group.groupName)),
    AttachedManagedPolicies: attachedDetails(attachedTo(snapshot, 'group', group.groupId)),
  }));
}

function roleDetails(snapshot: AccountSnapshot): RoleDetail[] {
  const roleByName = new Map(snapshot.roles.map((role) => [role.roleName.toLowerCase(), role]));
  return snapshot.roles.map((role) => {
    const profiles = snapshot.instanceProfiles.filter((p) => p.roleNames.some((n) => n.toLowerCase() === role.roleName.toLowerCase()));
    return {
      Path: role.path,
      RoleName: role.roleName,
      RoleId: role.roleId,
      Arn: role.arn,
      CreateDate: new Date(role.createDate),
      AssumeRolePolicyDocument: urlEncodedDocument(role.assumeRolePolicyDocument),
      InstanceProfileList: profiles.map((profile) =>
        instanceProfileShape(
          profile,
          profile.roleNames.map((n) => roleByName.get(n.toLowerCase())).filter((r): r is RoleRecord => r !== undefined),
          'listed',
        ),
      ),
      RolePolicyList: inlineDetails(inlineOf(snapshot, 'role', role.roleName)),
      AttachedManagedPolicies: attachedDetails(attachedTo(snapshot, 'role', role.roleId)),
      ...boundary(role.permissionsBoundary),
      ...tags(role.tags),
      RoleLastUsed: role.lastUsed ? { LastUsedDate: new Date(role.lastUsed.date), Region: role.lastUsed.region } : {},
    };
  });
}

function localPolicyDetails(snapshot: AccountSnapshot): ManagedPolicyDetail[] {
  return snapshot.policies.map((policy) => ({
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: policy.permissionsBoundaryUsageCount ?? 0,
    IsAttachable: true,
    ...(policy.description !== undefined ? { Description: policy.description } : {}),
    CreateDate: new Date(policy.createDate),
    UpdateDate: new Date(policy.updateDate),
    PolicyVersionList: policy.versions.map((version) => ({
      Document: urlEncodedDocument(version.document),
      VersionId: version.versionId,
      IsDefaultVersion: version.versionId === policy.defaultVersionId,
      CreateDate: new Date(version.createDate),
    })),
  }));
}

async function awsPolicyDetails(snapshot: AccountSnapshot, docs: Parameters<typeof awsUsageByArn>[0]): Promise<ManagedPolicyDetail[]> {
  const usage = await awsUsageByArn(docs, snapshot.accountId);
  if (usage.size === 0) return [];
  const catalog = await loadManagedPolicies();
  const details: ManagedPolicyDetail[] = [];
  for (const [arn, counts] of [...usage].sort(([a], [b]) => a.localeCompare(b))) {
    const policy = catalog.getByArn(arn);
    if (!policy) continue;
    details.push({
      PolicyName: policy.name,
      PolicyId: awsPolicyIdFor(arn),
      Arn: arn,
      Path: policy.path,
      DefaultVersionId: policy.defaultVersionId,
      AttachmentCount: counts.attachmentCount,
      PermissionsBoundaryUsageCount: counts.permissionsBoundaryUsageCount,
      IsAttachable: !policy.serviceLinkedRolePolicy,
      ...(policy.createDate ? { CreateDate: new Date(policy.createDate) } : {}),
      ...(policy.updateDate ? { UpdateDate: new Date(policy.updateDate) } : {}),
      PolicyVersionList: catalog.versions(arn).map((version) => ({
        Document: urlEncodedDocument(version.document),
        VersionId: version.versionId,
        IsDefaultVersion: version.isDefaultVersion,
        ...(version.createDate ? { CreateDate: new Date(version.createDate) } : {}),
      })),
    });
  }
  return details;
}

export const authorizationDetailsHandlers: Handlers<Operations> = {
  async GetAccountAuthorizationDetails(input, context) {
    const wanted = new Set(input.Filter && input.Filter.length > 0 ? input.Filter : ALL_TYPES);
    const snapshot = await readAccount(context.store, context.principal.accountId);
    const items: Item[] = [
      ...(wanted.has('User') ? userDetails(snapshot).map((value) => ({ list: 'UserDetailList' as const, value })) : []),
      ...(wanted.has('Group') ? groupDetails(snapshot).map((value) => ({ list: 'GroupDetailList' as const, value })) : []),
      ...(wanted.has('Role') ? roleDetails(snapshot).map((value) => ({ list: 'RoleDetailList' as const, value })) : []),
      ...(wanted.has('LocalManagedPolicy') ? localPolicyDetails(snapshot).map((value) => ({ list: 'Policies' as const, value })) : []),
      ...(wanted.has('AWSManagedPolicy')
        ? (await awsPolicyDetails(snapshot, context.store)).map((value) => ({ list: 'Policies' as const, value }))
        : []),
    ];
    const marker = decodeMarker(input.Marker);
    const start = marker === undefined ? 0 : Number(marker);
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalidInput('Invalid Marker.');
    const end = start + (input.MaxItems ?? DEFAULT_MAX_ITEMS);
    const page = items.slice(start, end);
    const truncated = end < items.length;
    return {
      UserDetailList: page.flatMap((item) => (item.list === 'UserDetailList' ? [item.value] : [])),
      GroupDetailList: page.flatMap((item) => (item.list === 'GroupDetailList' ? [item.value] : [])),
      RoleDetailList: page.flatMap((item) => (item.list === 'RoleDetailList' ? [item.value] : [])),
      Policies: page.flatMap((item) => (item.list === 'Policies' ? [item.value] : [])),
      IsTruncated: truncated,
      ...(truncated ? { Marker: encodeMarker(String(end)) } : {}),
    };
  },
};
