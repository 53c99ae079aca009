// Administering an organization beyond its management account, with the AWS SDK for
// JavaScript v3: trusted access and a delegated administrator that can read the
// organization, a resource-based delegation policy that opens chosen read-only actions
// to another member (evaluated as cross-account access) or the management of one policy
// type, effective policies, and a billing transfer between two organizations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AcceptHandshakeCommand,
  AccountAlreadyRegisteredException,
  AttachPolicyCommand,
  ConstraintViolationException,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DeleteResourcePolicyCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeEffectivePolicyCommand,
  DescribeResourcePolicyCommand,
  EffectivePolicyNotFoundException,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  InvalidInputException,
  InviteOrganizationToTransferResponsibilityCommand,
  ListAccountsCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListHandshakesForAccountCommand,
  ListInboundResponsibilityTransfersCommand,
  ListOutboundResponsibilityTransfersCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  PutResourcePolicyCommand,
  RegisterDelegatedAdministratorCommand,
  TerminateResponsibilityTransferCommand,
} from '@aws-sdk/client-organizations';
import type { RunningServer } from '../../src/server/server.ts';
import { rejectsWith } from '../helpers/errors.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const GUARDDUTY = 'guardduty.amazonaws.com';

describe('Organizations administration with the AWS SDK for JavaScript v3', () => {
  let server: RunningServer;
  let organizations: OrganizationsClient;
  let rootId: string;
  let securityId: string;
  let workloadId: string;
  const clientConfig = () => ({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  /** An Organizations client signed by the root user of `accountId` (a 12-digit key Bulwark did not issue acts as that root). */
  const rootOf = (accountId: string) => new OrganizationsClient({ ...clientConfig(), credentials: { accessKeyId: accountId, secretAccessKey: 'x' } });

  async function createAccount(name: string): Promise<string> {
    const { CreateAccountStatus } = await organizations.send(new CreateAccountCommand({ Email: `${name}@example.com`, AccountName: name }));
    const done = await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }));
    return done.CreateAccountStatus!.AccountId!;
  }

  before(async () => {
    server = await startTestServer();
    organizations = new OrganizationsClient(clientConfig());
    await organizations.send(new CreateOrganizationCommand({}));
    rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    securityId = await createAccount('security');
    workloadId = await createAccount('workload');
  });
  after(() => server.close());

  it('trusted access and a delegated administrator, who may then read the organization', async () => {
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: GUARDDUTY }));
    const { EnabledServicePrincipals } = await organizations.send(new ListAWSServiceAccessForOrganizationCommand({}));
    assert.equal(EnabledServicePrincipals?.[0]?.ServicePrincipal, GUARDDUTY);
    assert.ok(EnabledServicePrincipals?.[0]?.DateEnabled instanceof Date);

    await assert.rejects(rootOf(securityId).send(new ListAccountsCommand({})), rejectsWith('AccessDeniedException'));
    await organizations.send(new RegisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: GUARDDUTY }));
    await assert.rejects(
      organizations.send(new RegisterDelegatedAdministratorCommand({ AccountId: securityId, ServicePrincipal: GUARDDUTY })),
      AccountAlreadyRegisteredException,
    );
    await assert.rejects(organizations.send(new RegisterDelegatedAdministratorCommand({ AccountId: TEST_ACCOUNT, ServicePrincipal: GUARDDUTY })), (error: unknown) => {
      assert.ok(error instanceof ConstraintViolationException);
      assert.equal(error.Reason, 'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR');
      return true;
    });
    await assert.rejects(organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'nosuch.amazonaws.com' })), (error: unknown) => {
      assert.ok(error instanceof InvalidInputException);
      assert.equal(error.Reason, 'UNRECOGNIZED_SERVICE_PRINCIPAL');
      return true;
    });

    const { DelegatedAdministrators } = await organizations.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: GUARDDUTY }));
    assert.deepEqual(DelegatedAdministrators?.map((admin) => [admin.Id, admin.Name, admin.Status]), [[securityId, 'security', 'ACTIVE']]);
    assert.ok(DelegatedAdministrators?.[0]?.DelegationEnabledDate instanceof Date);

    // The delegated administrator reads on its own IAM permissions (its root user here).
    const security = rootOf(securityId);
    assert.equal((await security.send(new ListAccountsCommand({}))).Accounts?.length, 3);
    const { DelegatedServices } = await security.send(new ListDelegatedServicesForAccountCommand({ AccountId: securityId }));
    assert.deepEqual(DelegatedServices?.map((service) => service.ServicePrincipal), [GUARDDUTY]);
    await assert.rejects(security.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'sso.amazonaws.com' })), rejectsWith('AccessDeniedException'));
  });

  it('a delegation policy opens the actions it names to another member: its IAM policies and the delegation policy must both allow', async () => {
    const workload = rootOf(workloadId);
    await assert.rejects(workload.send(new ListAccountsCommand({})), rejectsWith('AccessDeniedException'));

    const content = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DelegatingNecessaryDescribeListActions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${workloadId}:root` },
          Action: ['organizations:ListAccounts', 'organizations:ListRoots'],
          Resource: '*',
        },
      ],
    });
    const { ResourcePolicy } = await organizations.send(new PutResourcePolicyCommand({ Content: content }));
    assert.match(ResourcePolicy!.ResourcePolicySummary!.Arn!, new RegExp(`^arn:aws:organizations::${TEST_ACCOUNT}:resourcepolicy/o-[a-z0-9]{10}/rp-`));
    assert.equal((await organizations.send(new DescribeResourcePolicyCommand({}))).ResourcePolicy?.Content, content);

    assert.equal((await workload.send(new ListAccountsCommand({}))).Accounts?.length, 3);
    assert.equal((await workload.send(new ListRootsCommand({}))).Roots?.[0]?.Id, rootId);
    // An action the policy does not name stays closed.
    await assert.rejects(workload.send(new DescribeAccountCommand({ AccountId: securityId })), rejectsWith('AccessDeniedException'));

    // A user of the member account needs its own IAM permission too (cross-account access).
    const workloadIam = new IAMClient({ ...clientConfig(), credentials: { accessKeyId: workloadId, secretAccessKey: 'x' } });
    await workloadIam.send(new CreateUserCommand({ UserName: 'reader' }));
    const { AccessKey } = await workloadIam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    const reader = new OrganizationsClient({
      ...clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    await assert.rejects(reader.send(new ListAccountsCommand({})), rejectsWith('AccessDeniedException'));

    await organizations.send(new DeleteResourcePolicyCommand({}));
    await assert.rejects(workload.send(new ListAccountsCommand({})), rejectsWith('AccessDeniedException'));
  });

  it('a delegation policy can hand one policy type\'s management to a member (organizations:PolicyType)', async () => {
    await organizations.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'BACKUP_POLICY' }));
    await organizations.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const content = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DelegatingBackupPolicies',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${securityId}:root` },
          Action: ['organizations:CreatePolicy', 'organizations:AttachPolicy'],
          Resource: '*',
          Condition: { StringEquals: { 'organizations:PolicyType': 'BACKUP_POLICY' } },
        },
      ],
    });
    await organizations.send(new PutResourcePolicyCommand({ Content: content }));
    const security = rootOf(securityId);
    const backup = JSON.stringify({ plans: { daily: { regions: { '@@assign': ['us-east-1'] } } } });
    const { Policy } = await security.send(new CreatePolicyCommand({ Name: 'daily', Description: 'd', Type: 'BACKUP_POLICY', Content: backup }));
    await security.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: workloadId }));
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    await assert.rejects(
      security.send(new CreatePolicyCommand({ Name: 'no-s3', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: deny })),
      rejectsWith('AccessDeniedException'),
    );
    const { EffectivePolicy } = await organizations.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BACKUP_POLICY', TargetId: workloadId }));
    assert.deepEqual(JSON.parse(EffectivePolicy!.PolicyContent!), { plans: { daily: { regions: ['us-east-1'] } } });
    await organizations.send(new DeleteResourcePolicyCommand({}));
  });

  it('a billing transfer between two organizations: invited, accepted by the other management account, withdrawn', async () => {
    const otherManagement = '210987654321';
    const other = rootOf(otherManagement);
    await other.send(new CreateOrganizationCommand({}));
    const now = new Date();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
    const { Handshake } = await organizations.send(
      new InviteOrganizationToTransferResponsibilityCommand({
        Type: 'BILLING',
        Target: { Id: otherManagement, Type: 'ACCOUNT' },
        StartTimestamp: start,
        SourceName: 'partner',
      }),
    );
    assert.equal(Handshake?.Action, 'TRANSFER_RESPONSIBILITY');
    const received = await other.send(new ListHandshakesForAccountCommand({}));
    assert.deepEqual(received.Handshakes?.map((handshake) => handshake.Id), [Handshake!.Id]);
    await other.send(new AcceptHandshakeCommand({ HandshakeId: Handshake!.Id! }));

    const inbound = (await organizations.send(new ListInboundResponsibilityTransfersCommand({ Type: 'BILLING' }))).ResponsibilityTransfers!;
    assert.deepEqual(inbound.map((transfer) => [transfer.Status, transfer.Source?.ManagementAccountId]), [['ACCEPTED', otherManagement]]);
    assert.equal(inbound[0]!.StartTimestamp?.toISOString(), start.toISOString());
    const outbound = (await other.send(new ListOutboundResponsibilityTransfersCommand({ Type: 'BILLING' }))).ResponsibilityTransfers!;
    assert.match(outbound[0]!.Arn!, new RegExp(`^arn:aws:organizations::${otherManagement}:transfer/o-[a-z0-9]{10}/billing/outbound/rt-`));
    const { ResponsibilityTransfer } = await other.send(new TerminateResponsibilityTransferCommand({ Id: outbound[0]!.Id! }));
    assert.equal(ResponsibilityTransfer?.Status, 'WITHDRAWN');
    assert.ok(ResponsibilityTransfer?.EndTimestamp instanceof Date);
  });

  it('effective tag policies merge the root, OU and account policies; a member reads its own', async () => {
    const ouId = (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'marketing' }))).OrganizationalUnit!.Id!;
    await organizations.send(new MoveAccountCommand({ AccountId: workloadId, SourceParentId: rootId, DestinationParentId: ouId }));
    await assert.rejects(
      organizations.send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: workloadId })),
      EffectivePolicyNotFoundException,
    );
    await organizations.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'TAG_POLICY' }));
    const attach = async (name: string, content: object, targetId: string) => {
      const { Policy } = await organizations.send(new CreatePolicyCommand({ Name: name, Description: name, Type: 'TAG_POLICY', Content: JSON.stringify(content) }));
      await organizations.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: targetId }));
    };
    await attach('root', { tags: { costcenter: { tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['Development', 'Support'] } } } }, rootId);
    await attach('ou', { tags: { costcenter: { tag_value: { '@@append': ['Marketing'] } } } }, ouId);
    await attach('account', { tags: { costcenter: { tag_value: { '@@remove': ['Development'] } } } }, workloadId);

    const { EffectivePolicy } = await organizations.send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: workloadId }));
    assert.equal(EffectivePolicy?.TargetId, workloadId);
    const expected = { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Support', 'Marketing'] } } };
    assert.deepEqual(JSON.parse(EffectivePolicy!.PolicyContent!), expected);
    const own = await rootOf(workloadId).send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY' }));
    assert.deepEqual(JSON.parse(own.EffectivePolicy!.PolicyContent!), expected);

    await assert.rejects(organizations.send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: ouId })), (error: unknown) => {
      assert.ok(error instanceof InvalidInputException);
      assert.equal(error.Reason, 'TARGET_NOT_SUPPORTED');
      return true;
    });
  });
});
