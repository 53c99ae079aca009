// EnableAllFeatures through the handlers: an organization made with CONSOLIDATED_BILLING
// moves to ALL once every invited member approves and the management account confirms.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Store } from '../../../src/store/index.ts';
import { call, inviteAndJoin, MANAGEMENT, rejects, storeWithOrganization } from './helpers.ts';

const INVITED_A = '222222222222';
const INVITED_B = '333333333333';

/** The APPROVE_ALL_FEATURES handshake an account was sent. */
async function approvalFor(store: Store, accountId: string) {
  const { Handshakes } = await call(store, 'ListHandshakesForAccount', { Filter: { ActionType: 'APPROVE_ALL_FEATURES' } }, accountId);
  assert.equal(Handshakes.length, 1);
  return Handshakes[0];
}

const describeHandshake = async (store: Store, id: string) => (await call(store, 'DescribeHandshake', { HandshakeId: id })).Handshake;

describe('Organizations: EnableAllFeatures', () => {
  let store: Store;
  let orgId: string;
  let rootId: string;
  beforeEach(async () => {
    ({ store, orgId, rootId } = await storeWithOrganization('CONSOLIDATED_BILLING'));
  });

  it('under CONSOLIDATED_BILLING policies are not available: EnablePolicyType and CreatePolicy fail with PolicyTypeNotAvailableForOrganizationException', async () => {
    await rejects(call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }), 'PolicyTypeNotAvailableForOrganizationException');
    const content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    await rejects(
      call(store, 'CreatePolicy', { Name: 'p', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: content }),
      'PolicyTypeNotAvailableForOrganizationException',
    );
  });

  it('every invited member approves, the parent opens, the management account accepts it: FeatureSet ALL and policies work', async () => {
    await inviteAndJoin(store, INVITED_A);
    await inviteAndJoin(store, INVITED_B);
    await call(store, 'CreateAccount', { Email: 'made@example.com', AccountName: 'made' }); // created accounts are not asked

    const { Handshake: parent } = await call(store, 'EnableAllFeatures');
    assert.equal(parent.Action, 'ENABLE_ALL_FEATURES');
    assert.equal(parent.State, 'REQUESTED');
    assert.equal(parent.Arn, `arn:aws:organizations::${MANAGEMENT}:handshake/${orgId}/enable_all_features/${parent.Id}`);
    assert.deepEqual(parent.Parties, [{ Id: orgId, Type: 'ORGANIZATION' }]);
    const { Handshakes: children } = await call(store, 'ListHandshakesForOrganization', { Filter: { ParentHandshakeId: parent.Id } });
    assert.deepEqual(children.map((h: { Parties: { Id: string }[] }) => h.Parties[1]!.Id).sort(), [INVITED_A, INVITED_B]);

    const approvalA = await approvalFor(store, INVITED_A);
    assert.deepEqual(approvalA.Resources.at(-1), { Type: 'PARENT_HANDSHAKE', Value: parent.Id });
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: parent.Id }), 'InvalidHandshakeTransitionException'); // not everyone yet
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: approvalA.Id }), 'AccessDeniedException'); // the member approves, not the management account
    await call(store, 'AcceptHandshake', { HandshakeId: approvalA.Id }, INVITED_A);
    assert.equal((await describeHandshake(store, parent.Id)).State, 'REQUESTED');
    await call(store, 'AcceptHandshake', { HandshakeId: (await approvalFor(store, INVITED_B)).Id }, INVITED_B);
    assert.equal((await describeHandshake(store, parent.Id)).State, 'OPEN');

    await rejects(call(store, 'AcceptHandshake', { HandshakeId: parent.Id }, INVITED_A), 'AccessDeniedException');
    assert.equal((await call(store, 'AcceptHandshake', { HandshakeId: parent.Id })).Handshake.State, 'ACCEPTED');
    assert.equal((await call(store, 'DescribeOrganization')).Organization.FeatureSet, 'ALL');
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
    await rejects(call(store, 'EnableAllFeatures'), 'HandshakeConstraintViolationException', 'ORGANIZATION_ALREADY_HAS_ALL_FEATURES');
  });

  it('while the change is pending: a second EnableAllFeatures and new invitations fail with HandshakeConstraintViolationException', async () => {
    await inviteAndJoin(store, INVITED_A);
    await call(store, 'EnableAllFeatures');
    await rejects(call(store, 'EnableAllFeatures'), 'HandshakeConstraintViolationException', 'ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION');
    await rejects(
      call(store, 'InviteAccountToOrganization', { Target: { Id: INVITED_B, Type: 'ACCOUNT' } }),
      'HandshakeConstraintViolationException',
      'INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES',
    );
  });

  it('canceling the parent cancels the approvals still waiting, and the organization can start again', async () => {
    await inviteAndJoin(store, INVITED_A);
    const { Handshake: parent } = await call(store, 'EnableAllFeatures');
    await call(store, 'CancelHandshake', { HandshakeId: parent.Id });
    assert.equal((await approvalFor(store, INVITED_A)).State, 'CANCELED');
    await call(store, 'EnableAllFeatures');
  });

  it('a member that declines holds the parent REQUESTED; removing that member opens it', async () => {
    await inviteAndJoin(store, INVITED_A);
    await inviteAndJoin(store, INVITED_B);
    const { Handshake: parent } = await call(store, 'EnableAllFeatures');
    await call(store, 'AcceptHandshake', { HandshakeId: (await approvalFor(store, INVITED_A)).Id }, INVITED_A);
    await call(store, 'DeclineHandshake', { HandshakeId: (await approvalFor(store, INVITED_B)).Id }, INVITED_B);
    assert.equal((await describeHandshake(store, parent.Id)).State, 'REQUESTED');
    await call(store, 'RemoveAccountFromOrganization', { AccountId: INVITED_B });
    assert.equal((await describeHandshake(store, parent.Id)).State, 'OPEN');
  });

  it('with no invited members the parent is OPEN at once and the management account completes it', async () => {
    const { Handshake: parent } = await call(store, 'EnableAllFeatures');
    assert.equal(parent.State, 'OPEN');
    await call(store, 'AcceptHandshake', { HandshakeId: parent.Id });
    assert.equal((await call(store, 'DescribeOrganization')).Organization.FeatureSet, 'ALL');
  });

  it('only the management account enables all features', async () => {
    await inviteAndJoin(store, INVITED_A);
    await rejects(call(store, 'EnableAllFeatures', {}, INVITED_A), 'AccessDeniedException');
  });
});
