// Handshakes through the handlers: invitations sent by the management account and
// answered with the invited account's own credentials.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { openStore, type Store } from '../../../src/store/index.ts';
import { call, callAt, MANAGEMENT, NOW, OUTSIDER, rejects } from './helpers.ts';

const INVITED = '222222222222';
const DAY_MS = 24 * 60 * 60 * 1000;

const invite = (store: Store, target: string, type = 'ACCOUNT', extra: object = {}) =>
  call(store, 'InviteAccountToOrganization', { Target: { Id: target, Type: type }, ...extra });

describe('Organizations: invitations', () => {
  let store: Store;
  let orgId: string;
  beforeEach(async () => {
    store = await openStore('memory:');
    orgId = (await call(store, 'CreateOrganization')).Organization.Id;
  });

  it('InviteAccountToOrganization answers an OPEN INVITE handshake with AWS id, ARN, parties, resources and a 15-day expiry', async () => {
    const { Handshake: h } = await invite(store, INVITED, 'ACCOUNT', { Notes: 'join us' });
    assert.match(h.Id, /^h-[0-9a-z]{8,32}$/);
    assert.equal(h.Arn, `arn:aws:organizations::${MANAGEMENT}:handshake/${orgId}/invite/${h.Id}`);
    assert.equal(h.Action, 'INVITE');
    assert.equal(h.State, 'OPEN');
    assert.deepEqual(h.Parties, [
      { Id: orgId, Type: 'ORGANIZATION' },
      { Id: INVITED, Type: 'ACCOUNT' },
    ]);
    assert.deepEqual(h.Resources, [
      {
        Type: 'ORGANIZATION',
        Value: orgId,
        Resources: [
          { Type: 'MASTER_EMAIL', Value: `${MANAGEMENT}@bulwark.invalid` },
          { Type: 'MASTER_NAME', Value: MANAGEMENT },
          { Type: 'ORGANIZATION_FEATURE_SET', Value: 'ALL' },
        ],
      },
      { Type: 'ACCOUNT', Value: INVITED },
      { Type: 'NOTES', Value: 'join us' },
    ]);
    assert.deepEqual(h.RequestedTimestamp, NOW);
    assert.equal(h.ExpirationTimestamp.getTime() - NOW.getTime(), 15 * DAY_MS);
  });

  it('the invited account lists and accepts with its own credentials and joins the root as INVITED, with the invitation tags', async () => {
    const { Handshake: sent } = await invite(store, INVITED, 'ACCOUNT', { Tags: [{ Key: 'team', Value: 'blue' }] });
    const { Handshakes } = await call(store, 'ListHandshakesForAccount', {}, INVITED);
    assert.deepEqual(Handshakes.map((h: { Id: string }) => h.Id), [sent.Id]);

    const { Handshake: accepted } = await call(store, 'AcceptHandshake', { HandshakeId: sent.Id }, INVITED);
    assert.equal(accepted.State, 'ACCEPTED');
    const { Account } = await call(store, 'DescribeAccount', { AccountId: INVITED });
    assert.equal(Account.JoinedMethod, 'INVITED');
    assert.deepEqual(Account.JoinedTimestamp, NOW);
    const rootId = (await call(store, 'ListRoots')).Roots[0].Id;
    assert.deepEqual((await call(store, 'ListParents', { ChildId: INVITED })).Parents, [{ Id: rootId, Type: 'ROOT' }]);
    assert.deepEqual((await call(store, 'ListTagsForResource', { ResourceId: INVITED })).Tags, [{ Key: 'team', Value: 'blue' }]);
    assert.equal((await call(store, 'DescribeOrganization', {}, INVITED)).Organization.Id, orgId);
    assert.equal((await call(store, 'DescribeHandshake', { HandshakeId: sent.Id })).Handshake.State, 'ACCEPTED');
  });

  it('an invited account joining while SCPs are enabled gets FullAWSAccess attached', async () => {
    const rootId = (await call(store, 'ListRoots')).Roots[0].Id;
    await call(store, 'EnablePolicyType', { RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
    const { Handshake } = await invite(store, INVITED);
    await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED);
    const { Policies } = await call(store, 'ListPoliciesForTarget', { TargetId: INVITED, Filter: 'SERVICE_CONTROL_POLICY' });
    assert.deepEqual(Policies.map((p: { Name: string }) => p.Name), ['FullAWSAccess']);
  });

  it('answering twice: HandshakeAlreadyInStateException; another answer to a finished handshake: InvalidHandshakeTransitionException', async () => {
    const { Handshake } = await invite(store, INVITED);
    await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED);
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED), 'HandshakeAlreadyInStateException');
    await rejects(call(store, 'DeclineHandshake', { HandshakeId: Handshake.Id }, INVITED), 'InvalidHandshakeTransitionException');
    await rejects(call(store, 'CancelHandshake', { HandshakeId: Handshake.Id }), 'InvalidHandshakeTransitionException');
  });

  it('only the invited account answers: anyone else (the management account too) gets AccessDeniedException', async () => {
    const { Handshake } = await invite(store, INVITED);
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, OUTSIDER), 'AccessDeniedException');
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }), 'AccessDeniedException');
    await rejects(call(store, 'DeclineHandshake', { HandshakeId: Handshake.Id }, OUTSIDER), 'AccessDeniedException');
    await rejects(call(store, 'CancelHandshake', { HandshakeId: Handshake.Id }, INVITED), 'AccessDeniedException');
    await rejects(call(store, 'DescribeHandshake', { HandshakeId: Handshake.Id }, OUTSIDER), 'HandshakeNotFoundException');
    assert.equal((await call(store, 'DescribeHandshake', { HandshakeId: Handshake.Id }, INVITED)).Handshake.State, 'OPEN');
  });

  it('an account already in an organization cannot accept: HandshakeConstraintViolationException ALREADY_IN_AN_ORGANIZATION', async () => {
    const { Handshake } = await invite(store, INVITED);
    await call(store, 'CreateOrganization', {}, INVITED);
    await rejects(
      call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED),
      'HandshakeConstraintViolationException',
      'ALREADY_IN_AN_ORGANIZATION',
      'The handshake request is invalid because the invited account is already a member of an organization.',
    );
    // It may accept once it is free again.
    await call(store, 'DeleteOrganization', {}, INVITED);
    assert.equal((await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED)).Handshake.State, 'ACCEPTED');
  });

  it('inviting a member of the organization itself: ALREADY_IN_AN_ORGANIZATION; a second pending invitation: DuplicateHandshakeException', async () => {
    await rejects(invite(store, MANAGEMENT), 'HandshakeConstraintViolationException', 'ALREADY_IN_AN_ORGANIZATION');
    const { Handshake } = await invite(store, INVITED);
    await rejects(invite(store, INVITED), 'DuplicateHandshakeException');
    await call(store, 'CancelHandshake', { HandshakeId: Handshake.Id });
    await invite(store, INVITED); // the canceled one no longer counts
  });

  it('CancelHandshake by the management account: CANCELED, no longer answerable; twice: HandshakeAlreadyInStateException', async () => {
    const { Handshake } = await invite(store, INVITED);
    const { Handshake: canceled } = await call(store, 'CancelHandshake', { HandshakeId: Handshake.Id });
    assert.equal(canceled.State, 'CANCELED');
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED), 'InvalidHandshakeTransitionException');
    await rejects(call(store, 'CancelHandshake', { HandshakeId: Handshake.Id }), 'HandshakeAlreadyInStateException');
  });

  it('DeclineHandshake by the invited account: DECLINED, and the account stays out', async () => {
    const { Handshake } = await invite(store, INVITED);
    assert.equal((await call(store, 'DeclineHandshake', { HandshakeId: Handshake.Id }, INVITED)).Handshake.State, 'DECLINED');
    await rejects(call(store, 'DescribeOrganization', {}, INVITED), 'AWSOrganizationsNotInUseException');
    await rejects(call(store, 'DeclineHandshake', { HandshakeId: Handshake.Id }, INVITED), 'HandshakeAlreadyInStateException');
  });

  it('an unanswered invitation is EXPIRED after 15 days on Bulwark\'s clock and gone 30 days later', async () => {
    const { Handshake } = await invite(store, INVITED);
    const almost = new Date(NOW.getTime() + 15 * DAY_MS - 1);
    assert.equal((await callAt(store, almost, 'DescribeHandshake', { HandshakeId: Handshake.Id })).Handshake.State, 'OPEN');
    const expired = new Date(NOW.getTime() + 15 * DAY_MS);
    assert.equal((await callAt(store, expired, 'DescribeHandshake', { HandshakeId: Handshake.Id })).Handshake.State, 'EXPIRED');
    await rejects(callAt(store, expired, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED), 'InvalidHandshakeTransitionException');
    await callAt(store, expired, 'InviteAccountToOrganization', { Target: { Id: INVITED, Type: 'ACCOUNT' } }); // no longer a duplicate

    const gone = new Date(NOW.getTime() + 45 * DAY_MS);
    await rejects(callAt(store, gone, 'DescribeHandshake', { HandshakeId: Handshake.Id }), 'HandshakeNotFoundException');
    const { Handshakes } = await callAt(store, gone, 'ListHandshakesForOrganization', {});
    assert.ok(!Handshakes.some((h: { Id: string }) => h.Id === Handshake.Id));
  });

  it('20 invitations a day; the 21st: HandshakeConstraintViolationException HANDSHAKE_RATE_LIMIT_EXCEEDED; the next day more', async () => {
    for (let i = 0; i < 20; i++) await invite(store, `3000000000${String(i).padStart(2, '0')}`);
    await rejects(invite(store, '300000000099'), 'HandshakeConstraintViolationException', 'HANDSHAKE_RATE_LIMIT_EXCEEDED');
    await callAt(store, new Date(NOW.getTime() + DAY_MS), 'InviteAccountToOrganization', { Target: { Id: '300000000099', Type: 'ACCOUNT' } });
  });

  it('an invitation by email: the account that answers takes that email; then nobody else can answer for it', async () => {
    const { Handshake } = await invite(store, 'Dev@Example.com', 'EMAIL');
    assert.deepEqual(Handshake.Parties[1], { Id: 'Dev@Example.com', Type: 'EMAIL' });
    assert.deepEqual(Handshake.Resources[1], { Type: 'EMAIL', Value: 'Dev@Example.com' });
    await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED);
    assert.equal((await call(store, 'DescribeAccount', { AccountId: INVITED })).Account.Email, 'Dev@Example.com');

    // That email's account is a member now.
    await rejects(invite(store, 'dev@example.com', 'EMAIL'), 'HandshakeConstraintViolationException', 'ALREADY_IN_AN_ORGANIZATION');
    const other = await openStore('memory:');
    await call(other, 'CreateOrganization');
    const { Handshake: placeholder } = await call(other, 'InviteAccountToOrganization', { Target: { Id: `${OUTSIDER}@bulwark.invalid`, Type: 'EMAIL' } });
    await rejects(call(other, 'AcceptHandshake', { HandshakeId: placeholder.Id }, INVITED), 'AccessDeniedException');
    assert.equal((await call(other, 'ListHandshakesForAccount', {}, OUTSIDER)).Handshakes.length, 1);
    await call(other, 'AcceptHandshake', { HandshakeId: placeholder.Id }, OUTSIDER);
  });

  it('bad targets: InvalidInputException with INVALID_PARTY_TYPE_TARGET, INVALID_EMAIL_ADDRESS_TARGET, INVALID_PATTERN', async () => {
    await rejects(invite(store, 'o-abcdefghij', 'ORGANIZATION'), 'InvalidInputException', 'INVALID_PARTY_TYPE_TARGET');
    await rejects(invite(store, 'not-an-email', 'EMAIL'), 'InvalidInputException', 'INVALID_EMAIL_ADDRESS_TARGET');
    await rejects(invite(store, '12345', 'ACCOUNT'), 'InvalidInputException', 'INVALID_PATTERN');
  });

  it('only the management account invites; ListHandshakesForOrganization needs an organization', async () => {
    const { Handshake } = await invite(store, INVITED);
    await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED);
    await rejects(call(store, 'InviteAccountToOrganization', { Target: { Id: OUTSIDER, Type: 'ACCOUNT' } }, INVITED), 'AccessDeniedException');
    await rejects(call(store, 'ListHandshakesForOrganization', {}, OUTSIDER), 'AWSOrganizationsNotInUseException');
    assert.deepEqual((await call(store, 'ListHandshakesForAccount', {}, OUTSIDER)).Handshakes, []);
  });

  it('lists page with MaxResults and NextToken and filter by ActionType; two filters at once: MAX_FILTER_LIMIT_EXCEEDED', async () => {
    const ids = [];
    for (const target of ['400000000001', '400000000002', '400000000003']) ids.push((await invite(store, target)).Handshake.Id);
    const first = await call(store, 'ListHandshakesForOrganization', { MaxResults: 2 });
    assert.equal(first.Handshakes.length, 2);
    assert.ok(first.NextToken);
    const second = await call(store, 'ListHandshakesForOrganization', { MaxResults: 2, NextToken: first.NextToken });
    // All three were sent at the same instant (NOW): oldest first cannot order them.
    assert.deepEqual([...first.Handshakes, ...second.Handshakes].map((h: { Id: string }) => h.Id).sort(), ids.sort());
    assert.equal(second.NextToken, undefined);
    assert.equal((await call(store, 'ListHandshakesForOrganization', { Filter: { ActionType: 'ENABLE_ALL_FEATURES' } })).Handshakes.length, 0);
    assert.equal((await call(store, 'ListHandshakesForOrganization', { Filter: { ActionType: 'INVITE' } })).Handshakes.length, 3);
    await rejects(
      call(store, 'ListHandshakesForOrganization', { Filter: { ActionType: 'INVITE', ParentHandshakeId: 'h-abcdefgh' } }),
      'InvalidInputException',
      'MAX_FILTER_LIMIT_EXCEEDED',
    );
  });

  it('an unknown handshake id: HandshakeNotFoundException', async () => {
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: 'h-00000000' }, INVITED), 'HandshakeNotFoundException', undefined,
      "We can't find a handshake with the HandshakeId that you specified.");
  });

  it('DeleteOrganization cancels the invitations still open', async () => {
    const { Handshake } = await invite(store, INVITED);
    await call(store, 'DeleteOrganization');
    await rejects(call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED), 'InvalidHandshakeTransitionException');
    assert.equal((await call(store, 'DescribeHandshake', { HandshakeId: Handshake.Id }, INVITED)).Handshake.State, 'CANCELED');
  });
});
