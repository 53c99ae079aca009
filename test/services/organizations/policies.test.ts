// Organization policies, their attachments and tags, and what organizationPolicies()
// gives the policy engine.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { compilePolicy, evaluate, type PolicySet } from '../../../src/policy/index.ts';
import { organizationPolicies, type LevelPolicy } from '../../../src/services/organizations/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { call, createMember, MANAGEMENT, OUTSIDER, rejects, storeWithOrganization } from './helpers.ts';

const DENY_S3 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
const SCP = 'SERVICE_CONTROL_POLICY';

describe('Organizations: policies', () => {
  let store: Store;
  let rootId: string;
  let ouId: string;
  let memberId: string;
  beforeEach(async () => {
    ({ store, rootId } = await storeWithOrganization());
    ouId = (await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'workloads' })).OrganizationalUnit.Id;
    memberId = await createMember(store, 'w@example.com');
    await call(store, 'MoveAccount', { AccountId: memberId, SourceParentId: rootId, DestinationParentId: ouId });
  });

  it('CreatePolicy validates SCP content: MalformedPolicyDocumentException; over 5,120 characters: POLICY_CONTENT_LIMIT_EXCEEDED', async () => {
    await rejects(call(store, 'CreatePolicy', { Name: 'bad', Description: '', Type: SCP, Content: '{not json' }), 'MalformedPolicyDocumentException');
    const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] });
    await rejects(call(store, 'CreatePolicy', { Name: 'bad', Description: '', Type: SCP, Content: withPrincipal }), 'MalformedPolicyDocumentException');
    const huge = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: Array.from({ length: 400 }, (_, i) => `s3:Action${i}`), Resource: '*' }] });
    assert.ok(huge.length > 5120);
    await rejects(call(store, 'CreatePolicy', { Name: 'huge', Description: '', Type: SCP, Content: huge }), 'ConstraintViolationException', 'POLICY_CONTENT_LIMIT_EXCEEDED');
  });

  it('CreatePolicy returns the policy with its ARN; a second with the same name and type: DuplicatePolicyException', async () => {
    const { Policy } = await call(store, 'CreatePolicy', { Name: 'no-s3', Description: 'd', Type: SCP, Content: DENY_S3 });
    const org = (await call(store, 'DescribeOrganization')).Organization;
    assert.match(Policy.PolicySummary.Id, /^p-[a-z0-9]{10}$/);
    assert.equal(Policy.PolicySummary.Arn, `arn:aws:organizations::${MANAGEMENT}:policy/${org.Id}/service_control_policy/${Policy.PolicySummary.Id}`);
    assert.equal(Policy.PolicySummary.AwsManaged, false);
    assert.equal(Policy.Content, DENY_S3);
    await rejects(call(store, 'CreatePolicy', { Name: 'no-s3', Description: 'd', Type: SCP, Content: DENY_S3 }), 'DuplicatePolicyException');
    const { Policy: updated } = await call(store, 'UpdatePolicy', { PolicyId: Policy.PolicySummary.Id, Name: 'renamed' });
    assert.equal(updated.PolicySummary.Name, 'renamed');
    assert.equal((await call(store, 'DescribePolicy', { PolicyId: Policy.PolicySummary.Id })).Policy.PolicySummary.Name, 'renamed');
  });

  it('AttachPolicy before the type is enabled: PolicyTypeNotEnabledException', async () => {
    const { Policy } = await call(store, 'CreatePolicy', { Name: 'no-s3', Description: '', Type: SCP, Content: DENY_S3 });
    await rejects(call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: ouId }), 'PolicyTypeNotEnabledException');
  });

  it('EnablePolicyType attaches FullAWSAccess to the root, every OU and every account; a second time: PolicyTypeAlreadyEnabledException', async () => {
    const { Root } = await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP });
    assert.deepEqual(Root.PolicyTypes, [{ Type: SCP, Status: 'ENABLED' }]);
    const { Targets } = await call(store, 'ListTargetsForPolicy', { PolicyId: 'p-FullAWSAccess' });
    assert.deepEqual(new Set(Targets.map((t: { TargetId: string }) => t.TargetId)), new Set([rootId, ouId, MANAGEMENT, memberId]));
    const { Policies } = await call(store, 'ListPoliciesForTarget', { TargetId: memberId, Filter: SCP });
    assert.equal(Policies[0].Arn, 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess');
    assert.equal(Policies[0].AwsManaged, true);
    await rejects(call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP }), 'PolicyTypeAlreadyEnabledException');
    await rejects(call(store, 'EnablePolicyType', { RootId: 'r-zzzz', PolicyType: SCP }), 'RootNotFoundException');
    // An OU made afterwards gets FullAWSAccess too.
    const { OrganizationalUnit } = await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'later' });
    assert.equal((await call(store, 'ListPoliciesForTarget', { TargetId: OrganizationalUnit.Id, Filter: SCP })).Policies.length, 1);
  });

  it('AttachPolicy twice: DuplicatePolicyAttachmentException; DetachPolicy of a target\'s last SCP: MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', async () => {
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP });
    const { Policy } = await call(store, 'CreatePolicy', { Name: 'no-s3', Description: '', Type: SCP, Content: DENY_S3 });
    const id = Policy.PolicySummary.Id;
    await call(store, 'AttachPolicy', { PolicyId: id, TargetId: ouId });
    await rejects(call(store, 'AttachPolicy', { PolicyId: id, TargetId: ouId }), 'DuplicatePolicyAttachmentException');
    await rejects(call(store, 'AttachPolicy', { PolicyId: id, TargetId: OUTSIDER }), 'TargetNotFoundException');
    await rejects(call(store, 'AttachPolicy', { PolicyId: 'p-0000000000', TargetId: ouId }), 'PolicyNotFoundException');
    await rejects(call(store, 'DeletePolicy', { PolicyId: id }), 'PolicyInUseException');
    await call(store, 'DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: ouId });
    await rejects(call(store, 'DetachPolicy', { PolicyId: id, TargetId: ouId }), 'ConstraintViolationException', 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
    await rejects(call(store, 'DetachPolicy', { PolicyId: id, TargetId: rootId }), 'PolicyNotAttachedException');
  });

  it('at most five SCPs on one target: MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', async () => {
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP });
    for (let i = 0; i < 4; i++) {
      const { Policy } = await call(store, 'CreatePolicy', { Name: `p${i}`, Description: '', Type: SCP, Content: DENY_S3 });
      await call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: memberId });
    }
    const { Policy } = await call(store, 'CreatePolicy', { Name: 'sixth', Description: '', Type: SCP, Content: DENY_S3 });
    await rejects(call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: memberId }), 'ConstraintViolationException', 'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
  });

  it('AWS managed policies cannot be changed or deleted: AccessDeniedException', async () => {
    await rejects(call(store, 'UpdatePolicy', { PolicyId: 'p-FullAWSAccess', Name: 'x' }), 'AccessDeniedException');
    await rejects(call(store, 'DeletePolicy', { PolicyId: 'p-FullAWSAccess' }), 'AccessDeniedException');
  });

  it('DisablePolicyType detaches every policy of the type; RESOURCE_CONTROL_POLICY attaches RCPFullAWSAccess, which cannot be detached', async () => {
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP });
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' });
    await rejects(call(store, 'DetachPolicy', { PolicyId: 'p-RCPFullAWSAccess', TargetId: ouId }), 'ConstraintViolationException');
    await call(store, 'DisablePolicyType', { RootId: rootId, PolicyType: SCP });
    assert.deepEqual((await call(store, 'ListTargetsForPolicy', { PolicyId: 'p-FullAWSAccess' })).Targets, []);
    assert.equal((await call(store, 'ListTargetsForPolicy', { PolicyId: 'p-RCPFullAWSAccess' })).Targets.length, 4);
    await rejects(call(store, 'DisablePolicyType', { RootId: rootId, PolicyType: SCP }), 'PolicyTypeNotEnabledException');
  });

  it('TagResource, ListTagsForResource and UntagResource on an OU, an account and a policy', async () => {
    const { Policy } = await call(store, 'CreatePolicy', { Name: 'no-s3', Description: '', Type: SCP, Content: DENY_S3, Tags: [{ Key: 'a', Value: '1' }] });
    for (const id of [ouId, memberId, Policy.PolicySummary.Id, rootId]) {
      await call(store, 'TagResource', { ResourceId: id, Tags: [{ Key: 'team', Value: 'x' }] });
      await call(store, 'TagResource', { ResourceId: id, Tags: [{ Key: 'team', Value: 'y' }] });
      const { Tags } = await call(store, 'ListTagsForResource', { ResourceId: id });
      assert.deepEqual(Tags.find((t: { Key: string }) => t.Key === 'team'), { Key: 'team', Value: 'y' });
      await call(store, 'UntagResource', { ResourceId: id, TagKeys: ['team'] });
      assert.equal((await call(store, 'ListTagsForResource', { ResourceId: id })).Tags.some((t: { Key: string }) => t.Key === 'team'), false);
    }
    await rejects(call(store, 'TagResource', { ResourceId: OUTSIDER, Tags: [] }), 'TargetNotFoundException');
  });

  describe('organizationPolicies() and the policy engine', () => {
    const compileLevels = (levels: LevelPolicy[][] | undefined) => levels?.map((level) => level.map((p) => compilePolicy(p.document, p.id)));

    async function decide(accountId: string, action: string): Promise<string> {
      const org = await organizationPolicies(store, accountId);
      assert.ok(org);
      const allowAll = compilePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'admin');
      const policies: PolicySet = {
        identity: [allowAll],
        ...(org.scps ? { scps: compileLevels(org.scps)! } : {}),
        principalInManagementAccount: org.managementAccount,
      };
      const principal = { type: 'user' as const, arn: `arn:aws:iam::${accountId}:user/alice`, accountId };
      return evaluate({ principal, action, resource: '*' }, policies).decision;
    }

    it('undefined for an account in no organization; no SCP levels until SCPs are enabled', async () => {
      assert.equal(await organizationPolicies(store, OUTSIDER), undefined);
      const org = await organizationPolicies(store, memberId);
      assert.ok(org);
      assert.equal(org.scps, undefined);
      assert.equal(org.managementAccount, false);
      assert.deepEqual(org.orgPaths, [`${org.orgId}/${rootId}/${ouId}/`]);
    });

    it('gives one level per root, OU and account, each with its attached SCPs', async () => {
      await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP });
      const { Policy } = await call(store, 'CreatePolicy', { Name: 'no-s3', Description: '', Type: SCP, Content: DENY_S3 });
      await call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: ouId });
      const org = await organizationPolicies(store, memberId);
      assert.deepEqual(
        org?.scps?.map((level) => level.map((p) => p.id)),
        [['p-FullAWSAccess'], ['p-FullAWSAccess', Policy.PolicySummary.Id], ['p-FullAWSAccess']],
      );
    });

    it("an SCP denying s3:* on an OU denies a member account's user, allows other actions, and spares the management account", async () => {
      await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP });
      assert.equal(await decide(memberId, 's3:GetObject'), 'Allow');
      const { Policy } = await call(store, 'CreatePolicy', { Name: 'no-s3', Description: '', Type: SCP, Content: DENY_S3 });
      await call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: ouId });
      assert.equal(await decide(memberId, 's3:GetObject'), 'ExplicitDeny');
      assert.equal(await decide(memberId, 'ec2:RunInstances'), 'Allow');
      // The management account sits under the same OU yet SCPs do not apply to it.
      await call(store, 'MoveAccount', { AccountId: MANAGEMENT, SourceParentId: rootId, DestinationParentId: ouId });
      assert.equal(await decide(MANAGEMENT, 's3:GetObject'), 'Allow');
    });

    it('without FullAWSAccess at a level, nothing is allowed below it (implicit deny)', async () => {
      await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: SCP });
      const allowEc2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] });
      const { Policy } = await call(store, 'CreatePolicy', { Name: 'ec2-only', Description: '', Type: SCP, Content: allowEc2 });
      await call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: ouId });
      await call(store, 'DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: ouId });
      assert.equal(await decide(memberId, 'ec2:RunInstances'), 'Allow');
      assert.equal(await decide(memberId, 's3:GetObject'), 'ImplicitDeny');
    });
  });
});
