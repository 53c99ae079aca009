// IAM's Organizations access report, computed from a real organization in a memory
// store: which entity an EntityPath names, which services the SCPs there allow, and the
// last use by the accounts below it.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AwsError } from '../../../src/protocol/errors.ts';
import { recordServiceAccess } from '../../../src/services/iam/reports/last-accessed.ts';
import { entityOfPath, organizationsAccessJob, sortedDetails } from '../../../src/services/iam/reports/organizations-access.ts';
import type { OrganizationRecord } from '../../../src/services/organizations/records.ts';
import { organizationOf } from '../../../src/services/organizations/shared.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { call, MANAGEMENT } from '../organizations/helpers.ts';

const SCP = 'SERVICE_CONTROL_POLICY';
const NOW = new Date('2025-06-01T12:00:00Z');

describe('IAM Organizations access report', () => {
  let store: Store;
  let rootId: string;
  let ouId: string;
  let memberId: string;
  let org: () => Promise<OrganizationRecord>;

  beforeEach(async () => {
    store = await openStore('memory:');
    await call(store, 'CreateOrganization');
    await call(store, 'EnablePolicyType', { RootId: (rootId = (await call(store, 'ListRoots')).Roots[0].Id), PolicyType: SCP });
    ouId = (await call(store, 'CreateOrganizationalUnit', { ParentId: rootId, Name: 'workloads' })).OrganizationalUnit.Id;
    const { CreateAccountStatus } = await call(store, 'CreateAccount', { Email: 'w@example.com', AccountName: 'w' });
    memberId = (await call(store, 'DescribeCreateAccountStatus', { CreateAccountRequestId: CreateAccountStatus.Id })).CreateAccountStatus.AccountId;
    await call(store, 'MoveAccount', { AccountId: memberId, SourceParentId: rootId, DestinationParentId: ouId });
    org = async () => (await organizationOf(store, MANAGEMENT))!;
  });

  it('an EntityPath names the root, an OU or an account along the tree; anything else is InvalidInputException', async () => {
    const o = await org();
    assert.equal(entityOfPath(o, `${o.id}/${rootId}`), rootId);
    assert.equal(entityOfPath(o, `${o.id}/${rootId}/${ouId}/`), ouId);
    assert.equal(entityOfPath(o, `${o.id}/${rootId}/${ouId}/${memberId}`), memberId);
    for (const path of [`${o.id}/${rootId}/${memberId}`, `o-aaaaaaaaaa/${rootId}`, `${o.id}/${rootId}/${ouId}/${memberId}/${ouId}`]) {
      assert.throws(() => entityOfPath(o, path), (error: AwsError) => error.code === 'InvalidInputException', path);
    }
  });

  it('lists the services every SCP level allows, with the last use by the accounts below; unused services have none', async () => {
    const allowList = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 'kms:Get*'], Resource: '*' }] });
    const { Policy } = await call(store, 'CreatePolicy', { Name: 'allow-list', Description: '', Type: SCP, Content: allowList });
    await call(store, 'AttachPolicy', { PolicyId: Policy.PolicySummary.Id, TargetId: ouId });
    await call(store, 'DetachPolicy', { PolicyId: 'p-FullAWSAccess', TargetId: ouId });
    await recordServiceAccess(store, {
      accountId: memberId,
      principalArn: `arn:aws:iam::${memberId}:user/alice`,
      entityChain: [`arn:aws:iam::${memberId}:user/alice`],
      serviceNamespace: 'iam',
      action: 'ListUsers',
      region: 'eu-west-1',
      date: NOW,
    });
    const o = await org();
    const job = await organizationsAccessJob(store, o, `${o.id}/${rootId}/${ouId}`, undefined, NOW);
    assert.deepEqual(
      job.details.map((d) => d.ServiceNamespace),
      ['iam', 'kms'],
    );
    assert.deepEqual(job.details[0], {
      ServiceName: 'AWS Identity and Access Management (IAM)',
      ServiceNamespace: 'iam',
      Region: 'eu-west-1',
      EntityPath: `${o.id}/${rootId}/${ouId}/${memberId}`,
      LastAuthenticatedTime: NOW.toISOString(),
      TotalAuthenticatedEntities: 1,
    });
    assert.equal(job.details[1]!.LastAuthenticatedTime, undefined);
    assert.equal(job.details[1]!.TotalAuthenticatedEntities, 0);
    assert.deepEqual(sortedDetails(job.details, 'SERVICE_NAMESPACE_DESCENDING').map((d) => d.ServiceNamespace), ['kms', 'iam']);
    assert.ok(sortedDetails(job.details, undefined)[0]!.LastAuthenticatedTime instanceof Date);

    // The root itself is bound only by FullAWSAccess: every service.
    const ofRoot = await organizationsAccessJob(store, o, `${o.id}/${rootId}`, undefined, NOW);
    assert.ok(ofRoot.details.length > 100);
  });

  it('fails (JobStatus FAILED) when SCPs are not enabled in the root, as AWS requires them', async () => {
    await call(store, 'DisablePolicyType', { RootId: rootId, PolicyType: SCP });
    const o = await org();
    const job = await organizationsAccessJob(store, o, `${o.id}/${rootId}/${ouId}`, undefined, NOW);
    assert.equal(job.failure?.Code, 'PolicyTypeNotEnabledException');
    assert.deepEqual(job.details, []);
  });
});
