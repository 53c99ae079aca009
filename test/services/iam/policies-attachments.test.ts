// Attach/Detach User/Group/Role Policy, ListAttached*Policies, ListEntitiesForPolicy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT, ADMIN, allow, awsError, EC2_TRUST, iam, OTHER_ACCOUNT, READ_ONLY } from './policies-context.ts';

const KINDS = [
  { kind: 'User', create: 'CreateUser', nameKey: 'UserName', quota: 'PoliciesPerUser' },
  { kind: 'Group', create: 'CreateGroup', nameKey: 'GroupName', quota: 'PoliciesPerGroup' },
  { kind: 'Role', create: 'CreateRole', nameKey: 'RoleName', quota: 'PoliciesPerRole' },
] as const;

describe('Attach*Policy and Detach*Policy', () => {
  for (const { kind, create, nameKey, quota } of KINDS) {
    it(`Attach${kind}Policy attaches customer and AWS managed policies; Detach${kind}Policy removes them`, async () => {
      const { call } = await iam();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const anyCall = call as (op: string, input: any) => Promise<any>;
      await anyCall(create, { [nameKey]: 'alpha', ...(kind === 'Role' ? { AssumeRolePolicyDocument: EC2_TRUST } : {}) });
      const { Policy } = await call('CreatePolicy', { PolicyName: 'Mine', PolicyDocument: allow('s3:GetObject') });
      await anyCall(`Attach${kind}Policy`, { [nameKey]: 'ALPHA', PolicyArn: Policy!.Arn! });
      await anyCall(`Attach${kind}Policy`, { [nameKey]: 'alpha', PolicyArn: READ_ONLY });
      await anyCall(`Attach${kind}Policy`, { [nameKey]: 'alpha', PolicyArn: READ_ONLY }); // again: no change
      const listed = await anyCall(`ListAttached${kind}Policies`, { [nameKey]: 'alpha' });
      assert.deepEqual(
        listed.AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName).sort(),
        ['Mine', 'ReadOnlyAccess'],
      );
      assert.equal((await call('GetPolicy', { PolicyArn: READ_ONLY })).Policy!.AttachmentCount, 1);
      assert.equal((await call('GetPolicy', { PolicyArn: Policy!.Arn! })).Policy!.AttachmentCount, 1);
      await anyCall(`Detach${kind}Policy`, { [nameKey]: 'alpha', PolicyArn: READ_ONLY });
      await assert.rejects(
        anyCall(`Detach${kind}Policy`, { [nameKey]: 'alpha', PolicyArn: READ_ONLY }),
        awsError('NoSuchEntity', `Policy ${READ_ONLY} was not found.`),
      );
      assert.equal((await call('GetPolicy', { PolicyArn: READ_ONLY })).Policy!.AttachmentCount, 0);
    });

    it(`Attach${kind}Policy allows 10 managed policies: LimitExceeded ${quota}`, async () => {
      const { call } = await iam();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const anyCall = call as (op: string, input: any) => Promise<any>;
      await anyCall(create, { [nameKey]: 'full', ...(kind === 'Role' ? { AssumeRolePolicyDocument: EC2_TRUST } : {}) });
      for (let i = 0; i < 11; i++) await call('CreatePolicy', { PolicyName: `p${i}`, PolicyDocument: allow('s3:GetObject') });
      for (let i = 0; i < 10; i++) await anyCall(`Attach${kind}Policy`, { [nameKey]: 'full', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p${i}` });
      await assert.rejects(
        anyCall(`Attach${kind}Policy`, { [nameKey]: 'full', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p10` }),
        awsError('LimitExceeded', `Cannot exceed quota for ${quota}: 10`),
      );
    });
  }

  it('refuses a policy that does not exist: NoSuchEntity "does not exist or is not attachable"', async () => {
    const { call } = await iam();
    await call('CreateUser', { UserName: 'bob' });
    for (const arn of [`arn:aws:iam::${ACCOUNT}:policy/Missing`, 'arn:aws:iam::aws:policy/NoSuchAwsPolicy', `arn:aws:iam::${OTHER_ACCOUNT}:policy/Theirs`]) {
      await assert.rejects(call('AttachUserPolicy', { UserName: 'bob', PolicyArn: arn }), awsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`));
    }
  });

  it('refuses a malformed policy ARN: InvalidInput', async () => {
    const { call } = await iam();
    await call('CreateUser', { UserName: 'bob' });
    await assert.rejects(call('AttachUserPolicy', { UserName: 'bob', PolicyArn: 'arn:aws:iam::123:policy' }), awsError('InvalidInput', 'ARN arn:aws:iam::123:policy is not valid.'));
  });

  it('refuses a service-linked-role policy on a role: PolicyNotAttachable', async () => {
    const { call } = await iam();
    await call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
    await assert.rejects(
      call('AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/APIGatewayServiceRolePolicy' }),
      awsError('PolicyNotAttachable', 'Cannot attach a Service Role Policy to a Customer Role.'),
    );
  });

  it('answers NoSuchEntity for a missing user, group or role', async () => {
    const { call } = await iam();
    await assert.rejects(call('AttachUserPolicy', { UserName: 'ghost', PolicyArn: READ_ONLY }), awsError('NoSuchEntity', 'The user with name ghost cannot be found.'));
    await assert.rejects(call('AttachGroupPolicy', { GroupName: 'ghost', PolicyArn: READ_ONLY }), awsError('NoSuchEntity', 'The group with name ghost cannot be found.'));
    await assert.rejects(call('ListAttachedRolePolicies', { RoleName: 'ghost' }), awsError('NoSuchEntity', 'The role with name ghost cannot be found.'));
  });

  it('counts attachments of an AWS managed policy per account', async () => {
    const { call } = await iam();
    await call('CreateUser', { UserName: 'bob' });
    await call('CreateUser', { UserName: 'bob' }, OTHER_ACCOUNT);
    await call('CreateGroup', { GroupName: 'devs' });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: ADMIN });
    await call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: ADMIN });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: ADMIN }, OTHER_ACCOUNT);
    assert.equal((await call('GetPolicy', { PolicyArn: ADMIN })).Policy!.AttachmentCount, 2);
    assert.equal((await call('GetPolicy', { PolicyArn: ADMIN }, OTHER_ACCOUNT)).Policy!.AttachmentCount, 1);
  });

  it('blocks DeleteUser while a policy is attached, and follows a renamed user', async () => {
    const { call } = await iam();
    await call('CreateUser', { UserName: 'bob' });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: READ_ONLY });
    await assert.rejects(call('DeleteUser', { UserName: 'bob' }), awsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.'));
    await call('UpdateUser', { UserName: 'bob', NewUserName: 'robert' });
    const listed = await call('ListAttachedUserPolicies', { UserName: 'robert' });
    assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY }]);
    const entities = await call('ListEntitiesForPolicy', { PolicyArn: READ_ONLY });
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['robert']);
    await call('DetachUserPolicy', { UserName: 'robert', PolicyArn: READ_ONLY });
    await call('DeleteUser', { UserName: 'robert' });
  });
});

describe('ListAttached*Policies', () => {
  it('filters by the policy path and pages with Marker', async () => {
    const { call } = await iam();
    await call('CreateUser', { UserName: 'bob' });
    for (const [name, path] of [['a', '/'], ['b', '/team/'], ['c', '/team/'], ['d', '/team/']] as const) {
      const { Policy } = await call('CreatePolicy', { PolicyName: name, Path: path, PolicyDocument: allow('s3:GetObject') });
      await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: Policy!.Arn! });
    }
    const team = await call('ListAttachedUserPolicies', { UserName: 'bob', PathPrefix: '/team/' });
    assert.deepEqual(team.AttachedPolicies!.map((p) => p.PolicyName), ['b', 'c', 'd']);
    const first = await call('ListAttachedUserPolicies', { UserName: 'bob', MaxItems: 3 });
    assert.equal(first.IsTruncated, true);
    const rest = await call('ListAttachedUserPolicies', { UserName: 'bob', MaxItems: 3, Marker: first.Marker! });
    assert.equal(rest.IsTruncated, false);
    assert.deepEqual([...first.AttachedPolicies!, ...rest.AttachedPolicies!].map((p) => p.PolicyName).sort(), ['a', 'b', 'c', 'd']);
  });
});

describe('ListEntitiesForPolicy', () => {
  it('lists groups, users and roles, filtered by EntityFilter, PathPrefix and PolicyUsageFilter', async () => {
    const { call } = await iam();
    const { Policy } = await call('CreatePolicy', { PolicyName: 'Shared', PolicyDocument: allow('s3:GetObject') });
    const arn = Policy!.Arn!;
    await call('CreateUser', { UserName: 'alice', Path: '/eng/' });
    await call('CreateUser', { UserName: 'bob' });
    await call('CreateGroup', { GroupName: 'devs' });
    await call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST, PermissionsBoundary: arn });
    await call('AttachUserPolicy', { UserName: 'alice', PolicyArn: arn });
    await call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
    await call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: arn });

    const everything = await call('ListEntitiesForPolicy', { PolicyArn: arn });
    assert.deepEqual(everything.PolicyGroups!.map((g) => g.GroupName), ['devs']);
    assert.deepEqual(everything.PolicyUsers!.map((u) => u.UserName), ['alice', 'bob']);
    assert.deepEqual(everything.PolicyRoles!.map((r) => r.RoleName), ['app']);
    assert.match(everything.PolicyUsers![0]!.UserId!, /^AIDA/);

    const attachedOnly = await call('ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsPolicy' });
    assert.deepEqual(attachedOnly.PolicyUsers!.map((u) => u.UserName), ['alice']);
    assert.deepEqual(attachedOnly.PolicyRoles, []);
    const boundaries = await call('ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' });
    assert.deepEqual(boundaries.PolicyUsers!.map((u) => u.UserName), ['bob']);
    assert.deepEqual(boundaries.PolicyRoles!.map((r) => r.RoleName), ['app']);
    const roles = await call('ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'Role' });
    assert.deepEqual([roles.PolicyGroups, roles.PolicyUsers, roles.PolicyRoles!.length], [[], [], 1]);
    const eng = await call('ListEntitiesForPolicy', { PolicyArn: arn, PathPrefix: '/eng/' });
    assert.deepEqual(eng.PolicyUsers!.map((u) => u.UserName), ['alice']);
    assert.deepEqual(eng.PolicyGroups, []);

    const first = await call('ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: 2 });
    assert.equal(first.IsTruncated, true);
    const rest = await call('ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: 2, Marker: first.Marker! });
    assert.equal(rest.IsTruncated, false);
    assert.deepEqual([...first.PolicyUsers!, ...rest.PolicyUsers!].map((u) => u.UserName), ['alice', 'bob']);
  });

  it('answers NoSuchEntity for a missing policy', async () => {
    const { call } = await iam();
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
    await assert.rejects(call('ListEntitiesForPolicy', { PolicyArn: arn }), awsError('NoSuchEntity', `Policy ${arn} was not found.`));
  });
});
