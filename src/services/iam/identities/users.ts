// IAM users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers and user tags.
import { AwsError } from '../../../protocol/errors.ts';
import type { Operations, User } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { iamArn, ID_PREFIX } from '../common.ts';
import { COLLECTIONS, entityKey, type RootUserRecord, type UniqueIdRecord, type UserRecord } from '../records.ts';
import { preloadBoundaryCatalog, releaseBoundary, useAsBoundary } from './boundary.ts';
import { assertUserDeletable, moveUserDependents } from './dependents.ts';
import { userShape } from './shapes.ts';
import {
  accountOf,
  accountPrefix,
  checkQuota,
  duplicate,
  issueUniqueId,
  listPage,
  load,
  renameEntity,
  underPath,
} from './shared.ts';
import { checkRequestTags, mergeTags, removeTags, tagPage } from './tags.ts';

const USERS = COLLECTIONS.users;

export const userHandlers: Handlers<Operations> = {
  async CreateUser(input, context) {
    const accountId = accountOf(context);
    const path = input.Path ?? '/';
    checkRequestTags(input.Tags ?? []);
    await preloadBoundaryCatalog(input.PermissionsBoundary);
    const user = await context.store.transaction(async (tx) => {
      const key = entityKey(accountId, input.UserName);
      if (await tx.get(USERS, key)) throw duplicate('user', input.UserName);
      await checkQuota(tx, USERS, accountPrefix(accountId), 'UsersPerAccount');
      if (input.PermissionsBoundary) await useAsBoundary(tx, accountId, input.PermissionsBoundary);
      const record: UserRecord = {
        accountId,
        userName: input.UserName,
        userId: await issueUniqueId(tx, ID_PREFIX.user, { accountId, kind: 'user', name: input.UserName }),
        path,
        arn: iamArn(accountId, 'user', path, input.UserName),
        createDate: context.now.toISOString(),
        tags: (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value })),
        ...(input.PermissionsBoundary ? { permissionsBoundary: input.PermissionsBoundary } : {}),
      };
      await tx.put(USERS, key, record);
      return record;
    });
    return { User: userShape(user, 'full') };
  },

  async GetUser(input, context) {
    if (input.UserName !== undefined) {
      return { User: userShape(await load(context.store, 'user', accountOf(context), input.UserName), 'full') };
    }
    return { User: await callerAsUser(context) };
  },

  async UpdateUser(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const user = await load(tx, 'user', accountId, input.UserName);
      const renaming = {
        type: 'user' as const,
        accountId,
        record: user,
        name: user.userName,
        id: user.userId,
        withName: (record: UserRecord, userName: string) => ({ ...record, userName }),
        moveDependents: moveUserDependents,
      };
      await renameEntity(tx, renaming, input.NewUserName, input.NewPath);
    });
  },

  async DeleteUser(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const user = await load(tx, 'user', accountId, input.UserName);
      await assertUserDeletable(tx, accountId, user.userName);
      await tx.delete(USERS, entityKey(accountId, user.userName));
      await tx.delete(COLLECTIONS.uniqueIds, user.userId);
      if (user.permissionsBoundary) await releaseBoundary(tx, accountId, user.permissionsBoundary);
    });
  },

  async ListUsers(input, context) {
    const page = await listPage<UserRecord>(
      context.store,
      USERS,
      accountPrefix(accountOf(context)),
      input,
      underPath(input.PathPrefix),
    );
    return { Users: page.items.map((user) => userShape(user, 'listed')), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  async TagUser(input, context) {
    await updateUserTags(context, input.UserName, (tags) => mergeTags(tags, input.Tags, 'User'));
  },

  async UntagUser(input, context) {
    await updateUserTags(context, input.UserName, (tags) => removeTags(tags, input.TagKeys));
  },

  async ListUserTags(input, context) {
    const user = await load(context.store, 'user', accountOf(context), input.UserName);
    return tagPage(user.tags, input);
  },
};

async function updateUserTags(context: RequestContext, userName: string, change: (tags: UserRecord['tags']) => UserRecord['tags']) {
  const accountId = accountOf(context);
  await context.store.transaction(async (tx) => {
    const user = await load(tx, 'user', accountId, userName);
    await tx.put(USERS, entityKey(accountId, user.userName), { ...user, tags: change(user.tags) });
  });
}


/**
 * GetUser without a UserName answers about the caller: an IAM user gets its own user;
 * the root user gets its account id as UserId and the root ARN (AWS sends no UserName
 * or Path for root); other principals (role sessions, federated users) must name a user.
 */
async function callerAsUser(context: RequestContext): Promise<User> {
  const { principal } = context;
  if (principal.arn.endsWith(':root')) {
    const createDate = await rootCreateDate(context);
    // The model marks Path and UserName required, but AWS leaves them out for root.
    return { UserId: principal.accountId, Arn: principal.arn, CreateDate: createDate } as User;
  }
  if (/^arn:[^:]+:iam::\d{12}:user\//.test(principal.arn)) {
    const owner = await context.store.get<UniqueIdRecord>(COLLECTIONS.uniqueIds, principal.userId);
    const name = owner?.name ?? principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
    return userShape(await load(context.store, 'user', principal.accountId, name), 'full');
  }
  throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials', { status: 400 });
}

/** When Bulwark first saw the account's root user: stable across calls, as AWS's is. */
async function rootCreateDate(context: RequestContext): Promise<Date> {
  const accountId = context.principal.accountId;
  await context.store.insert(COLLECTIONS.rootUsers, accountId, { createDate: context.now.toISOString() } satisfies RootUserRecord);
  const root = await context.store.get<RootUserRecord>(COLLECTIONS.rootUsers, accountId);
  return new Date(root!.createDate);
}
