// DescribeEffectivePolicy and the effective-policy validation listings on a real tree:
// tag policies attached to the root, an OU and an account merge into each account's
// effective policy.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Store } from '../../../src/store/index.ts';
import { call, createMember, MANAGEMENT, OUTSIDER, rejects, storeWithOrganization } from './helpers.ts';

const TAG = 'TAG_POLICY';

const ROOT_POLICY = { tags: { costcenter: { tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['Development', 'Support'] } } } };
const OU_POLICY = { tags: { costcenter: { tag_value: { '@@append': ['Marketing'] }, enforced_for: { '@@append': ['redshift:*'] } } } };

describe('Organizations: effective policies', () => {
  let store: Store;
  let rootId: string;
  let ouId: string;
  let memberId: string;
  let otherId: string;

  async function attach(name: string, content: object, targetId: string, type = TAG): Promise<string> {
    const { Policy } = await call(store, 'CreatePolicy', { Name: name, Description: '', Type: type, Content: JSON.stringify(content) });
    await call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: targetId });
    return Policy.PolicySummary.Id;
  }

  const effective = async (targetId?: string, caller = MANAGEMENT, type = TAG) =>
    JSON.parse((await call(store, 'DescribeEffectivePolicy', { PolicyType: type, ...(targetId ? { TargetId: targetId } : {}) }, caller)).EffectivePolicy.PolicyContent);

  beforeEach(async () => {
    ({ store, rootId } = await storeWithOrganization());
    ouId = (await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'marketing' })).OrganizationalUnit.Id;
    memberId = await createMember(store, 'm@example.com');
    otherId = await createMember(store, 'o@example.com');
    await call(store, 'MoveAccount', { AccountId: memberId, SourceParentId: rootId, DestinationParentId: ouId });
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: TAG });
  });

  it('merges the root, OU and account policies into the account\'s effective tag policy', async () => {
    await attach('root', ROOT_POLICY, rootId);
    await attach('ou', OU_POLICY, ouId);
    await attach('account', { tags: { costcenter: { tag_value: { '@@remove': ['Development'] } } } }, memberId);
    const { EffectivePolicy } = await call(store, 'DescribeEffectivePolicy', { PolicyType: TAG, TargetId: memberId });
    assert.equal(EffectivePolicy.TargetId, memberId);
    assert.equal(EffectivePolicy.PolicyType, TAG);
    assert.deepEqual(JSON.parse(EffectivePolicy.PolicyContent), {
      tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Support', 'Marketing'], enforced_for: ['redshift:*'] } },
    });
    // An account outside the OU sees only the root's policy.
    assert.deepEqual(await effective(otherId), { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Development', 'Support'] } } });
  });

  it('a member reads its own effective policy (TargetId omitted or its own id); another account\'s: AccessDeniedException', async () => {
    await attach('root', ROOT_POLICY, rootId);
    assert.deepEqual(await effective(undefined, memberId), await effective(memberId));
    assert.deepEqual(await effective(memberId, memberId), await effective(memberId));
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: TAG, TargetId: otherId }, memberId), 'AccessDeniedException');
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: TAG }, OUTSIDER), 'AWSOrganizationsNotInUseException');
  });

  it('a root or OU as target: InvalidInputException TARGET_NOT_SUPPORTED; an unknown account: TargetNotFoundException', async () => {
    await attach('root', ROOT_POLICY, rootId);
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: TAG, TargetId: rootId }), 'InvalidInputException', 'TARGET_NOT_SUPPORTED');
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: TAG, TargetId: ouId }), 'InvalidInputException', 'TARGET_NOT_SUPPORTED');
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: TAG, TargetId: OUTSIDER }), 'TargetNotFoundException');
  });

  it('a type that is not enabled, or no policy of the type on the way down: EffectivePolicyNotFoundException', async () => {
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: TAG, TargetId: memberId }), 'EffectivePolicyNotFoundException');
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: 'BACKUP_POLICY', TargetId: memberId }), 'EffectivePolicyNotFoundException');
    await attach('ou', OU_POLICY, ouId);
    await rejects(call(store, 'DescribeEffectivePolicy', { PolicyType: TAG, TargetId: otherId }), 'EffectivePolicyNotFoundException');
    assert.ok(await effective(memberId));
  });

  it('other management policy types merge the same way: an AI services opt-out policy', async () => {
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'AISERVICES_OPT_OUT_POLICY' });
    const optOut = {
      services: { default: { opt_out_policy: { '@@operators_allowed_for_child_policies': ['@@none'], '@@assign': 'optOut' } } },
    };
    await attach('opt-out', optOut, rootId, 'AISERVICES_OPT_OUT_POLICY');
    await attach('opt-in', { services: { default: { opt_out_policy: { '@@assign': 'optIn' } } } }, memberId, 'AISERVICES_OPT_OUT_POLICY');
    assert.deepEqual(await effective(memberId, MANAGEMENT, 'AISERVICES_OPT_OUT_POLICY'), { services: { default: { opt_out_policy: 'optOut' } } });
  });

  it('CreatePolicy and UpdatePolicy refuse a management policy that misuses the operators: MalformedPolicyDocumentException', async () => {
    const create = (content: object) => call(store, 'CreatePolicy', { Name: 'bad', Description: '', Type: TAG, Content: JSON.stringify(content) });
    await rejects(create({ tags: { cc: { tag_key: 'CostCenter' } } }), 'MalformedPolicyDocumentException');
    await rejects(create({ tags: { cc: { tag_value: { '@@append': 'Support' } } } }), 'MalformedPolicyDocumentException');
    await rejects(create({ tags: { cc: { tag_key: { '@@replace': 'CostCenter' } } } }), 'MalformedPolicyDocumentException');
    await rejects(create({ tags: { cc: { tag_key: { '@@operators_allowed_for_child_policies': ['@@some'], '@@assign': 'CC' } } } }), 'MalformedPolicyDocumentException');
    const { Policy } = await call(store, 'CreatePolicy', { Name: 'good', Description: '', Type: TAG, Content: JSON.stringify(ROOT_POLICY) });
    await rejects(
      call(store, 'UpdatePolicy', { PolicyId: Policy.PolicySummary.Id, Content: JSON.stringify({ tags: { cc: { tag_key: ['x'] } } }) }),
      'MalformedPolicyDocumentException',
    );
  });

  it('an operator a parent forbids is ignored, reported by ListEffectivePolicyValidationErrors and ListAccountsWithInvalidEffectivePolicy', async () => {
    const locked = { tags: { costcenter: { tag_key: { '@@operators_allowed_for_child_policies': ['@@none'], '@@assign': 'CostCenter' } } } };
    await attach('locked', locked, rootId);
    const childId = await attach('child', { tags: { costcenter: { tag_key: { '@@assign': 'COSTCENTER' } } } }, ouId);
    assert.deepEqual(await effective(memberId), { tags: { costcenter: { tag_key: 'CostCenter' } } });

    const errors = await call(store, 'ListEffectivePolicyValidationErrors', { AccountId: memberId, PolicyType: TAG });
    assert.equal(errors.AccountId, memberId);
    const org = (await call(store, 'DescribeOrganization')).Organization;
    assert.equal(errors.Path, `${org.Id}/${rootId}/${ouId}/${memberId}/`);
    assert.ok(errors.EvaluationTimestamp instanceof Date);
    assert.deepEqual(errors.EffectivePolicyValidationErrors, [
      {
        ErrorCode: 'OPERATOR_NOT_ALLOWED',
        ErrorMessage: 'A parent policy does not allow @@assign here.',
        PathToError: 'tags/costcenter/tag_key',
        ContributingPolicies: [childId],
      },
    ]);
    assert.deepEqual((await call(store, 'ListEffectivePolicyValidationErrors', { AccountId: otherId, PolicyType: TAG })).EffectivePolicyValidationErrors, []);
    const invalid = await call(store, 'ListAccountsWithInvalidEffectivePolicy', { PolicyType: TAG });
    assert.deepEqual(invalid.Accounts.map((a: { Id: string }) => a.Id), [memberId]);
    assert.equal(invalid.PolicyType, TAG);
    await rejects(call(store, 'ListAccountsWithInvalidEffectivePolicy', { PolicyType: 'BACKUP_POLICY' }), 'EffectivePolicyNotFoundException');
    await rejects(call(store, 'ListEffectivePolicyValidationErrors', { AccountId: OUTSIDER, PolicyType: TAG }), 'AccountNotFoundException');
    await rejects(call(store, 'ListAccountsWithInvalidEffectivePolicy', { PolicyType: TAG }, memberId), 'AccessDeniedException');
  });
});
