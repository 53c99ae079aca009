// The organization's resource-based delegation policy: Put/Describe/DeleteResourcePolicy,
// its validation, and what the access declarations hand the authorizer once it exists.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { organizationsAccess } from '../../../src/services/organizations/access.ts';
import type { Store } from '../../../src/store/index.ts';
import { call, contextFor, createMember, MANAGEMENT, OUTSIDER, rejects, storeWithOrganization } from './helpers.ts';

/** AWS's example: let a member account navigate the organization. */
function delegationPolicy(accountId: string, actions = ['organizations:ListAccounts', 'organizations:DescribeAccount'], resource: unknown = '*'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'DelegatingNecessaryDescribeListActions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: actions, Resource: resource }],
  });
}

describe('Organizations: resource-based delegation policy', () => {
  let store: Store;
  let memberId: string;
  let orgId: string;
  beforeEach(async () => {
    ({ store, orgId } = await storeWithOrganization());
    memberId = await createMember(store, 'delegate@example.com');
  });

  it('PutResourcePolicy creates the policy with an rp- id and its ARN; Describe returns it; a second Put replaces the content and keeps the id', async () => {
    const { ResourcePolicy } = await call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId) });
    const { Id, Arn } = ResourcePolicy.ResourcePolicySummary;
    assert.match(Id, /^rp-[0-9a-z]{8}$/);
    assert.equal(Arn, `arn:aws:organizations::${MANAGEMENT}:resourcepolicy/${orgId}/${Id}`);
    assert.equal(ResourcePolicy.Content, delegationPolicy(memberId));
    assert.deepEqual(await call(store, 'DescribeResourcePolicy'), { ResourcePolicy });
    const next = delegationPolicy(memberId, ['organizations:List*']);
    const replaced = await call(store, 'PutResourcePolicy', { Content: next });
    assert.equal(replaced.ResourcePolicy.ResourcePolicySummary.Id, Id);
    assert.equal(replaced.ResourcePolicy.Content, next);
  });

  it('no policy: DescribeResourcePolicy and DeleteResourcePolicy answer ResourcePolicyNotFoundException', async () => {
    await rejects(call(store, 'DescribeResourcePolicy'), 'ResourcePolicyNotFoundException');
    await rejects(call(store, 'DeleteResourcePolicy'), 'ResourcePolicyNotFoundException');
    await call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId) });
    await call(store, 'DeleteResourcePolicy');
    await rejects(call(store, 'DescribeResourcePolicy'), 'ResourcePolicyNotFoundException');
  });

  it('only the management account puts or deletes it; outside an organization: AWSOrganizationsNotInUseException', async () => {
    await rejects(call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId) }, memberId), 'AccessDeniedException');
    await rejects(call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId) }, OUTSIDER), 'AWSOrganizationsNotInUseException');
    await call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId) });
    await rejects(call(store, 'DeleteResourcePolicy', {}, memberId), 'AccessDeniedException');
  });

  it('validates the content: JSON and grammar, principal, Organizations actions and resources only', async () => {
    const put = (content: string) => call(store, 'PutResourcePolicy', { Content: content });
    await rejects(put('{not json'), 'InvalidInputException', 'INVALID_RESOURCE_POLICY_JSON');
    await rejects(put(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' }] })), 'InvalidInputException', 'INVALID_RESOURCE_POLICY_JSON');
    await rejects(put(delegationPolicy(memberId, ['s3:GetObject'])), 'InvalidInputException', 'UNSUPPORTED_ACTION_IN_RESOURCE_POLICY');
    await rejects(put(delegationPolicy(memberId, ['organizations:CreateAccount'])), 'InvalidInputException', 'UNSUPPORTED_ACTION_IN_RESOURCE_POLICY');
    await rejects(put(delegationPolicy(memberId, ['organizations:ListAccounts'], 'arn:aws:s3:::bucket')), 'InvalidInputException', 'UNSUPPORTED_RESOURCE_IN_RESOURCE_POLICY');
    const servicePrincipal = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'guardduty.amazonaws.com' }, Action: 'organizations:ListAccounts', Resource: '*' }],
    });
    await rejects(put(servicePrincipal), 'InvalidInputException', 'INVALID_PRINCIPAL');
    // Policy management and Organizations ARNs are fine.
    await put(delegationPolicy(memberId, ['organizations:CreatePolicy', 'organizations:AttachPolicy'], `arn:aws:organizations::${MANAGEMENT}:ou/${orgId}/*`));
  });

  it('Tags apply only when the policy is created; afterwards TagResource, UntagResource and ListTagsForResource reach it by id', async () => {
    const { ResourcePolicy } = await call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId), Tags: [{ Key: 'team', Value: 'security' }] });
    await rejects(call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId), Tags: [{ Key: 'a', Value: 'b' }] }), 'InvalidInputException');
    const ResourceId = ResourcePolicy.ResourcePolicySummary.Id;
    await call(store, 'TagResource', { ResourceId, Tags: [{ Key: 'a', Value: 'b' }] });
    await call(store, 'UntagResource', { ResourceId, TagKeys: ['team'] });
    assert.deepEqual((await call(store, 'ListTagsForResource', { ResourceId })).Tags, [{ Key: 'a', Value: 'b' }]);
    const [requirement] = await organizationsAccess.TagResource!({ ResourceId, Tags: [] }, contextFor(store, MANAGEMENT));
    assert.equal(requirement?.resource, ResourcePolicy.ResourcePolicySummary.Arn);
  });

  it('with a delegation policy, a member\'s read-only calls carry it to the authorizer as the management account\'s resource policy', async () => {
    const { ResourcePolicy } = await call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId) });
    const [requirement] = await organizationsAccess.ListAccounts!({}, contextFor(store, memberId));
    assert.equal(requirement?.action, 'organizations:ListAccounts');
    assert.equal(requirement?.resourceAccount, MANAGEMENT);
    assert.deepEqual(requirement?.resourcePolicy, { id: ResourcePolicy.ResourcePolicySummary.Arn, document: delegationPolicy(memberId) });
    // The management account's own calls, and writes, do not go through it.
    const [own] = await organizationsAccess.ListAccounts!({}, contextFor(store, MANAGEMENT));
    assert.equal(own?.resourcePolicy, undefined);
    const rootId = (await call(store, 'ListRoots')).Roots[0].Id;
    const [write] = await organizationsAccess.CreateOrganizationalUnit!({ ParentId: rootId, Name: 'x' }, contextFor(store, memberId));
    assert.equal(write?.resourcePolicy, undefined);
    // DescribeEffectivePolicy of the member's own account needs no delegation; another account's does.
    const [self] = await organizationsAccess.DescribeEffectivePolicy!({ PolicyType: 'TAG_POLICY' }, contextFor(store, memberId));
    assert.equal(self?.resourcePolicy, undefined);
    assert.equal(self?.resourceAccount, memberId);
    const [other] = await organizationsAccess.DescribeEffectivePolicy!({ PolicyType: 'TAG_POLICY', TargetId: MANAGEMENT }, contextFor(store, memberId));
    assert.equal(other?.resourceAccount, MANAGEMENT);
    // The handler lets the member read once the authorizer has allowed it.
    assert.equal((await call(store, 'ListAccounts', {}, memberId)).Accounts.length, 2);
  });

  it('policy management: a member creates and attaches policies once a delegation policy exists; before it, AccessDeniedException', async () => {
    const rootId = (await call(store, 'ListRoots')).Roots[0].Id;
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'TAG_POLICY' });
    const create = { Name: 'cc', Description: '', Type: 'TAG_POLICY', Content: '{"tags":{}}' };
    await rejects(call(store, 'CreatePolicy', create, memberId), 'AccessDeniedException');
    await call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId, ['organizations:CreatePolicy', 'organizations:AttachPolicy']) });
    const [requirement] = await organizationsAccess.CreatePolicy!(create, contextFor(store, memberId));
    assert.equal(requirement?.resourceAccount, MANAGEMENT);
    assert.equal(requirement?.context?.['organizations:PolicyType'], 'TAG_POLICY');
    assert.ok(requirement?.resourcePolicy);
    const { Policy } = await call(store, 'CreatePolicy', create, memberId);
    await call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: rootId }, memberId);
    const attach = await organizationsAccess.AttachPolicy!({ PolicyId: Policy.PolicySummary.Id, TargetId: rootId }, contextFor(store, memberId));
    assert.deepEqual(
      attach.map((r) => r.context?.['organizations:PolicyType']),
      ['TAG_POLICY', 'TAG_POLICY'],
    );
    // Structure stays the management account's.
    await rejects(call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'x' }, memberId), 'AccessDeniedException');
  });

  it('a delegated administrator reads on its own permissions, not through the delegation policy', async () => {
    await call(store, 'EnableAWSServiceAccess', { ServicePrincipal: 'guardduty.amazonaws.com' });
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: memberId, ServicePrincipal: 'guardduty.amazonaws.com' });
    await call(store, 'PutResourcePolicy', { Content: delegationPolicy(memberId) });
    const [requirement] = await organizationsAccess.ListAccounts!({}, contextFor(store, memberId));
    assert.equal(requirement?.resourcePolicy, undefined);
    assert.equal(requirement?.resourceAccount, memberId);
    assert.equal((await call(store, 'DescribeResourcePolicy', {}, memberId)).ResourcePolicy.Content, delegationPolicy(memberId));
  });
});
