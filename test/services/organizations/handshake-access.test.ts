// What the handshake and account-lifecycle operations ask the authorizer for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { organizationsAccess } from '../../../src/services/organizations/access.ts';
import { openStore } from '../../../src/store/index.ts';
import { call, contextFor, MANAGEMENT } from './helpers.ts';

const INVITED = '222222222222';

describe('Organizations access declarations: handshakes and account lifecycle', () => {
  it('AcceptHandshake needs organizations:AcceptHandshake on the handshake ARN, in the answering account, and for an invitation to all features iam:CreateServiceLinkedRole', async () => {
    const store = await openStore('memory:');
    await call(store, 'CreateOrganization');
    const { Handshake } = await call(store, 'InviteAccountToOrganization', { Target: { Id: INVITED, Type: 'ACCOUNT' } });
    const requirements = await organizationsAccess.AcceptHandshake!({ HandshakeId: Handshake.Id }, contextFor(store, INVITED));
    assert.deepEqual(
      requirements.map(({ onDenied, ...requirement }) => ({ ...requirement, ...(onDenied && { denied: onDenied().code }) })),
      [
        { action: 'organizations:AcceptHandshake', resource: Handshake.Arn, resourceAccount: INVITED },
        {
          action: 'iam:CreateServiceLinkedRole',
          resource: `arn:aws:iam::${INVITED}:role/aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations`,
          context: { 'iam:AWSServiceName': 'organizations.amazonaws.com' },
          denied: 'AccessDeniedForDependencyException',
        },
      ],
    );
    const billingOnly = await openStore('memory:');
    await call(billingOnly, 'CreateOrganization', { FeatureSet: 'CONSOLIDATED_BILLING' });
    const invitation = (await call(billingOnly, 'InviteAccountToOrganization', { Target: { Id: INVITED, Type: 'ACCOUNT' } })).Handshake;
    const billingRequirements = await organizationsAccess.AcceptHandshake!({ HandshakeId: invitation.Id }, contextFor(billingOnly, INVITED));
    assert.deepEqual(billingRequirements.map((r) => r.action), ['organizations:AcceptHandshake'], 'no service-linked role without all features');
    const unknown = await organizationsAccess.DescribeHandshake!({ HandshakeId: 'h-00000000' }, contextFor(store, INVITED));
    assert.equal(unknown[0]?.resource, '*');
  });

  it('InviteAccountToOrganization with Tags also needs organizations:TagResource, both with the request tags', async () => {
    const store = await openStore('memory:');
    const context = contextFor(store, MANAGEMENT);
    const target = { Target: { Id: INVITED, Type: 'ACCOUNT' } };
    assert.deepEqual((await organizationsAccess.InviteAccountToOrganization!(target, context)).map((r) => r.action), [
      'organizations:InviteAccountToOrganization',
    ]);
    const tagged = await organizationsAccess.InviteAccountToOrganization!({ ...target, Tags: [{ Key: 'team', Value: 'red' }] }, context);
    assert.deepEqual(tagged.map((r) => [r.action, r.context?.['aws:RequestTag/team']]), [
      ['organizations:InviteAccountToOrganization', 'red'],
      ['organizations:TagResource', 'red'],
    ]);
  });

  it('RemoveAccountFromOrganization and CloseAccount are on the account ARN', async () => {
    const store = await openStore('memory:');
    const { Organization } = await call(store, 'CreateOrganization');
    const { Handshake } = await call(store, 'InviteAccountToOrganization', { Target: { Id: INVITED, Type: 'ACCOUNT' } });
    await call(store, 'AcceptHandshake', { HandshakeId: Handshake.Id }, INVITED);
    const arn = `arn:aws:organizations::${MANAGEMENT}:account/${Organization.Id}/${INVITED}`;
    for (const operation of ['RemoveAccountFromOrganization', 'CloseAccount']) {
      const requirements = await organizationsAccess[operation]!({ AccountId: INVITED }, contextFor(store, MANAGEMENT));
      assert.deepEqual(requirements.map((r) => [r.action, r.resource]), [[`organizations:${operation}`, arn]]);
    }
  });
});
