// Instance profiles: the container that hands one role to an EC2 instance.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Documents } from '../../../store/store.ts';
import type { Handlers } from '../../handlers.ts';
import type { RequestContext } from '../../service.ts';
import { deleteConflict, iamArn, ID_PREFIX, noSuchEntity } from '../common.ts';
import { COLLECTIONS, entityKey, type InstanceProfileRecord, type RoleRecord } from '../records.ts';
import { instanceProfileShape } from './shapes.ts';
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
  underPath,
} from './shared.ts';
import { checkRequestTags, mergeTags, removeTags, tagPage } from './tags.ts';

const PROFILES = COLLECTIONS.instanceProfiles;

export const instanceProfileHandlers: Handlers<Operations> = {
  async CreateInstanceProfile(input, context) {
    const accountId = accountOf(context);
    const path = input.Path ?? '/';
    checkRequestTags(input.Tags ?? []);
    const profile = await context.store.transaction(async (tx) => {
      const key = entityKey(accountId, input.InstanceProfileName);
      if (await tx.get(PROFILES, key)) throw duplicate('instanceProfile', input.InstanceProfileName);
      await checkQuota(tx, PROFILES, accountPrefix(accountId), 'InstanceProfilesPerAccount');
      const record: InstanceProfileRecord = {
        accountId,
        instanceProfileName: input.InstanceProfileName,
        instanceProfileId: await issueUniqueId(tx, ID_PREFIX.instanceProfile, {
          accountId,
          kind: 'instance-profile',
          name: input.InstanceProfileName,
        }),
        path,
        arn: iamArn(accountId, 'instance-profile', path, input.InstanceProfileName),
        createDate: context.now.toISOString(),
        tags: (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value })),
        roleNames: [],
      };
      await tx.put(PROFILES, key, record);
      return record;
    });
    return { InstanceProfile: instanceProfileShape(profile, [], 'full') };
  },

  async GetInstanceProfile(input, context) {
    const accountId = accountOf(context);
    return context.store.transaction(async (tx) => {
      const profile = await load(tx, 'instanceProfile', accountId, input.InstanceProfileName);
      return { InstanceProfile: instanceProfileShape(profile, await rolesOf(tx, profile), 'full') };
    });
  },

  async DeleteInstanceProfile(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const profile = await load(tx, 'instanceProfile', accountId, input.InstanceProfileName);
      if (profile.roleNames.length > 0) {
        throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      }
      await tx.delete(PROFILES, entityKey(accountId, profile.instanceProfileName));
      await tx.delete(COLLECTIONS.uniqueIds, profile.instanceProfileId);
    });
  },

  async ListInstanceProfiles(input, context) {
    const accountId = accountOf(context);
    return context.store.transaction(async (tx) => {
      const page = await listPage<InstanceProfileRecord>(tx, PROFILES, accountPrefix(accountId), input, underPath(input.PathPrefix));
      return { InstanceProfiles: await listedProfiles(tx, page.items), IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
  },

  /** An instance profile holds one role at most, and AWS will not raise that quota. */
  async AddRoleToInstanceProfile(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const profile = await load(tx, 'instanceProfile', accountId, input.InstanceProfileName);
      const role = await load(tx, 'role', accountId, input.RoleName);
      if (profile.roleNames.length >= QUOTAS.InstanceSessionsPerInstanceProfile) {
        throw quotaExceeded('InstanceSessionsPerInstanceProfile');
      }
      await saveProfile(tx, { ...profile, roleNames: [...profile.roleNames, role.roleName] });
    });
  },

  async RemoveRoleFromInstanceProfile(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const profile = await load(tx, 'instanceProfile', accountId, input.InstanceProfileName);
      const role = await load(tx, 'role', accountId, input.RoleName);
      const remaining = profile.roleNames.filter((name) => name.toLowerCase() !== role.roleName.toLowerCase());
      if (remaining.length === profile.roleNames.length) {
        throw noSuchEntity(`The role with name ${input.RoleName} is not in instance profile ${profile.instanceProfileName}.`);
      }
      await saveProfile(tx, { ...profile, roleNames: remaining });
    });
  },

  async ListInstanceProfilesForRole(input, context) {
    const accountId = accountOf(context);
    return context.store.transaction(async (tx) => {
      const role = await load(tx, 'role', accountId, input.RoleName);
      const holdsRole = (profile: InstanceProfileRecord) =>
        profile.roleNames.some((name) => name.toLowerCase() === role.roleName.toLowerCase());
      const page = await listPage(tx, PROFILES, accountPrefix(accountId), input, holdsRole);
      return { InstanceProfiles: await listedProfiles(tx, page.items), IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
  },

  async TagInstanceProfile(input, context) {
    await updateProfile(context, input.InstanceProfileName, (profile) => ({
      ...profile,
      tags: mergeTags(profile.tags, input.Tags, 'InstanceProfile'),
    }));
  },

  async UntagInstanceProfile(input, context) {
    await updateProfile(context, input.InstanceProfileName, (profile) => ({
      ...profile,
      tags: removeTags(profile.tags, input.TagKeys),
    }));
  },

  async ListInstanceProfileTags(input, context) {
    const profile = await load(context.store, 'instanceProfile', accountOf(context), input.InstanceProfileName);
    return tagPage(profile.tags, input);
  },
};

function saveProfile(docs: Documents, profile: InstanceProfileRecord): Promise<number> {
  return docs.put(PROFILES, entityKey(profile.accountId, profile.instanceProfileName), profile);
}

async function updateProfile(
  context: RequestContext,
  name: string,
  change: (profile: InstanceProfileRecord) => InstanceProfileRecord,
): Promise<void> {
  const accountId = accountOf(context);
  await context.store.transaction(async (tx) => {
    await saveProfile(tx, change(await load(tx, 'instanceProfile', accountId, name)));
  });
}

/** The profile's roles that still exist (a role cannot be deleted while in a profile). */
async function rolesOf(docs: Documents, profile: InstanceProfileRecord): Promise<RoleRecord[]> {
  const roles = await loadEach(profile.roleNames, (name) =>
    docs.get<RoleRecord>(COLLECTIONS.roles, entityKey(profile.accountId, name)),
  );
  return roles.filter((role): role is RoleRecord => role !== undefined);
}

async function listedProfiles(docs: Documents, profiles: readonly InstanceProfileRecord[]) {
  return loadEach(profiles, async (profile) => instanceProfileShape(profile, await rolesOf(docs, profile), 'listed'));
}
