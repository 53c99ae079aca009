// What Organizations operations ask the authorizer for: organizations:<Operation> on the
// ARNs of the root, OU, account or policy they name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { organizationsAccess } from '../../../src/services/organizations/access.ts';
import { organizationsHandlers } from '../../../src/services/organizations/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { call, contextFor, MANAGEMENT, storeWithOrganization } from './helpers.ts';

describe('Organizations access declarations', () => {
  it('every handler has a declaration', () => {
    assert.deepEqual(Object.keys(organizationsHandlers).filter((op) => !(op in organizationsAccess)), []);
  });

  it('AttachPolicy needs organizations:AttachPolicy on the policy and on the target, by ARN', async () => {
    const { store, orgId, rootId } = await storeWithOrganization();
    const ou = (await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'a' })).OrganizationalUnit;
    const requirements = await organizationsAccess.AttachPolicy!({ PolicyId: 'p-FullAWSAccess', TargetId: ou.Id }, contextFor(store, MANAGEMENT));
    assert.deepEqual(
      requirements.map((r) => [r.action, r.resource]),
      [
        ['organizations:AttachPolicy', 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess'],
        ['organizations:AttachPolicy', `arn:aws:organizations::${MANAGEMENT}:ou/${orgId}/${ou.Id}`],
      ],
    );
  });

  it("CreateOrganizationalUnit passes the request's tags as aws:RequestTag/* and aws:TagKeys", async () => {
    const store = await openStore('memory:');
    const requirements = await organizationsAccess.CreateOrganizationalUnit!(
      { ParentId: 'r-abcd', Name: 'x', Tags: [{ Key: 'team', Value: 'red' }] },
      contextFor(store, MANAGEMENT),
    );
    assert.equal(requirements[0]?.resource, '*'); // no organization yet: nothing to name
    assert.equal(requirements[0]?.context?.['aws:RequestTag/team'], 'red');
    assert.deepEqual(requirements[0]?.context?.['aws:TagKeys'], ['team']);
  });
});
