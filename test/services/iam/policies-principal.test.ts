// policiesForPrincipal (what authorization evaluates for a user or role) and
// ListPoliciesGrantingServiceAccess.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadManagedPolicies } from '../../../src/policy/managed-policies.ts';
import { policiesForPrincipal } from '../../../src/services/iam/policies.ts';
import { ACCOUNT, allow, awsError, EC2_TRUST, iam, READ_ONLY } from './policies-context.ts';

describe('policiesForPrincipal', () => {
  it("gathers a user's inline and attached policies and those of its groups, once each, with the boundary", async () => {
    const { call, store } = await iam();
    const shared = (await call('CreatePolicy', { PolicyName: 'Shared', PolicyDocument: allow('s3:GetObject') })).Policy!.Arn!;
    const ceiling = (await call('CreatePolicy', { PolicyName: 'Ceiling', PolicyDocument: allow('s3:*') })).Policy!.Arn!;
    await call('CreatePolicyVersion', { PolicyArn: shared, PolicyDocument: allow('s3:ListBucket'), SetAsDefault: true });
    await call('CreateUser', { UserName: 'bob', PermissionsBoundary: ceiling });
    await call('CreateGroup', { GroupName: 'devs' });
    await call('AddUserToGroup', { GroupName: 'devs', UserName: 'bob' });
    await call('PutUserPolicy', { UserName: 'bob', PolicyName: 'Own', PolicyDocument: allow('ec2:DescribeInstances') });
    await call('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'Team', PolicyDocument: allow('sqs:SendMessage') });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: shared });
    await call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: shared });
    await call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: READ_ONLY });

    const result = await policiesForPrincipal(store, ACCOUNT, 'user', 'BOB');
    const byId = new Map(result.identity.map((policy) => [policy.id, policy.document]));
    assert.deepEqual([...byId.keys()].sort(), [
      `arn:aws:iam::${ACCOUNT}:group/devs#Team`,
      `arn:aws:iam::${ACCOUNT}:user/bob#Own`,
      shared,
      READ_ONLY,
    ].sort());
    assert.equal(result.identity.length, 4);
    assert.equal(byId.get(shared), allow('s3:ListBucket')); // the default version
    assert.equal(byId.get(READ_ONLY), (await loadManagedPolicies()).getVersion(READ_ONLY)!.document);
    assert.deepEqual(result.boundary, { arn: ceiling, document: allow('s3:*') });
  });

  it("gathers a role's own policies only", async () => {
    const { call, store } = await iam();
    await call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
    await call('PutRolePolicy', { RoleName: 'app', PolicyName: 'Inline', PolicyDocument: allow('s3:GetObject') });
    await call('AttachRolePolicy', { RoleName: 'app', PolicyArn: READ_ONLY });
    const result = await policiesForPrincipal(store, ACCOUNT, 'role', 'app');
    assert.deepEqual(result.identity.map((policy) => policy.id), [`arn:aws:iam::${ACCOUNT}:role/app#Inline`, READ_ONLY]);
    assert.equal(result.boundary, undefined);
  });

  it('has nothing for an entity that does not exist', async () => {
    const { store } = await iam();
    assert.deepEqual(await policiesForPrincipal(store, ACCOUNT, 'user', 'ghost'), { identity: [] });
  });
});

describe('ListPoliciesGrantingServiceAccess', () => {
  it("lists, per service, the user's and its groups' policies that allow one of its actions", async () => {
    const { call } = await iam();
    const s3Reader = (await call('CreatePolicy', { PolicyName: 'S3Reader', PolicyDocument: allow('s3:Get*') })).Policy!.Arn!;
    await call('CreateUser', { UserName: 'bob' });
    await call('CreateGroup', { GroupName: 'devs' });
    await call('AddUserToGroup', { GroupName: 'devs', UserName: 'bob' });
    await call('AttachUserPolicy', { UserName: 'bob', PolicyArn: s3Reader });
    await call('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'Queues', PolicyDocument: allow('sqs:SendMessage') });
    const denyOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    await call('PutUserPolicy', { UserName: 'bob', PolicyName: 'DenyS3', PolicyDocument: denyOnly });
    const allButSqs = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'sqs:*', Resource: '*' }] });
    await call('PutUserPolicy', { UserName: 'bob', PolicyName: 'AllButSqs', PolicyDocument: allButSqs });

    const { PoliciesGrantingServiceAccess } = await call('ListPoliciesGrantingServiceAccess', {
      Arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
      ServiceNamespaces: ['s3', 'sqs', 'kms'],
    });
    const names = Object.fromEntries(PoliciesGrantingServiceAccess.map((entry) => [entry.ServiceNamespace, entry.Policies!.map((p) => p.PolicyName).sort()]));
    assert.deepEqual(names, { s3: ['AllButSqs', 'S3Reader'], sqs: ['Queues'], kms: ['AllButSqs'] });
    const s3 = PoliciesGrantingServiceAccess[0]!.Policies!;
    assert.deepEqual(s3.find((p) => p.PolicyName === 'S3Reader'), { PolicyName: 'S3Reader', PolicyType: 'MANAGED', PolicyArn: s3Reader });
    const sqs = PoliciesGrantingServiceAccess[1]!.Policies!;
    assert.deepEqual(sqs[0], { PolicyName: 'Queues', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' });
  });

  it("for a group lists only the group's own policies", async () => {
    const { call } = await iam();
    await call('CreateGroup', { GroupName: 'devs' });
    await call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: READ_ONLY });
    const { PoliciesGrantingServiceAccess } = await call('ListPoliciesGrantingServiceAccess', {
      Arn: `arn:aws:iam::${ACCOUNT}:group/devs`,
      ServiceNamespaces: ['ec2'],
    });
    assert.deepEqual(PoliciesGrantingServiceAccess[0]!.Policies!.map((p) => p.PolicyName), ['ReadOnlyAccess']);
  });

  it('answers InvalidInput for an ARN that is not a user, group or role, NoSuchEntity for a missing one', async () => {
    const { call } = await iam();
    await assert.rejects(call('ListPoliciesGrantingServiceAccess', { Arn: 'arn:aws:s3:::bucket', ServiceNamespaces: ['s3'] }), awsError('InvalidInput'));
    await assert.rejects(
      call('ListPoliciesGrantingServiceAccess', { Arn: `arn:aws:iam::${ACCOUNT}:role/ghost`, ServiceNamespaces: ['s3'] }),
      awsError('NoSuchEntity', 'The role with name ghost cannot be found.'),
    );
  });
});
