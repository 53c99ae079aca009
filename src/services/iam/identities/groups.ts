// IAM groups and their members: CreateGroup, GetGroup, UpdateGroup, DeleteGroup,
// ListGroups, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { iamArn, ID_PREFIX, noSuchEntity } from '../common.ts';
import {
  COLLECTIONS,
  entityKey,
  membershipKeys,
  type GroupRecord,
  type MembershipRecord,
} from '../records.ts';
import { assertGroupDeletable, moveGroupDependents } from './dependents.ts';
import { groupShape, userShape } from './shapes.ts';
import {
  accountOf,
  accountPrefix,
  checkQuota,
  duplicate,
  issueUniqueId,
  listPage,
  load,
  loadEach,
  quotaExceeded,
  QUOTAS,
  renameEntity,
  underPath,
} from './shared.ts';

const GROUPS = COLLECTIONS.groups;
const MEMBERSHIPS = COLLECTIONS.memberships;

export const groupHandlers: Handlers<Operations> = {
  async CreateGroup(input, context) {
    const accountId = accountOf(context);
    const path = input.Path ?? '/';
    const group = await context.store.transaction(async (tx) => {
      const key = entityKey(accountId, input.GroupName);
      if (await tx.get(GROUPS, key)) throw duplicate('group', input.GroupName);
      await checkQuota(tx, GROUPS, accountPrefix(accountId), 'GroupsPerAccount');
      const record: GroupRecord = {
        accountId,
        groupName: input.GroupName,
        groupId: await issueUniqueId(tx, ID_PREFIX.group, { accountId, kind: 'group', name: input.GroupName }),
        path,
        arn: iamArn(accountId, 'group', path, input.GroupName),
        createDate: context.now.toISOString(),
      };
      await tx.put(GROUPS, key, record);
      return record;
    });
    return { Group: groupShape(group) };
  },

  /** The group and one page of its members, in user-name order. */
  async GetGroup(input, context) {
    const accountId = accountOf(context);
    return context.store.transaction(async (tx) => {
      const group = await load(tx, 'group', accountId, input.GroupName);
      const page = await listPage<MembershipRecord>(tx, MEMBERSHIPS, `${accountId}/g/${group.groupName.toLowerCase()}/`, input);
      const users = await loadEach(page.items, (member) => load(tx, 'user', accountId, member.userName));
      return {
        Group: groupShape(group),
        Users: users.map((user) => userShape(user, 'listed')),
        IsTruncated: page.IsTruncated,
        Marker: page.Marker,
      };
    });
  },

  async UpdateGroup(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const group = await load(tx, 'group', accountId, input.GroupName);
      const renaming = {
        type: 'group' as const,
        accountId,
        record: group,
        name: group.groupName,
        id: group.groupId,
        withName: (record: GroupRecord, groupName: string) => ({ ...record, groupName }),
        moveDependents: moveGroupDependents,
      };
      await renameEntity(tx, renaming, input.NewGroupName, input.NewPath);
    });
  },

  async DeleteGroup(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const group = await load(tx, 'group', accountId, input.GroupName);
      await assertGroupDeletable(tx, accountId, group.groupName);
      await tx.delete(GROUPS, entityKey(accountId, group.groupName));
      await tx.delete(COLLECTIONS.uniqueIds, group.groupId);
    });
  },

  async ListGroups(input, context) {
    const page = await listPage<GroupRecord>(
      context.store,
      GROUPS,
      accountPrefix(accountOf(context)),
      input,
      underPath(input.PathPrefix),
    );
    return { Groups: page.items.map(groupShape), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  /** Adding a member twice is not an error on AWS; a user is in at most 10 groups. */
  async AddUserToGroup(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const group = await load(tx, 'group', accountId, input.GroupName);
      const user = await load(tx, 'user', accountId, input.UserName);
      const keys = membershipKeys(accountId, group.groupName, user.userName);
      if (await tx.get(MEMBERSHIPS, keys.byUser)) return;
      const groupsOfUser = await tx.count(MEMBERSHIPS, `${accountId}/u/${user.userName.toLowerCase()}/`);
      if (groupsOfUser >= QUOTAS.GroupsPerUser) throw quotaExceeded('GroupsPerUser');
      const membership: MembershipRecord = { groupName: group.groupName, userName: user.userName };
      await tx.put(MEMBERSHIPS, keys.byGroup, membership);
      await tx.put(MEMBERSHIPS, keys.byUser, membership);
    });
  },

  async RemoveUserFromGroup(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const group = await load(tx, 'group', accountId, input.GroupName);
      const user = await load(tx, 'user', accountId, input.UserName);
      const keys = membershipKeys(accountId, group.groupName, user.userName);
      if (!(await tx.delete(MEMBERSHIPS, keys.byUser))) {
        throw noSuchEntity(`The user with name ${input.UserName} is not in the group with name ${input.GroupName}.`);
      }
      await tx.delete(MEMBERSHIPS, keys.byGroup);
    });
  },

  /** The user's groups, in group-name order. */
  async ListGroupsForUser(input, context) {
    const accountId = accountOf(context);
    return context.store.transaction(async (tx) => {
      const user = await load(tx, 'user', accountId, input.UserName);
      const page = await listPage<MembershipRecord>(tx, MEMBERSHIPS, `${accountId}/u/${user.userName.toLowerCase()}/`, input);
      const groups = await loadEach(page.items, (member) => load(tx, 'group', accountId, member.groupName));
      return { Groups: groups.map(groupShape), IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
  },
};
