// Billing responsibility transfers between two organizations: the managing organization
// (123456789012) invites the management account of another (999999999999); the
// transfer follows its handshake until accepted, then can be withdrawn.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { openStore, type Store } from '../../../src/store/index.ts';
import { call, callAt, createMember, MANAGEMENT, NOW, OUTSIDER, rejects } from './helpers.ts';

const START = new Date('2025-08-01T00:00:00Z'); // NOW is 2025-06-01T12:00Z
const END_OF_AUGUST = new Date('2025-08-31T23:59:59.999Z');

describe('Organizations: billing responsibility transfers', () => {
  let store: Store;
  let managingOrg: string;
  let sourceOrg: string;

  const invite = (target: { Id: string; Type: string } = { Id: OUTSIDER, Type: 'ACCOUNT' }, start = START, caller = MANAGEMENT) =>
    call(store, 'InviteOrganizationToTransferResponsibility', { Type: 'BILLING', Target: target, StartTimestamp: start, SourceName: 'payer' }, caller);

  async function invited(): Promise<{ handshakeId: string; transferId: string }> {
    const { Handshake } = await invite();
    return { handshakeId: Handshake.Id, transferId: Handshake.Resources[0].Value };
  }

  beforeEach(async () => {
    store = await openStore('memory:');
    managingOrg = (await call(store, 'CreateOrganization')).Organization.Id;
    sourceOrg = (await call(store, 'CreateOrganization', {}, OUTSIDER)).Organization.Id;
  });

  it('the invitation is a TRANSFER_RESPONSIBILITY handshake; both sides list the REQUESTED transfer, inbound and outbound', async () => {
    const { Handshake } = await invite();
    assert.equal(Handshake.Action, 'TRANSFER_RESPONSIBILITY');
    assert.equal(Handshake.State, 'OPEN');
    assert.deepEqual(Handshake.Parties, [{ Id: managingOrg, Type: 'ORGANIZATION' }, { Id: OUTSIDER, Type: 'ACCOUNT' }]);
    const [resource] = Handshake.Resources;
    assert.equal(resource.Type, 'RESPONSIBILITY_TRANSFER');
    assert.match(resource.Value, /^rt-[0-9a-z]{8,32}$/);
    // The handshake must be answered 24 hours before the start.
    assert.equal(Handshake.ExpirationTimestamp.toISOString(), '2025-06-16T12:00:00.000Z');

    const inbound = (await call(store, 'ListInboundResponsibilityTransfers', { Type: 'BILLING' })).ResponsibilityTransfers;
    assert.equal(inbound.length, 1);
    assert.equal(inbound[0].Arn, `arn:aws:organizations::${MANAGEMENT}:transfer/${managingOrg}/billing/inbound/${resource.Value}`);
    assert.equal(inbound[0].Status, 'REQUESTED');
    assert.equal(inbound[0].Name, 'payer');
    assert.deepEqual(inbound[0].Target, { ManagementAccountId: MANAGEMENT, ManagementAccountEmail: `${MANAGEMENT}@bulwark.invalid` });
    assert.equal(inbound[0].Source.ManagementAccountId, OUTSIDER);
    assert.equal(inbound[0].StartTimestamp.toISOString(), START.toISOString());
    assert.equal(inbound[0].ActiveHandshakeId, Handshake.Id);

    const outbound = (await call(store, 'ListOutboundResponsibilityTransfers', { Type: 'BILLING' }, OUTSIDER)).ResponsibilityTransfers;
    assert.equal(outbound[0].Arn, `arn:aws:organizations::${OUTSIDER}:transfer/${sourceOrg}/billing/outbound/${resource.Value}`);
    assert.deepEqual((await call(store, 'ListOutboundResponsibilityTransfers', { Type: 'BILLING' })).ResponsibilityTransfers, []);
    assert.deepEqual((await call(store, 'ListHandshakesForAccount', {}, OUTSIDER)).Handshakes.map((h: { Id: string }) => h.Id), [Handshake.Id]);
  });

  it('the start must be the first instant of a month, far enough ahead: START_DATE_NOT_BEGINNING_OF_DAY / _MONTH, START_DATE_TOO_EARLY', async () => {
    await rejects(invite(undefined, new Date('2025-08-01T06:00:00Z')), 'InvalidInputException', 'START_DATE_NOT_BEGINNING_OF_DAY');
    await rejects(invite(undefined, new Date('2025-08-15T00:00:00Z')), 'InvalidInputException', 'START_DATE_NOT_BEGINNING_OF_MONTH');
    await rejects(invite(undefined, new Date('2025-06-01T00:00:00Z')), 'InvalidInputException', 'START_DATE_TOO_EARLY');
    // July 1 is more than 24 hours away on June 1: still fine.
    await invite(undefined, new Date('2025-07-01T00:00:00Z'));
  });

  it('who may be invited and by whom: no ORGANIZATION party, no account of the own organization, no second pending invitation, management accounts only', async () => {
    await rejects(invite({ Id: sourceOrg, Type: 'ORGANIZATION' }), 'InvalidInputException', 'INVALID_PARTY_TYPE_TARGET');
    const memberId = await createMember(store, 'member@example.com');
    await rejects(invite({ Id: memberId, Type: 'ACCOUNT' }), 'InvalidInputException', 'INVALID_PARTY_TYPE_TARGET');
    await invite();
    await rejects(invite(), 'DuplicateHandshakeException');
    await rejects(invite(undefined, START, memberId), 'AccessDeniedException');
    await rejects(call(store, 'ListInboundResponsibilityTransfers', { Type: 'BILLING' }, memberId), 'AccessDeniedException');
  });

  it('accepted by the invited management account: ACCEPTED on both sides; only the managing side renames it; others do not see it', async () => {
    const { handshakeId, transferId } = await invited();
    await call(store, 'AcceptHandshake', { HandshakeId: handshakeId }, OUTSIDER);
    const { ResponsibilityTransfer } = await call(store, 'DescribeResponsibilityTransfer', { Id: transferId }, OUTSIDER);
    assert.equal(ResponsibilityTransfer.Status, 'ACCEPTED');
    assert.deepEqual(ResponsibilityTransfer.Source, { ManagementAccountId: OUTSIDER, ManagementAccountEmail: `${OUTSIDER}@bulwark.invalid` });
    const renamed = await call(store, 'UpdateResponsibilityTransfer', { Id: transferId, Name: 'partner billing' });
    assert.equal(renamed.ResponsibilityTransfer.Name, 'partner billing');
    assert.equal((await call(store, 'DescribeResponsibilityTransfer', { Id: transferId })).ResponsibilityTransfer.Status, 'ACCEPTED');
    await rejects(call(store, 'UpdateResponsibilityTransfer', { Id: transferId, Name: 'x' }, OUTSIDER), 'AccessDeniedException');
    const third = '111122223333';
    await call(store, 'CreateOrganization', {}, third);
    await rejects(call(store, 'DescribeResponsibilityTransfer', { Id: transferId }, third), 'ResponsibilityTransferNotFoundException');
    await rejects(call(store, 'DescribeResponsibilityTransfer', { Id: 'rt-0000000000000000' }), 'ResponsibilityTransferNotFoundException');
    await rejects(call(store, 'ListInboundResponsibilityTransfers', { Type: 'BILLING', Id: 'rt-0000000000000000' }), 'ResponsibilityTransferNotFoundException');
    assert.equal((await call(store, 'ListInboundResponsibilityTransfers', { Type: 'BILLING', Id: transferId })).ResponsibilityTransfers.length, 1);
  });

  it('an invited account that is no management account cannot accept: AccessDeniedException', async () => {
    const { CreateAccountStatus } = await call(store, 'CreateAccount', { Email: 'm@source.example', AccountName: 'm' }, OUTSIDER);
    const member = (await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: CreateAccountStatus.Id }, OUTSIDER)).CreateAccountStatus.AccountId;
    const { Handshake } = await invite({ Id: member, Type: 'ACCOUNT' });
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, member), 'AccessDeniedException');
    assert.equal((await call(store, 'DescribeHandshake', { HandshakeId: Handshake.Id })).Handshake.State, 'OPEN');
  });

  it('declined, canceled or left to expire, the transfer says so', async () => {
    const declined = await invited();
    await call(store, 'DeclineHandshake', { HandshakeId: declined.handshakeId }, OUTSIDER);
    assert.equal((await call(store, 'DescribeResponsibilityTransfer', { Id: declined.transferId })).ResponsibilityTransfer.Status, 'DECLINED');
    const canceled = await invited();
    await call(store, 'CancelHandshake', { HandshakeId: canceled.handshakeId });
    assert.equal((await call(store, 'DescribeResponsibilityTransfer', { Id: canceled.transferId })).ResponsibilityTransfer.Status, 'CANCELED');
    const unanswered = await invited();
    const late = new Date(NOW.getTime() + 16 * 24 * 60 * 60 * 1000);
    assert.equal((await callAt(store, late, 'DescribeResponsibilityTransfer', { Id: unanswered.transferId })).ResponsibilityTransfer.Status, 'EXPIRED');
    await rejects(callAt(store, late, 'AcceptHandshake', { HandshakeId: unanswered.handshakeId }, OUTSIDER), 'InvalidHandshakeTransitionException');
  });

  it('an organization in a transfer not over cannot be deleted: ConstraintViolationException ACTIVE_RESPONSIBILITY_TRANSFER_PROCESS', async () => {
    const { handshakeId } = await invited();
    await rejects(call(store, 'DeleteOrganization', {}, OUTSIDER), 'ConstraintViolationException', 'ACTIVE_RESPONSIBILITY_TRANSFER_PROCESS');
    await call(store, 'DeclineHandshake', { HandshakeId: handshakeId }, OUTSIDER);
    await call(store, 'DeleteOrganization', {}, OUTSIDER);
  });

  it('TerminateResponsibilityTransfer withdraws an accepted transfer at the end of a month; again: ResponsibilityTransferAlreadyInStatusException', async () => {
    const pending = await invited();
    await rejects(call(store, 'TerminateResponsibilityTransfer', { Id: pending.transferId }), 'InvalidResponsibilityTransferTransitionException');
    await call(store, 'AcceptHandshake', { HandshakeId: pending.handshakeId }, OUTSIDER);
    const terminate = (end?: Date, caller = MANAGEMENT) =>
      call(store, 'TerminateResponsibilityTransfer', { Id: pending.transferId, ...(end ? { EndTimestamp: end } : {}) }, caller);
    await rejects(terminate(new Date('2025-09-15T00:00:00Z')), 'InvalidInputException', 'END_DATE_NOT_END_OF_MONTH');
    await rejects(terminate(new Date('2025-06-30T23:59:59.999Z')), 'InvalidInputException', 'END_DATE_TOO_EARLY'); // before the start
    const { ResponsibilityTransfer } = await terminate(undefined, OUTSIDER);
    assert.equal(ResponsibilityTransfer.Status, 'WITHDRAWN');
    assert.equal(ResponsibilityTransfer.EndTimestamp.toISOString(), END_OF_AUGUST.toISOString());
    await rejects(terminate(), 'ResponsibilityTransferAlreadyInStatusException');
  });
});
