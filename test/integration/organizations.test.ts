// AWS Organizations end to end with the AWS SDK for JavaScript v3: an organization, an
// OU tree three levels deep, a created account moved into it, an SCP attached, and the
// management account reaching the new account through OrganizationAccountAccessRole.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListRolesCommand, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand,
  AWSOrganizationsNotInUseException,
  ConstraintViolationException,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  DuplicatePolicyAttachmentException,
  EnablePolicyTypeCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

describe('AWS Organizations with the AWS SDK for JavaScript v3', () => {
  let server: RunningServer;
  let organizations: OrganizationsClient;
  const clientConfig = () => ({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  before(async () => {
    server = await startTestServer();
    organizations = new OrganizationsClient(clientConfig());
  });
  after(() => server.close());

  it('an account in no organization: AWSOrganizationsNotInUseException', async () => {
    await assert.rejects(organizations.send(new DescribeOrganizationCommand({})), AWSOrganizationsNotInUseException);
  });

  it('builds an organization, a three-level OU tree, a new account in it and an attached SCP; the management account assumes OrganizationAccountAccessRole', async () => {
    const { Organization } = await organizations.send(new CreateOrganizationCommand({}));
    assert.equal(Organization?.MasterAccountId, TEST_ACCOUNT);
    assert.equal(Organization?.FeatureSet, 'ALL');
    const rootId = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
    assert.ok(rootId);

    let parentId = rootId;
    const units: string[] = [];
    for (const name of ['workloads', 'prod', 'payments']) {
      const { OrganizationalUnit } = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }));
      assert.equal(OrganizationalUnit?.Name, name);
      units.push(OrganizationalUnit!.Id!);
      parentId = OrganizationalUnit!.Id!;
    }

    const { CreateAccountStatus: started } = await organizations.send(new CreateAccountCommand({ Email: 'payments@example.com', AccountName: 'payments' }));
    assert.equal(started?.State, 'IN_PROGRESS');
    const { CreateAccountStatus: done } = await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started!.Id! }));
    assert.equal(done?.State, 'SUCCEEDED');
    assert.ok(done?.CompletedTimestamp instanceof Date);
    const accountId = done!.AccountId!;
    assert.match(accountId, /^\d{12}$/);

    await organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: units[2] }));
    const { Parents } = await organizations.send(new ListParentsCommand({ ChildId: accountId }));
    assert.deepEqual(Parents, [{ Id: units[2], Type: 'ORGANIZATIONAL_UNIT' }]);
    const { Children } = await organizations.send(new ListChildrenCommand({ ParentId: units[1], ChildType: 'ORGANIZATIONAL_UNIT' }));
    assert.deepEqual(Children, [{ Id: units[2], Type: 'ORGANIZATIONAL_UNIT' }]);

    await organizations.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] });
    const { Policy } = await organizations.send(
      new CreatePolicyCommand({ Name: 'no-ec2', Description: 'No EC2 in payments', Type: 'SERVICE_CONTROL_POLICY', Content: content }),
    );
    const policyId = Policy!.PolicySummary!.Id!;
    await organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: units[0] }));
    await assert.rejects(organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: units[0] })), DuplicatePolicyAttachmentException);
    const { Policies } = await organizations.send(new ListPoliciesForTargetCommand({ TargetId: units[0], Filter: 'SERVICE_CONTROL_POLICY' }));
    assert.deepEqual(Policies?.map((p) => p.Name).sort(), ['FullAWSAccess', 'no-ec2']);

    // Root users cannot assume roles (as on AWS): an administrator of the management account does.
    const iam = new IAMClient(clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'org-admin' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'org-admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'org-admin' }));
    const adminSts = new STSClient({
      ...clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    const { Credentials } = await adminSts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'admin' }),
    );
    const memberSts = new STSClient({
      ...clientConfig(),
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
    });
    const identity = await memberSts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, accountId);
    assert.equal(identity.Arn, `arn:aws:sts::${accountId}:assumed-role/OrganizationAccountAccessRole/admin`);

    // An SCP on a middle OU binds the member account's role sessions and its root user,
    // never the management account.
    const denyList = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }] });
    const { Policy: noList } = await organizations.send(new CreatePolicyCommand({ Name: 'no-list-users', Description: 'x', Type: 'SERVICE_CONTROL_POLICY', Content: denyList }));
    await organizations.send(new AttachPolicyCommand({ PolicyId: noList!.PolicySummary!.Id!, TargetId: units[1] }));
    const memberIam = new IAMClient({ ...clientConfig(), credentials: await memberSts.config.credentials() });
    const { Roles } = await memberIam.send(new ListRolesCommand({}));
    // The new account of an organization with all features has Organizations' service-linked role.
    assert.deepEqual(Roles?.map((r) => `${r.Path}${r.RoleName}`).sort(), [
      '/OrganizationAccountAccessRole',
      '/aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations',
    ]);
    await assert.rejects(memberIam.send(new ListUsersCommand({})), (e: any) => {
      assert.equal(e.name, 'AccessDenied');
      assert.match(e.message, /is not authorized to perform: iam:ListUsers with an explicit deny in a service control policy/);
      return true;
    });
    const memberRoot = new IAMClient({ ...clientConfig(), credentials: { accessKeyId: accountId, secretAccessKey: 'x' } });
    await assert.rejects(memberRoot.send(new ListUsersCommand({})), /explicit deny in a service control policy/);
    await iam.send(new ListUsersCommand({}));
  });

  it('CreateAccount by a user without iam:CreateServiceLinkedRole: AccessDeniedForDependencyException, and no account', async () => {
    const iam = new IAMClient(clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'account-maker' }));
    const allowCreate = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['organizations:CreateAccount', 'organizations:ListAccounts'], Resource: '*' }] };
    await iam.send(new PutUserPolicyCommand({ UserName: 'account-maker', PolicyName: 'create', PolicyDocument: JSON.stringify(allowCreate) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'account-maker' }));
    const maker = new OrganizationsClient({ ...clientConfig(), credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
    const before = (await maker.send(new ListAccountsCommand({}))).Accounts?.length;
    await assert.rejects(maker.send(new CreateAccountCommand({ Email: 'denied@example.com', AccountName: 'denied' })), (e: Error & { Reason?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'AccessDeniedForDependencyException');
      assert.equal(e.Reason, 'ACCESS_DENIED_DURING_CREATE_SERVICE_LINKED_ROLE');
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.match(e.message, /iam:CreateServiceLinkedRole for organizations\.amazonaws\.com/);
      return true;
    });
    assert.equal((await maker.send(new ListAccountsCommand({}))).Accounts?.length, before);
  });

  it('an OU six levels deep: ConstraintViolationException with Reason OU_DEPTH_LIMIT_EXCEEDED', async () => {
    const rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    let parentId = rootId;
    for (let depth = 1; depth <= 5; depth++) {
      parentId = (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: `deep-${depth}` }))).OrganizationalUnit!.Id!;
    }
    await assert.rejects(organizations.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: 'too-deep' })), (error: unknown) => {
      assert.ok(error instanceof ConstraintViolationException);
      assert.equal(error.Reason, 'OU_DEPTH_LIMIT_EXCEEDED');
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
  });
});
