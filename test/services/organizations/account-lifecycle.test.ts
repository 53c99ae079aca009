// Accounts leaving the organization through the handlers: RemoveAccountFromOrganization,
// LeaveOrganization, CloseAccount, and what each leaves behind.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { closureQuota } from '../../../src/services/organizations/account-lifecycle.ts';
import { organizationPolicies } from '../../../src/services/organizations/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { call, callAt, createMember, inviteAndJoin, MANAGEMENT, NOW, OUTSIDER, rejects, storeWithOrganization } from './helpers.ts';

const INVITED = '222222222222';
const DAY_MS = 24 * 60 * 60 * 1000;

const accountIds = async (store: Store) => (await call(store, 'ListAccounts')).Accounts.map((a: { Id: string }) => a.Id).sort();

describe('Organizations: removing and leaving', () => {
  let store: Store;
  let rootId: string;
  beforeEach(async () => {
    ({ store, rootId } = await storeWithOrganization());
  });

  it('RemoveAccountFromOrganization makes the account standalone: out of the tree, SCPs no longer apply, free to join again', async () => {
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
    await inviteAndJoin(store, INVITED);
    assert.ok((await organizationPolicies(store, INVITED))?.scps);

    await call(store, 'RemoveAccountFromOrganization', { AccountId: INVITED });
    assert.deepEqual(await accountIds(store), [MANAGEMENT]);
    assert.equal(await organizationPolicies(store, INVITED), undefined);
    await rejects(call(store, 'DescribeOrganization', {}, INVITED), 'AWSOrganizationsNotInUseException');
    const { Targets } = await call(store, 'ListTargetsForPolicy', { PolicyId: 'p-FullAWSAccess' });
    assert.deepEqual(Targets.map((t: { TargetId: string }) => t.TargetId).sort(), [MANAGEMENT, rootId].sort());
    await inviteAndJoin(store, INVITED);
    assert.deepEqual(await accountIds(store), [MANAGEMENT, INVITED].sort());
  });

  it('the management account cannot be removed or leave: MasterCannotLeaveOrganizationException', async () => {
    await rejects(call(store, 'RemoveAccountFromOrganization', { AccountId: MANAGEMENT }), 'MasterCannotLeaveOrganizationException');
    await rejects(call(store, 'LeaveOrganization'), 'MasterCannotLeaveOrganizationException');
  });

  it('RemoveAccountFromOrganization: an account not in the organization, AccountNotFoundException; from a member, AccessDeniedException', async () => {
    await rejects(call(store, 'RemoveAccountFromOrganization', { AccountId: OUTSIDER }), 'AccountNotFoundException');
    await inviteAndJoin(store, INVITED);
    await rejects(call(store, 'RemoveAccountFromOrganization', { AccountId: INVITED }, INVITED), 'AccessDeniedException');
  });

  it('a created account can leave only four days after its creation: ConstraintViolationException WAIT_PERIOD_ACTIVE; it keeps its email', async () => {
    const accountId = await createMember(store, 'made@example.com');
    await rejects(call(store, 'RemoveAccountFromOrganization', { AccountId: accountId }), 'ConstraintViolationException', 'WAIT_PERIOD_ACTIVE');
    await rejects(call(store, 'LeaveOrganization', {}, accountId), 'ConstraintViolationException', 'WAIT_PERIOD_ACTIVE');
    await callAt(store, new Date(NOW.getTime() + 4 * DAY_MS), 'LeaveOrganization', {}, accountId);
    assert.deepEqual(await accountIds(store), [MANAGEMENT]);

    // Its email still names it: another CreateAccount with it fails; an invitation by it reaches it.
    const { CreateAccountStatus } = await call(store, 'CreateAccount', { Email: 'made@example.com', AccountName: 'again' });
    const status = (await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: CreateAccountStatus.Id })).CreateAccountStatus;
    assert.equal(status.FailureReason, 'EMAIL_ALREADY_EXISTS');
    const { Handshake } = await call(store, 'InviteAccountToOrganization', { Target: { Id: 'made@example.com', Type: 'EMAIL' } });
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED), 'AccessDeniedException');
    await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, accountId);
    const { Account } = await call(store, 'DescribeAccount', { AccountId: accountId });
    assert.deepEqual([Account.Name, Account.Email, Account.JoinedMethod], ['made', 'made@example.com', 'INVITED']);
  });

  it('an account that left keeps its name and email when it makes an organization of its own', async () => {
    const accountId = await createMember(store, 'founder@example.com');
    await callAt(store, new Date(NOW.getTime() + 4 * DAY_MS), 'RemoveAccountFromOrganization', { AccountId: accountId });
    const { Organization } = await call(store, 'CreateOrganization', {}, accountId);
    assert.equal(Organization.MasterAccountEmail, 'founder@example.com');
    assert.equal((await call(store, 'DescribeAccount', { AccountId: accountId }, accountId)).Account.Name, 'founder');
  });

  it('LeaveOrganization by an invited member: it is out at once; from outside any organization: AWSOrganizationsNotInUseException', async () => {
    await inviteAndJoin(store, INVITED);
    await call(store, 'LeaveOrganization', {}, INVITED);
    assert.deepEqual(await accountIds(store), [MANAGEMENT]);
    await rejects(call(store, 'LeaveOrganization', {}, INVITED), 'AWSOrganizationsNotInUseException');
  });

  it('a delegated administrator cannot leave: ConstraintViolationException CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG', async () => {
    await inviteAndJoin(store, INVITED);
    const service = { ServicePrincipal: 'access-analyzer.amazonaws.com' };
    await call(store, 'EnableAWSServiceAccess', service);
    await call(store, 'RegisterDelegatedAdministrator', { AccountId: INVITED, ...service });
    const reason = 'CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG';
    await rejects(call(store, 'RemoveAccountFromOrganization', { AccountId: INVITED }), 'ConstraintViolationException', reason);
    await rejects(call(store, 'LeaveOrganization', {}, INVITED), 'ConstraintViolationException', reason);
    await call(store, 'DeregisterDelegatedAdministrator', { AccountId: INVITED, ...service });
    await call(store, 'LeaveOrganization', {}, INVITED);
  });

  it('DeleteOrganization needs every member gone: OrganizationNotEmptyException, then it succeeds', async () => {
    await inviteAndJoin(store, INVITED);
    await rejects(call(store, 'DeleteOrganization'), 'OrganizationNotEmptyException');
    await call(store, 'RemoveAccountFromOrganization', { AccountId: INVITED });
    await call(store, 'DeleteOrganization');
    await rejects(call(store, 'DescribeOrganization'), 'AWSOrganizationsNotInUseException');
  });
});

