// IAM users, at the handler level: names, paths, ids, tags, renames, deletion
// conflicts, listing and quotas as AWS applies them.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { registerUserDependent } from '../../../src/services/iam/identities.ts';
import {
  attachmentKey,
  COLLECTIONS,
  inlinePolicyKey,
  type ManagedPolicyRecord,
  type UniqueIdRecord,
} from '../../../src/services/iam/records.ts';
import { ACCOUNT, awsError, iam, OTHER_ACCOUNT, rootOf, type Iam } from './identities-context.ts';

describe('IAM users', () => {
  let api: Iam;
  beforeEach(async () => {
    api = await iam();
  });

  describe('CreateUser', () => {
    it('creates a user with an AIDA id, the path in its ARN and the creation time', async () => {
      const { User } = await api.call('CreateUser', { UserName: 'Alice', Path: '/engineering/' });
      assert.ok(User);
      assert.equal(User.UserName, 'Alice');
      assert.equal(User.Path, '/engineering/');
      assert.equal(User.Arn, `arn:aws:iam::${ACCOUNT}:user/engineering/Alice`);
      assert.match(User.UserId, /^AIDA[A-Z2-7]{17}$/);
      assert.equal(User.CreateDate.toISOString(), '2024-05-01T12:00:00.000Z');
      const owner = await api.store.get<UniqueIdRecord>(COLLECTIONS.uniqueIds, User.UserId);
      assert.deepEqual(owner, { accountId: ACCOUNT, kind: 'user', name: 'Alice' });
    });

    it('defaults the path to /', async () => {
      const { User } = await api.call('CreateUser', { UserName: 'bob' });
      assert.equal(User?.Path, '/');
      assert.equal(User?.Arn, `arn:aws:iam::${ACCOUNT}:user/bob`);
    });

    it('rejects a name that differs only in case: EntityAlreadyExists', async () => {
      await api.call('CreateUser', { UserName: 'bob' });
      await assert.rejects(api.call('CreateUser', { UserName: 'BOB' }), awsError('EntityAlreadyExistsException', 'User with name BOB already exists.'));
    });

    it('keeps accounts apart: the same name may exist in another account', async () => {
      await api.call('CreateUser', { UserName: 'bob' });
      const { User } = await api.call('CreateUser', { UserName: 'bob' }, rootOf(OTHER_ACCOUNT));
      assert.equal(User?.Arn, `arn:aws:iam::${OTHER_ACCOUNT}:user/bob`);
    });

    it('returns the tags given at creation', async () => {
      const { User } = await api.call('CreateUser', { UserName: 'bob', Tags: [{ Key: 'team', Value: 'red' }] });
      assert.deepEqual(User?.Tags, [{ Key: 'team', Value: 'red' }]);
    });

    it('rejects tag keys that repeat in another case: InvalidInput', async () => {
      await assert.rejects(
        api.call('CreateUser', { UserName: 'bob', Tags: [{ Key: 'Env', Value: 'a' }, { Key: 'env', Value: 'b' }] }),
        awsError('InvalidInputException', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
      );
      await assert.rejects(api.call('GetUser', { UserName: 'bob' }), awsError('NoSuchEntityException'));
    });

    it('rejects tag keys with the reserved aws: prefix: InvalidInput', async () => {
      await assert.rejects(
        api.call('CreateUser', { UserName: 'bob', Tags: [{ Key: 'AWS:team', Value: 'a' }] }),
        awsError('InvalidInputException', /aws:/),
      );
    });

    it('refuses a permissions boundary that does not exist: NoSuchEntity', async () => {
      const arn = `arn:aws:iam::${ACCOUNT}:policy/missing`;
      await assert.rejects(
        api.call('CreateUser', { UserName: 'bob', PermissionsBoundary: arn }),
        awsError('NoSuchEntityException', `Policy ${arn} does not exist or is not attachable.`),
      );
    });

    it('counts a customer managed boundary while the user exists', async () => {
      const arn = `arn:aws:iam::${ACCOUNT}:policy/Boundary`;
      await api.store.put(COLLECTIONS.policies, `${ACCOUNT}/boundary`, managedPolicy(arn));
      const { User } = await api.call('CreateUser', { UserName: 'bob', PermissionsBoundary: arn });
      assert.deepEqual(User?.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
      assert.equal(await boundaryUses(), 1);
      await api.call('DeleteUser', { UserName: 'bob' });
      assert.equal(await boundaryUses(), 0);
    });

    it('stops at the UsersPerAccount quota of 5000: LimitExceeded', async () => {
      for (let i = 0; i < 5000; i++) {
        await api.store.put(COLLECTIONS.users, `${ACCOUNT}/filler${i}`, { userName: `filler${i}` });
      }
      await assert.rejects(
        api.call('CreateUser', { UserName: 'one-too-many' }),
        awsError('LimitExceededException', 'Cannot exceed quota for UsersPerAccount: 5000'),
      );
    });
  });

  describe('GetUser', () => {
    it('answers a missing user with NoSuchEntity', async () => {
      await assert.rejects(api.call('GetUser', { UserName: 'ghost' }), awsError('NoSuchEntityException', 'The user with name ghost cannot be found.'));
    });

    it('finds a user by any case of its name', async () => {
      await api.call('CreateUser', { UserName: 'Alice' });
      const { User } = await api.call('GetUser', { UserName: 'ALICE' });
      assert.equal(User?.UserName, 'Alice');
    });

    it('without a UserName answers about the root caller: account id as UserId, the root ARN', async () => {
      const first = await api.call('GetUser', {});
      assert.equal(first.User?.UserId, ACCOUNT);
      assert.equal(first.User?.Arn, `arn:aws:iam::${ACCOUNT}:root`);
      assert.equal(first.User?.UserName, undefined);
      api.advance(60_000);
      const again = await api.call('GetUser', {});
      assert.deepEqual(again.User?.CreateDate, first.User?.CreateDate);
    });

    it('without a UserName answers about the calling IAM user', async () => {
      const { User } = await api.call('CreateUser', { UserName: 'alice', Path: '/dev/' });
      const caller = { arn: User!.Arn, accountId: ACCOUNT, userId: User!.UserId };
      const me = await api.call('GetUser', {}, caller);
      assert.equal(me.User?.UserName, 'alice');
      assert.equal(me.User?.UserId, User!.UserId);
    });

    it('without a UserName refuses a role session: ValidationError', async () => {
      const session = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`, accountId: ACCOUNT, userId: 'AROAEXAMPLE:s1' };
      await assert.rejects(
        api.call('GetUser', {}, session),
        awsError('ValidationError', 'Must specify userName when calling with non-User credentials'),
      );
    });
  });

  describe('UpdateUser', () => {
    it('renames a user and moves its path, ARN and unique id', async () => {
      const { User } = await api.call('CreateUser', { UserName: 'alice' });
      await api.call('UpdateUser', { UserName: 'alice', NewUserName: 'alicia', NewPath: '/ops/' });
      await assert.rejects(api.call('GetUser', { UserName: 'alice' }), awsError('NoSuchEntityException'));
      const renamed = await api.call('GetUser', { UserName: 'alicia' });
      assert.equal(renamed.User?.UserId, User?.UserId);
      assert.equal(renamed.User?.Arn, `arn:aws:iam::${ACCOUNT}:user/ops/alicia`);
      const owner = await api.store.get<UniqueIdRecord>(COLLECTIONS.uniqueIds, User!.UserId);
      assert.equal(owner?.name, 'alicia');
    });

    it('may change only the case of the name', async () => {
      await api.call('CreateUser', { UserName: 'alice' });
      await api.call('UpdateUser', { UserName: 'alice', NewUserName: 'Alice' });
      const { User } = await api.call('GetUser', { UserName: 'alice' });
      assert.equal(User?.UserName, 'Alice');
    });

    it('refuses a new name another user has: EntityAlreadyExists', async () => {
      await api.call('CreateUser', { UserName: 'alice' });
      await api.call('CreateUser', { UserName: 'bob' });
      await assert.rejects(
        api.call('UpdateUser', { UserName: 'alice', NewUserName: 'Bob' }),
        awsError('EntityAlreadyExistsException', 'User with name Bob already exists.'),
      );
    });

    it('moves group memberships, inline policies and policy attachments to the new name', async () => {
      await api.call('CreateUser', { UserName: 'alice' });
      await api.call('CreateGroup', { GroupName: 'devs' });
      await api.call('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
      await api.store.put(COLLECTIONS.inlinePolicies, inlinePolicyKey(ACCOUNT, 'user', 'alice', 'Read'), {
        kind: 'user',
        entityName: 'alice',
        policyName: 'Read',
        document: '{}',
      });
      const policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
      await api.store.put(COLLECTIONS.attachments, attachmentKey(ACCOUNT, policyArn, 'user', 'alice'), {
        policyArn,
        kind: 'user',
        name: 'alice',
        entityId: 'AIDAEXAMPLE',
      });

      await api.call('UpdateUser', { UserName: 'alice', NewUserName: 'alicia' });

      const groups = await api.call('ListGroupsForUser', { UserName: 'alicia' });
      assert.deepEqual(groups.Groups.map((g) => g.GroupName), ['devs']);
      const members = await api.call('GetGroup', { GroupName: 'devs' });
      assert.deepEqual(members.Users.map((u) => u.UserName), ['alicia']);
      assert.equal(await api.store.get(COLLECTIONS.inlinePolicies, inlinePolicyKey(ACCOUNT, 'user', 'alice', 'Read')), undefined);
      assert.deepEqual(
        await api.store.get(COLLECTIONS.inlinePolicies, inlinePolicyKey(ACCOUNT, 'user', 'alicia', 'Read')),
        { kind: 'user', entityName: 'alicia', policyName: 'Read', document: '{}' },
      );
      assert.equal(await api.store.get(COLLECTIONS.attachments, attachmentKey(ACCOUNT, policyArn, 'user', 'alice')), undefined);
      const moved = await api.store.get<{ name: string }>(COLLECTIONS.attachments, attachmentKey(ACCOUNT, policyArn, 'user', 'alicia'));
      assert.equal(moved?.name, 'alicia');
    });
  });

  describe('DeleteUser', () => {
    it('deletes the user and releases its unique id record', async () => {
      const { User } = await api.call('CreateUser', { UserName: 'alice' });
      await api.call('DeleteUser', { UserName: 'alice' });
      await assert.rejects(api.call('GetUser', { UserName: 'alice' }), awsError('NoSuchEntityException'));
      assert.equal(await api.store.get(COLLECTIONS.uniqueIds, User!.UserId), undefined);
    });

    it('answers a missing user with NoSuchEntity', async () => {
      await assert.rejects(api.call('DeleteUser', { UserName: 'ghost' }), awsError('NoSuchEntityException', 'The user with name ghost cannot be found.'));
    });

    it('refuses while the user is in a group: DeleteConflict', async () => {
      await api.call('CreateUser', { UserName: 'alice' });
      await api.call('CreateGroup', { GroupName: 'devs' });
      await api.call('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
      await assert.rejects(
        api.call('DeleteUser', { UserName: 'alice' }),
        awsError('DeleteConflictException', 'Cannot delete entity, must remove users from group first.'),
      );
    });

    it('refuses while the user has an inline policy: DeleteConflict', async () => {
      await api.call('CreateUser', { UserName: 'alice' });
      await api.store.put(COLLECTIONS.inlinePolicies, inlinePolicyKey(ACCOUNT, 'user', 'alice', 'p'), {
        kind: 'user',
        entityName: 'alice',
        policyName: 'p',
        document: '{}',
      });
      await assert.rejects(
        api.call('DeleteUser', { UserName: 'alice' }),
        awsError('DeleteConflictException', 'Cannot delete entity, must delete policies first.'),
      );
    });

    it('refuses while a managed policy is attached: DeleteConflict', async () => {
      await api.call('CreateUser', { UserName: 'alice' });
      const policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
      await api.store.put(COLLECTIONS.attachments, attachmentKey(ACCOUNT, policyArn, 'user', 'alice'), {
        policyArn,
        kind: 'user',
        name: 'alice',
        entityId: 'x',
      });
      await assert.rejects(
        api.call('DeleteUser', { UserName: 'alice' }),
        awsError('DeleteConflictException', 'Cannot delete entity, must detach all policies first.'),
      );
    });

    it("checks the credentials area's registered dependents, with AWS's message, and moves them on rename", async () => {
      const profiles = new Set<string>();
      registerUserDependent(
        'loginProfile',
        async (_docs, accountId, name) => profiles.has(`${accountId}/${name.toLowerCase()}`),
        async (_docs, accountId, oldName, newName) => {
          if (profiles.delete(`${accountId}/${oldName.toLowerCase()}`)) profiles.add(`${accountId}/${newName.toLowerCase()}`);
        },
      );
      await api.call('CreateUser', { UserName: 'alice' });
      profiles.add(`${ACCOUNT}/alice`);
      await api.call('UpdateUser', { UserName: 'alice', NewUserName: 'carol' });
      assert.deepEqual([...profiles], [`${ACCOUNT}/carol`]);
      await assert.rejects(
        api.call('DeleteUser', { UserName: 'carol' }),
        awsError('DeleteConflictException', 'Cannot delete entity, must delete login profile first.'),
      );
      profiles.clear();
      await api.call('DeleteUser', { UserName: 'carol' });
    });
  });

  describe('ListUsers', () => {
    it('lists in name order, without tags, over more than one page', async () => {
      for (const name of ['carol', 'Alice', 'dave', 'bob', 'erin']) {
        await api.call('CreateUser', { UserName: name, Tags: [{ Key: 'k', Value: 'v' }] });
      }
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await api.call('ListUsers', { MaxItems: 2, Marker: marker });
        pages++;
        assert.ok(page.Users.length <= 2);
        assert.ok(page.Users.every((u) => u.Tags === undefined));
        seen.push(...page.Users.map((u) => u.UserName));
        assert.equal(page.IsTruncated, page.Marker !== undefined);
        marker = page.Marker;
      } while (marker);
      assert.equal(pages, 3);
      assert.deepEqual(seen, ['Alice', 'bob', 'carol', 'dave', 'erin']);
    });

    it('says IsTruncated false when the last page is exactly full', async () => {
      await api.call('CreateUser', { UserName: 'a' });
      await api.call('CreateUser', { UserName: 'b' });
      const page = await api.call('ListUsers', { MaxItems: 2 });
      assert.equal(page.IsTruncated, false);
      assert.equal(page.Marker, undefined);
    });

    it('filters by PathPrefix', async () => {
      await api.call('CreateUser', { UserName: 'a', Path: '/eng/backend/' });
      await api.call('CreateUser', { UserName: 'b', Path: '/sales/' });
      await api.call('CreateUser', { UserName: 'c', Path: '/eng/' });
      const page = await api.call('ListUsers', { PathPrefix: '/eng/' });
      assert.deepEqual(page.Users.map((u) => u.UserName), ['a', 'c']);
    });

    it('rejects a Marker it did not issue: InvalidInput', async () => {
      await assert.rejects(api.call('ListUsers', { Marker: 'bm90LWEta2V5' }), awsError('InvalidInputException'));
    });
  });

  describe('user tags', () => {
    beforeEach(async () => {
      await api.call('CreateUser', { UserName: 'alice', Tags: [{ Key: 'Team', Value: 'red' }] });
    });

    it('TagUser overwrites a key given in another case and keeps the new spelling', async () => {
      await api.call('TagUser', { UserName: 'alice', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '1' }] });
      const { Tags } = await api.call('ListUserTags', { UserName: 'alice' });
      assert.deepEqual(Tags, [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '1' }]);
    });

    it('TagUser beyond 50 tags on the user: LimitExceeded, and nothing is added', async () => {
      const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await assert.rejects(api.call('TagUser', { UserName: 'alice', Tags: tags }), awsError('LimitExceededException', /TagsPerUser: 50/));
      const { Tags } = await api.call('ListUserTags', { UserName: 'alice' });
      assert.equal(Tags.length, 1);
    });

    it('UntagUser removes keys case-insensitively and ignores unknown keys', async () => {
      await api.call('UntagUser', { UserName: 'alice', TagKeys: ['TEAM', 'nothing'] });
      const { Tags } = await api.call('ListUserTags', { UserName: 'alice' });
      assert.deepEqual(Tags, []);
    });

    it('ListUserTags pages with Marker/MaxItems', async () => {
      await api.call('TagUser', { UserName: 'alice', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
      const first = await api.call('ListUserTags', { UserName: 'alice', MaxItems: 2 });
      assert.equal(first.IsTruncated, true);
      const second = await api.call('ListUserTags', { UserName: 'alice', MaxItems: 2, Marker: first.Marker });
      assert.equal(second.IsTruncated, false);
      assert.deepEqual([...first.Tags, ...second.Tags].map((t) => t.Key), ['Team', 'a', 'b']);
    });

    it('tag operations on a missing user: NoSuchEntity', async () => {
      await assert.rejects(api.call('TagUser', { UserName: 'ghost', Tags: [{ Key: 'a', Value: 'b' }] }), awsError('NoSuchEntityException'));
      await assert.rejects(api.call('ListUserTags', { UserName: 'ghost' }), awsError('NoSuchEntityException'));
    });
  });

  async function boundaryUses(): Promise<number | undefined> {
    const policy = await api.store.get<ManagedPolicyRecord>(COLLECTIONS.policies, `${ACCOUNT}/boundary`);
    return policy?.permissionsBoundaryUsageCount;
  }
});

function managedPolicy(arn: string): ManagedPolicyRecord {
  return {
    accountId: ACCOUNT,
    policyName: 'Boundary',
    policyId: 'ANPAEXAMPLE',
    arn,
    path: '/',
    defaultVersionId: 'v1',
    nextVersion: 2,
    versions: [{ versionId: 'v1', document: '{}', createDate: '2024-01-01T00:00:00.000Z' }],
    attachmentCount: 0,
    permissionsBoundaryUsageCount: 0,
    createDate: '2024-01-01T00:00:00.000Z',
    updateDate: '2024-01-01T00:00:00.000Z',
    tags: [],
  };
}
