// Records -> the User, Group, Role and InstanceProfile structures IAM returns. The
// List* operations return a subset: AWS documents that ListUsers and ListRoles leave
// out PermissionsBoundary, Tags and RoleLastUsed (Get* return everything).
import type { Group, InstanceProfile, Role, Tag, User } from '../../../protocol/types/iam.ts';
import type { GroupRecord, InstanceProfileRecord, RoleRecord, UserRecord } from '../records.ts';
import { urlEncodedDocument } from './shared.ts';

/** 'full' for Get*, Create* and Update*; 'listed' for List* and entities nested in other answers. */
export type Detail = 'full' | 'listed';

function boundary(arn: string | undefined) {
  return arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: arn } } : {};
}

function tags(list: readonly Tag[]) {
  return list.length > 0 ? { Tags: list.map(({ Key, Value }) => ({ Key, Value })) } : {};
}

export function userShape(record: UserRecord, detail: Detail): User {
  return {
    Path: record.path,
    UserName: record.userName,
    UserId: record.userId,
    Arn: record.arn,
    CreateDate: new Date(record.createDate),
    ...(record.passwordLastUsed ? { PasswordLastUsed: new Date(record.passwordLastUsed) } : {}),
    ...(detail === 'full' ? { ...boundary(record.permissionsBoundary), ...tags(record.tags) } : {}),
  };
}

export function groupShape(record: GroupRecord): Group {
  return {
    Path: record.path,
    GroupName: record.groupName,
    GroupId: record.groupId,
    Arn: record.arn,
    CreateDate: new Date(record.createDate),
  };
}

export function roleShape(record: RoleRecord, detail: Detail): Role {
  return {
    Path: record.path,
    RoleName: record.roleName,
    RoleId: record.roleId,
    Arn: record.arn,
    CreateDate: new Date(record.createDate),
    AssumeRolePolicyDocument: urlEncodedDocument(record.assumeRolePolicyDocument),
    ...(record.description !== undefined ? { Description: record.description } : {}),
    MaxSessionDuration: record.maxSessionDuration,
    ...(detail === 'full' ? { ...boundary(record.permissionsBoundary), ...tags(record.tags) } : {}),
  };
}

/** GetRole adds when and where the role was last used (an empty structure if never). */
export function roleWithLastUsed(record: RoleRecord): Role {
  const lastUsed = record.lastUsed ? { LastUsedDate: new Date(record.lastUsed.date), Region: record.lastUsed.region } : {};
  return { ...roleShape(record, 'full'), RoleLastUsed: lastUsed };
}

export function instanceProfileShape(record: InstanceProfileRecord, roles: readonly RoleRecord[], detail: Detail): InstanceProfile {
  return {
    Path: record.path,
    InstanceProfileName: record.instanceProfileName,
    InstanceProfileId: record.instanceProfileId,
    Arn: record.arn,
    CreateDate: new Date(record.createDate),
    Roles: roles.map((role) => roleShape(role, 'listed')),
    ...(detail === 'full' ? tags(record.tags) : {}),
  };
}
