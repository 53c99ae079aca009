// IAM groups and membership, at the handler level.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { attachmentKey, COLLECTIONS, inlinePolicyKey } from '../../../src/services/iam/records.ts';
import { ACCOUNT, awsError, iam, type Iam } from './identities-context.ts';

describe('IAM groups', () => {
  let api: Iam;
  beforeEach(async () => {
    api = await iam();
  });

  it('CreateGroup issues an AGPA id and an ARN with the path', async () => {
    const { Group } = await api.call('CreateGroup', { GroupName: 'Admins', Path: '/org/' });
    assert.match(Group.GroupId, /^AGPA[A-Z2-7]{17}$/);
    assert.equal(Group.Arn, `arn:aws:iam::${ACCOUNT}:group/org/Admins`);
    assert.equal(Group.Path, '/org/');
  });

  it('CreateGroup rejects a name that differs only in case: EntityAlreadyExists', async () => {
    await api.call('CreateGroup', { GroupName: 'admins' });
    await assert.rejects(
      api.call('CreateGroup', { GroupName: 'Admins' }),
      awsError('EntityAlreadyExistsException', 'Group with name Admins already exists.'),
    );
  });

  it('CreateGroup stops at the GroupsPerAccount quota of 300: LimitExceeded', async () => {
    for (let i = 0; i < 300; i++) await api.call('CreateGroup', { GroupName: `g${i}` });
    await assert.rejects(
      api.call('CreateGroup', { GroupName: 'extra' }),
      awsError('LimitExceededException', 'Cannot exceed quota for GroupsPerAccount: 300'),
    );
  });

  it('GetGroup of a missing group: NoSuchEntity', async () => {
    await assert.rejects(api.call('GetGroup', { GroupName: 'nope' }), awsError('NoSuchEntityException', 'The group with name nope cannot be found.'));
  });

  it('GetGroup lists the members in name order over more than one page', async () => {
    await api.call('CreateGroup', { GroupName: 'devs' });
    for (const name of ['dora', 'ann', 'Cid', 'bo', 'eve']) {
      await api.call('CreateUser', { UserName: name });
      await api.call('AddUserToGroup', { GroupName: 'devs', UserName: name });
    }
    const first = await api.call('GetGroup', { GroupName: 'devs', MaxItems: 3 });
    assert.equal(first.Group.GroupName, 'devs');
    assert.equal(first.IsTruncated, true);
    const second = await api.call('GetGroup', { GroupName: 'devs', MaxItems: 3, Marker: first.Marker });
    assert.equal(second.IsTruncated, false);
    assert.deepEqual([...first.Users, ...second.Users].map((u) => u.UserName), ['ann', 'bo', 'Cid', 'dora', 'eve']);
  });

  it('AddUserToGroup twice is not an error and keeps one membership', async () => {
    await api.call('CreateGroup', { GroupName: 'devs' });
    await api.call('CreateUser', { UserName: 'ann' });
    await api.call('AddUserToGroup', { GroupName: 'devs', UserName: 'ann' });
    await api.call('AddUserToGroup', { GroupName: 'DEVS', UserName: 'ANN' });
    const { Users } = await api.call('GetGroup', { GroupName: 'devs' });
    assert.deepEqual(Users.map((u) => u.UserName), ['ann']);
  });

  it('AddUserToGroup with a missing user or group: NoSuchEntity', async () => {
    await api.call('CreateGroup', { GroupName: 'devs' });
    await assert.rejects(
      api.call('AddUserToGroup', { GroupName: 'devs', UserName: 'ghost' }),
      awsError('NoSuchEntityException', 'The user with name ghost cannot be found.'),
    );
    await api.call('CreateUser', { UserName: 'ann' });
    await assert.rejects(
      api.call('AddUserToGroup', { GroupName: 'nogroup', UserName: 'ann' }),
      awsError('NoSuchEntityException', 'The group with name nogroup cannot be found.'),
    );
  });

  it('AddUserToGroup stops at 10 groups per user: LimitExceeded', async () => {
    await api.call('CreateUser', { UserName: 'ann' });
    for (let i = 0; i < 11; i++) await api.call('CreateGroup', { GroupName: `g${i}` });
    for (let i = 0; i < 10; i++) await api.call('AddUserToGroup', { GroupName: `g${i}`, UserName: 'ann' });
    await assert.rejects(
      api.call('AddUserToGroup', { GroupName: 'g10', UserName: 'ann' }),
      awsError('LimitExceededException', 'Cannot exceed quota for GroupsPerUser: 10'),
    );
  });

  it('RemoveUserFromGroup removes the membership both ways; a non-member is NoSuchEntity', async () => {
    await api.call('CreateGroup', { GroupName: 'devs' });
    await api.call('CreateUser', { UserName: 'ann' });
    await api.call('AddUserToGroup', { GroupName: 'devs', UserName: 'ann' });
    await api.call('RemoveUserFromGroup', { GroupName: 'devs', UserName: 'ann' });
    assert.deepEqual((await api.call('GetGroup', { GroupName: 'devs' })).Users, []);
    assert.deepEqual((await api.call('ListGroupsForUser', { UserName: 'ann' })).Groups, []);
    await assert.rejects(api.call('RemoveUserFromGroup', { GroupName: 'devs', UserName: 'ann' }), awsError('NoSuchEntityException'));
  });

  it('ListGroupsForUser pages through the groups in name order', async () => {
    await api.call('CreateUser', { UserName: 'ann' });
    for (const name of ['ops', 'Dev', 'qa']) {
      await api.call('CreateGroup', { GroupName: name });
      await api.call('AddUserToGroup', { GroupName: name, UserName: 'ann' });
    }
    const first = await api.call('ListGroupsForUser', { UserName: 'ann', MaxItems: 2 });
    const second = await api.call('ListGroupsForUser', { UserName: 'ann', MaxItems: 2, Marker: first.Marker });
    assert.equal(first.IsTruncated, true);
    assert.deepEqual([...first.Groups, ...second.Groups].map((g) => g.GroupName), ['Dev', 'ops', 'qa']);
  });

  it('ListGroups filters by PathPrefix and pages', async () => {
    await api.call('CreateGroup', { GroupName: 'a', Path: '/x/' });
    await api.call('CreateGroup', { GroupName: 'b', Path: '/y/' });
    await api.call('CreateGroup', { GroupName: 'c', Path: '/x/' });
    const x = await api.call('ListGroups', { PathPrefix: '/x/' });
    assert.deepEqual(x.Groups.map((g) => g.GroupName), ['a', 'c']);
    const page = await api.call('ListGroups', { MaxItems: 1 });
    assert.equal(page.IsTruncated, true);
    assert.deepEqual(page.Groups.map((g) => g.GroupName), ['a']);
  });

  it('UpdateGroup renames the group, keeps its id and moves its members and policies', async () => {
    const { Group } = await api.call('CreateGroup', { GroupName: 'devs' });
    await api.call('CreateUser', { UserName: 'ann' });
    await api.call('AddUserToGroup', { GroupName: 'devs', UserName: 'ann' });
    await api.store.put(COLLECTIONS.inlinePolicies, inlinePolicyKey(ACCOUNT, 'group', 'devs', 'p'), {
      kind: 'group',
      entityName: 'devs',
      policyName: 'p',
      document: '{}',
    });
    await api.call('UpdateGroup', { GroupName: 'devs', NewGroupName: 'engineers', NewPath: '/eng/' });
    const renamed = await api.call('GetGroup', { GroupName: 'engineers' });
    assert.equal(renamed.Group.GroupId, Group.GroupId);
    assert.equal(renamed.Group.Arn, `arn:aws:iam::${ACCOUNT}:group/eng/engineers`);
    assert.deepEqual(renamed.Users.map((u) => u.UserName), ['ann']);
    assert.deepEqual((await api.call('ListGroupsForUser', { UserName: 'ann' })).Groups.map((g) => g.GroupName), ['engineers']);
    assert.ok(await api.store.get(COLLECTIONS.inlinePolicies, inlinePolicyKey(ACCOUNT, 'group', 'engineers', 'p')));
    await assert.rejects(api.call('GetGroup', { GroupName: 'devs' }), awsError('NoSuchEntityException'));
  });

  it('UpdateGroup onto an existing name: EntityAlreadyExists', async () => {
    await api.call('CreateGroup', { GroupName: 'a' });
    await api.call('CreateGroup', { GroupName: 'b' });
    await assert.rejects(api.call('UpdateGroup', { GroupName: 'a', NewGroupName: 'B' }), awsError('EntityAlreadyExistsException'));
  });

  it('DeleteGroup refuses while the group has members, inline or attached policies: DeleteConflict', async () => {
    await api.call('CreateGroup', { GroupName: 'devs' });
    await api.call('CreateUser', { UserName: 'ann' });
    await api.call('AddUserToGroup', { GroupName: 'devs', UserName: 'ann' });
    await assert.rejects(
      api.call('DeleteGroup', { GroupName: 'devs' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must remove users from group first.'),
    );
    await api.call('RemoveUserFromGroup', { GroupName: 'devs', UserName: 'ann' });

    const inline = inlinePolicyKey(ACCOUNT, 'group', 'devs', 'p');
    await api.store.put(COLLECTIONS.inlinePolicies, inline, { kind: 'group', entityName: 'devs', policyName: 'p', document: '{}' });
    await assert.rejects(
      api.call('DeleteGroup', { GroupName: 'devs' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must delete policies first.'),
    );
    await api.store.delete(COLLECTIONS.inlinePolicies, inline);

    const policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const attached = attachmentKey(ACCOUNT, policyArn, 'group', 'devs');
    await api.store.put(COLLECTIONS.attachments, attached, { policyArn, kind: 'group', name: 'devs', entityId: 'x' });
    await assert.rejects(
      api.call('DeleteGroup', { GroupName: 'devs' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must detach all policies first.'),
    );
    await api.store.delete(COLLECTIONS.attachments, attached);

    await api.call('DeleteGroup', { GroupName: 'devs' });
    await assert.rejects(api.call('GetGroup', { GroupName: 'devs' }), awsError('NoSuchEntityException'));
  });
});
