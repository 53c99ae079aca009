// Instance profiles and account aliases, at the handler level.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { COLLECTIONS } from '../../../src/services/iam/records.ts';
import { ACCOUNT, awsError, EC2_TRUST, iam, OTHER_ACCOUNT, rootOf, type Iam } from './identities-context.ts';

describe('IAM instance profiles', () => {
  let api: Iam;
  beforeEach(async () => {
    api = await iam();
  });

  it('CreateInstanceProfile issues an AIPA id, an ARN with the path, no roles and its tags', async () => {
    const { InstanceProfile } = await api.call('CreateInstanceProfile', {
      InstanceProfileName: 'web',
      Path: '/apps/',
      Tags: [{ Key: 'tier', Value: 'front' }],
    });
    assert.match(InstanceProfile.InstanceProfileId, /^AIPA[A-Z2-7]{17}$/);
    assert.equal(InstanceProfile.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/apps/web`);
    assert.deepEqual(InstanceProfile.Roles, []);
    assert.deepEqual(InstanceProfile.Tags, [{ Key: 'tier', Value: 'front' }]);
  });

  it('rejects a duplicate name in any case: EntityAlreadyExists', async () => {
    await api.call('CreateInstanceProfile', { InstanceProfileName: 'web' });
    await assert.rejects(
      api.call('CreateInstanceProfile', { InstanceProfileName: 'WEB' }),
      awsError('EntityAlreadyExistsException', 'Instance Profile WEB already exists.'),
    );
  });

  it('stops at the InstanceProfilesPerAccount quota of 1000: LimitExceeded', async () => {
    for (let i = 0; i < 1000; i++) await api.store.put(COLLECTIONS.instanceProfiles, `${ACCOUNT}/p${i}`, {});
    await assert.rejects(
      api.call('CreateInstanceProfile', { InstanceProfileName: 'web' }),
      awsError('LimitExceededException', 'Cannot exceed quota for InstanceProfilesPerAccount: 1000'),
    );
  });

  it('GetInstanceProfile of a missing profile: NoSuchEntity', async () => {
    await assert.rejects(
      api.call('GetInstanceProfile', { InstanceProfileName: 'nope' }),
      awsError('NoSuchEntityException', 'Instance Profile nope cannot be found.'),
    );
  });

  it('holds one role at most: a second AddRoleToInstanceProfile is LimitExceeded', async () => {
    await api.call('CreateInstanceProfile', { InstanceProfileName: 'web' });
    await api.call('CreateRole', { RoleName: 'a', AssumeRolePolicyDocument: EC2_TRUST });
    await api.call('CreateRole', { RoleName: 'b', AssumeRolePolicyDocument: EC2_TRUST });
    await api.call('AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'a' });
    await assert.rejects(
      api.call('AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'b' }),
      awsError('LimitExceededException', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1'),
    );
    const { InstanceProfile } = await api.call('GetInstanceProfile', { InstanceProfileName: 'web' });
    assert.deepEqual(InstanceProfile.Roles.map((r) => r.RoleName), ['a']);
    assert.equal(decodeURIComponent(InstanceProfile.Roles[0]!.AssumeRolePolicyDocument!), EC2_TRUST);
  });

  it('AddRoleToInstanceProfile with a missing role: NoSuchEntity', async () => {
    await api.call('CreateInstanceProfile', { InstanceProfileName: 'web' });
    await assert.rejects(
      api.call('AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'ghost' }),
      awsError('NoSuchEntityException', 'The role with name ghost cannot be found.'),
    );
  });

  it('DeleteInstanceProfile refuses while it holds a role: DeleteConflict; works once removed', async () => {
    await api.call('CreateInstanceProfile', { InstanceProfileName: 'web' });
    await api.call('CreateRole', { RoleName: 'a', AssumeRolePolicyDocument: EC2_TRUST });
    await api.call('AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'a' });
    await assert.rejects(
      api.call('DeleteInstanceProfile', { InstanceProfileName: 'web' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.'),
    );
    await api.call('RemoveRoleFromInstanceProfile', { InstanceProfileName: 'web', RoleName: 'a' });
    await assert.rejects(
      api.call('RemoveRoleFromInstanceProfile', { InstanceProfileName: 'web', RoleName: 'a' }),
      awsError('NoSuchEntityException'),
    );
    await api.call('DeleteInstanceProfile', { InstanceProfileName: 'web' });
    await api.call('DeleteRole', { RoleName: 'a' });
  });

  it('ListInstanceProfiles pages, filters by path and leaves out tags', async () => {
    for (const [name, path] of [['c', '/x/'], ['a', '/'], ['b', '/x/']] as const) {
      await api.call('CreateInstanceProfile', { InstanceProfileName: name, Path: path, Tags: [{ Key: 'k', Value: 'v' }] });
    }
    const first = await api.call('ListInstanceProfiles', { MaxItems: 2 });
    const second = await api.call('ListInstanceProfiles', { MaxItems: 2, Marker: first.Marker });
    assert.equal(first.IsTruncated, true);
    assert.equal(second.IsTruncated, false);
    assert.deepEqual([...first.InstanceProfiles, ...second.InstanceProfiles].map((p) => p.InstanceProfileName), ['a', 'b', 'c']);
    assert.ok(first.InstanceProfiles.every((p) => p.Tags === undefined));
    const x = await api.call('ListInstanceProfiles', { PathPrefix: '/x/' });
    assert.deepEqual(x.InstanceProfiles.map((p) => p.InstanceProfileName), ['b', 'c']);
  });

  it('ListInstanceProfilesForRole lists the profiles holding the role', async () => {
    await api.call('CreateRole', { RoleName: 'a', AssumeRolePolicyDocument: EC2_TRUST });
    for (const name of ['p1', 'p2', 'p3']) await api.call('CreateInstanceProfile', { InstanceProfileName: name });
    await api.call('AddRoleToInstanceProfile', { InstanceProfileName: 'p3', RoleName: 'a' });
    await api.call('AddRoleToInstanceProfile', { InstanceProfileName: 'p1', RoleName: 'A' });
    const first = await api.call('ListInstanceProfilesForRole', { RoleName: 'a', MaxItems: 1 });
    assert.equal(first.IsTruncated, true);
    const second = await api.call('ListInstanceProfilesForRole', { RoleName: 'a', MaxItems: 1, Marker: first.Marker });
    assert.deepEqual([...first.InstanceProfiles, ...second.InstanceProfiles].map((p) => p.InstanceProfileName), ['p1', 'p3']);
    assert.equal(second.IsTruncated, false);
    await assert.rejects(api.call('ListInstanceProfilesForRole', { RoleName: 'ghost' }), awsError('NoSuchEntityException'));
  });

  it('TagInstanceProfile, UntagInstanceProfile and ListInstanceProfileTags', async () => {
    await api.call('CreateInstanceProfile', { InstanceProfileName: 'web' });
    await api.call('TagInstanceProfile', { InstanceProfileName: 'web', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    await api.call('UntagInstanceProfile', { InstanceProfileName: 'web', TagKeys: ['A'] });
    assert.deepEqual((await api.call('ListInstanceProfileTags', { InstanceProfileName: 'web' })).Tags, [{ Key: 'b', Value: '2' }]);
    await assert.rejects(
      api.call('TagInstanceProfile', { InstanceProfileName: 'web', Tags: [{ Key: 'x', Value: '' }, { Key: 'X', Value: '' }] }),
      awsError('InvalidInputException'),
    );
  });
});

describe('IAM account aliases', () => {
  let api: Iam;
  beforeEach(async () => {
    api = await iam();
  });

  it('an account starts without an alias', async () => {
    assert.deepEqual(await api.call('ListAccountAliases', {}), { AccountAliases: [], IsTruncated: false });
  });

  it('CreateAccountAlias sets the alias; a second one replaces it (one per account)', async () => {
    await api.call('CreateAccountAlias', { AccountAlias: 'first-alias' });
    await api.call('CreateAccountAlias', { AccountAlias: 'second-alias' });
    assert.deepEqual((await api.call('ListAccountAliases', {})).AccountAliases, ['second-alias']);
    // The replaced alias is free for another account.
    await api.call('CreateAccountAlias', { AccountAlias: 'first-alias' }, rootOf(OTHER_ACCOUNT));
  });

  it('an alias is unique across accounts: EntityAlreadyExists', async () => {
    await api.call('CreateAccountAlias', { AccountAlias: 'taken' });
    await assert.rejects(
      api.call('CreateAccountAlias', { AccountAlias: 'taken' }, rootOf(OTHER_ACCOUNT)),
      awsError('EntityAlreadyExistsException', 'The account alias taken already exists.'),
    );
    await assert.rejects(api.call('CreateAccountAlias', { AccountAlias: 'taken' }), awsError('EntityAlreadyExistsException'));
  });

  it('DeleteAccountAlias removes the current alias; another name is NoSuchEntity', async () => {
    await api.call('CreateAccountAlias', { AccountAlias: 'mine' });
    await assert.rejects(
      api.call('DeleteAccountAlias', { AccountAlias: 'other' }),
      awsError('NoSuchEntityException', 'The account alias other cannot be found.'),
    );
    await api.call('DeleteAccountAlias', { AccountAlias: 'mine' });
    assert.deepEqual((await api.call('ListAccountAliases', {})).AccountAliases, []);
    await api.call('CreateAccountAlias', { AccountAlias: 'mine' }, rootOf(OTHER_ACCOUNT));
  });
});
