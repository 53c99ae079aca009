// Which requests an organization's RCPs govern, and the aws:Resource* keys of a resource.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy } from '../../src/policy/index.ts';
import type { OrganizationControls } from '../../src/services/principal-policies.ts';
import { rcpsGovern, resourceConditionKeys, resourceControls } from '../../src/services/resource-controls.ts';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/shared';
const RCP_FULL_ACCESS = compilePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}', 'p-RCPFullAWSAccess');

const member: OrganizationControls = {
  rcps: [[RCP_FULL_ACCESS], [RCP_FULL_ACCESS]],
  managementAccount: false,
  orgId: 'o-a1b2c3d4e5',
  orgPaths: ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'],
};

describe('RCPs: which requests they govern', () => {
  it('govern actions of the services AWS lists on a named resource: sts:AssumeRole on a role, kms:Encrypt on a key', () => {
    assert.equal(rcpsGovern({ action: 'sts:AssumeRole', resource: ROLE }), true);
    assert.equal(rcpsGovern({ action: 'kms:Encrypt', resource: KEY }), true);
  });

  it('do not govern IAM, actions on no resource ("*"), AWS managed keys, or kms:RetireGrant (which AWS KMS says RCPs cannot restrict)', () => {
    assert.equal(rcpsGovern({ action: 'kms:Encrypt', resource: KEY, awsManaged: true }), false);
    assert.equal(rcpsGovern({ action: 'iam:GetRole', resource: ROLE }), false);
    assert.equal(rcpsGovern({ action: 'kms:CreateKey', resource: '*' }), false);
    assert.equal(rcpsGovern({ action: 'kms:RetireGrant', resource: KEY }), false);
  });

  it("a governed request gets the owner's RCP levels and whether it is the management account; others and resources outside an organization get none", () => {
    assert.deepEqual(resourceControls({ action: 'kms:Decrypt', resource: KEY }, member), { rcps: member.rcps, resourceInManagementAccount: false });
    assert.deepEqual(resourceControls({ action: 'iam:GetRole', resource: ROLE }, member), {});
    assert.deepEqual(resourceControls({ action: 'kms:Decrypt', resource: KEY }, undefined), {});
    const { rcps: _, ...withoutRcps } = member;
    assert.deepEqual(resourceControls({ action: 'kms:Decrypt', resource: KEY }, withoutRcps), {});
  });
});

describe('aws:ResourceAccount, aws:ResourceOrgID, aws:ResourceOrgPaths', () => {
  it('name the resource account and, in an organization, its id and the path of the account', () => {
    assert.deepEqual(resourceConditionKeys('111122223333', member), {
      'aws:ResourceAccount': '111122223333',
      'aws:ResourceOrgID': 'o-a1b2c3d4e5',
      'aws:ResourceOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'],
    });
    assert.deepEqual(resourceConditionKeys('111122223333', undefined), { 'aws:ResourceAccount': '111122223333' });
    assert.deepEqual(resourceConditionKeys('aws', undefined), {});
  });
});