describe('Organizations: CloseAccount', () => {
  let store: Store;
  beforeEach(async () => {
    ({ store } = await storeWithOrganization());
  });

  it('the account is PENDING_CLOSURE, then SUSPENDED a few minutes later on Bulwark\'s clock; closing it again: AccountAlreadyClosedException', async () => {
    await inviteAndJoin(store, INVITED);
    await call(store, 'CloseAccount', { AccountId: INVITED });
    const pending = (await call(store, 'DescribeAccount', { AccountId: INVITED })).Account;
    assert.deepEqual([pending.Status, pending.State], ['PENDING_CLOSURE', 'PENDING_CLOSURE']);
    const later = new Date(NOW.getTime() + 5 * 60 * 1000);
    const suspended = (await callAt(store, later, 'DescribeAccount', { AccountId: INVITED })).Account;
    assert.deepEqual([suspended.Status, suspended.State], ['SUSPENDED', 'SUSPENDED']);
    await rejects(callAt(store, later, 'CloseAccount', { AccountId: INVITED }), 'AccountAlreadyClosedException');
    await rejects(call(store, 'DeleteOrganization'), 'OrganizationNotEmptyException'); // a closed account is still a member
  });

  it('the management account: ConstraintViolationException CANNOT_CLOSE_MANAGEMENT_ACCOUNT; an unknown account: AccountNotFoundException', async () => {
    await rejects(call(store, 'CloseAccount', { AccountId: MANAGEMENT }), 'ConstraintViolationException', 'CANNOT_CLOSE_MANAGEMENT_ACCOUNT');
    await rejects(call(store, 'CloseAccount', { AccountId: OUTSIDER }), 'AccountNotFoundException');
  });

  it('only with all features: ConstraintViolationException ORGANIZATION_NOT_IN_ALL_FEATURES_MODE', async () => {
    const { store: billing } = await storeWithOrganization('CONSOLIDATED_BILLING');
    await inviteAndJoin(billing, INVITED);
    await rejects(call(billing, 'CloseAccount', { AccountId: INVITED }), 'ConstraintViolationException', 'ORGANIZATION_NOT_IN_ALL_FEATURES_MODE');
  });

  it('AWS\'s quota: the higher of 250 and 20% of the members in 30 days, at most 1,000', () => {
    assert.equal(closureQuota(10), 250);
    assert.equal(closureQuota(2000), 400);
    assert.equal(closureQuota(100000), 1000);
  });

  it('the 251st closure in 30 days: ConstraintViolationException CLOSE_ACCOUNT_QUOTA_EXCEEDED; 30 days later another is allowed', async () => {
    const members: string[] = [];
    for (let i = 0; i < 252; i++) members.push(await createMember(store, `member${i}@example.com`));
    for (const accountId of members.slice(0, 250)) await call(store, 'CloseAccount', { AccountId: accountId });
    await rejects(call(store, 'CloseAccount', { AccountId: members[250] }), 'ConstraintViolationException', 'CLOSE_ACCOUNT_QUOTA_EXCEEDED');
    await callAt(store, new Date(NOW.getTime() + 30 * DAY_MS), 'CloseAccount', { AccountId: members[250] });
  });
});
