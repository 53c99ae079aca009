// CloudTrail's organization delegated administrator end to end with the SDK: the
// management account registers a member (Organizations then lists it for
// cloudtrail.amazonaws.com), and the member creates and manages organization trails that
// the management account owns, until it is deregistered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudTrailClient,
  CloudTrailServiceException,
  CreateTrailCommand,
  DeleteTrailCommand,
  DeregisterOrganizationDelegatedAdminCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  AddTagsCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  PutEventSelectorsCommand,
  RegisterOrganizationDelegatedAdminCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateUserCommand, GetRoleCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { EnableAWSServiceAccessCommand, ListDelegatedAdministratorsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { RunningServer } from '../../src/server/server.ts';
import { bucketObjects, logRecords, startDeliveringServer, waitFor } from '../helpers/cloudtrail-files.ts';
import { assertError, failure as anyFailure } from '../helpers/errors.ts';
import { clientConfig, createAccessKey, createMemberAccount, createOrganization, rootCredentials } from '../helpers/organizations.ts';
import { TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';

const failure = (promise: Promise<unknown>) => anyFailure(promise, CloudTrailServiceException);
const BUCKET = 'delegated-org-trails';
const ownedByManagement = (name: string) => `arn:aws:cloudtrail:${TEST_REGION}:${TEST_ACCOUNT}:trail/${name}`;

describe('CloudTrail organization delegated administrator', () => {
  let server: RunningServer;
  let dataDir: string;
  let closeServer: () => Promise<void>;
  let management: CloudTrailClient;
  let organizations: OrganizationsClient;
  let orgId: string;
  let rootId: string;
  let admin: string;
  let other: string;
  const clients: { destroy(): void }[] = [];
  /** A CloudTrail client acting as an account's root user. */
  const cloudTrailOf = (accountId: string) => {
    const client = new CloudTrailClient(clientConfig(server, rootCredentials(accountId)));
    clients.push(client);
    return client;
  };
  const register = (client: CloudTrailClient, accountId: string) =>
    client.send(new RegisterOrganizationDelegatedAdminCommand({ MemberAccountId: accountId }));
  const deregister = (client: CloudTrailClient, accountId: string) =>
    client.send(new DeregisterOrganizationDelegatedAdminCommand({ DelegatedAdminAccountId: accountId }));
  const cloudTrailAdministrators = async () =>
    (await organizations.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com' }))).DelegatedAdministrators!.map(
      (a) => a.Id,
    );

  before(async () => {
    ({ server, dataDir, close: closeServer } = await startDeliveringServer('ct-delegated'));
    management = cloudTrailOf(TEST_ACCOUNT);
    organizations = new OrganizationsClient(clientConfig(server));
    clients.push(organizations);
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await closeServer();
  });

  it('needs an organization, then CloudTrail trusted access (registering does not turn it on)', async () => {
    assertError(await failure(register(management, '111111111111')), 'OrganizationsNotInUseException', 400);
    ({ orgId, rootId } = await createOrganization(organizations));
    admin = await createMemberAccount(organizations, 'trail-admin', rootId);
    other = await createMemberAccount(organizations, 'other-member', rootId);
    assertError(await failure(register(management, admin)), 'CloudTrailAccessNotEnabledException', 400);
    assertError(await failure(deregister(management, admin)), 'CloudTrailAccessNotEnabledException', 400);
    assert.deepEqual(await cloudTrailAdministrators(), []);
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com' }));
  });

  it('is for the management account only: NotOrganizationManagementAccountException from a member', async () => {
    assertError(await failure(register(cloudTrailOf(other), admin)), 'NotOrganizationManagementAccountException', 400);
    assertError(await failure(deregister(cloudTrailOf(other), admin)), 'NotOrganizationManagementAccountException', 400);
  });

  it('refuses the management account itself and accounts outside the organization', async () => {
    assertError(await failure(register(management, TEST_ACCOUNT)), 'CannotDelegateManagementAccountException', 400);
    assertError(await failure(register(management, '999999999999')), 'AccountNotFoundException', 400);
    assertError(await failure(deregister(management, '999999999999')), 'AccountNotFoundException', 400);
  });

  it('registers the member with Organizations for cloudtrail.amazonaws.com, once, and gives the management account its service-linked role', async () => {
    await register(management, admin);
    assert.deepEqual(await cloudTrailAdministrators(), [admin]);
    assertError(await failure(register(management, admin)), 'AccountRegisteredException', 400);
    const iam = new IAMClient(clientConfig(server));
    clients.push(iam);
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForCloudTrail' }));
    assert.equal(Role!.Path, '/aws-service-role/cloudtrail.amazonaws.com/');
  });

  it("lets the delegated administrator create an organization trail, which the management account owns", async () => {
    const created = await cloudTrailOf(admin).send(
      new CreateTrailCommand({ Name: 'org-trail', S3BucketName: BUCKET, IsOrganizationTrail: true, IsMultiRegionTrail: true }),
    );
    assert.equal(created.TrailARN, ownedByManagement('org-trail'));
    assert.equal(created.IsOrganizationTrail, true);
    const { trailList } = await management.send(new DescribeTrailsCommand({}));
    assert.deepEqual(
      trailList!.map((t) => [t.TrailARN, t.IsOrganizationTrail]),
      [[ownedByManagement('org-trail'), true]],
    );
    const seen = await cloudTrailOf(other).send(new DescribeTrailsCommand({}));
    assert.deepEqual(seen.trailList!.map((t) => t.TrailARN), [ownedByManagement('org-trail')]);
  });

  it('lets the delegated administrator update the trail, by name or ARN, and change its event selectors and tags', async () => {
    const client = cloudTrailOf(admin);
    const updated = await client.send(new UpdateTrailCommand({ Name: 'org-trail', EnableLogFileValidation: true }));
    assert.equal(updated.TrailARN, ownedByManagement('org-trail'));
    assert.equal(updated.LogFileValidationEnabled, true);
    await client.send(new UpdateTrailCommand({ Name: ownedByManagement('org-trail'), S3KeyPrefix: 'org' }));
    const selectors = [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true }];
    await client.send(new PutEventSelectorsCommand({ TrailName: 'org-trail', EventSelectors: selectors }));
    const { trailList } = await management.send(new DescribeTrailsCommand({ trailNameList: ['org-trail'] }));
    assert.equal(trailList![0]!.S3KeyPrefix, 'org');
    assert.equal(trailList![0]!.LogFileValidationEnabled, true);
    const stored = await management.send(new GetEventSelectorsCommand({ TrailName: 'org-trail' }));
    assert.equal(stored.EventSelectors![0]!.ReadWriteType, 'WriteOnly');
    await client.send(new AddTagsCommand({ ResourceId: ownedByManagement('org-trail'), TagsList: [{ Key: 'team', Value: 'security' }] }));
    const { ResourceTagList } = await management.send(new ListTagsCommand({ ResourceIdList: [ownedByManagement('org-trail')] }));
    assert.deepEqual(ResourceTagList![0]!.TagsList, [{ Key: 'team', Value: 'security' }]);
  });

  it("lets the delegated administrator start logging: the organization's events are delivered to the management account's trail", async () => {
    const client = cloudTrailOf(admin);
    await client.send(new StartLoggingCommand({ Name: 'org-trail' }));
    assert.equal((await management.send(new GetTrailStatusCommand({ Name: 'org-trail' }))).IsLogging, true);
    const memberIam = new IAMClient(clientConfig(server, rootCredentials(other)));
    clients.push(memberIam);
    await memberIam.send(new CreateUserCommand({ UserName: 'logged-in-member' }));
    const prefix = `org/AWSLogs/${orgId}/${other}/CloudTrail/${TEST_REGION}/`;
    await waitFor("the member's CreateUser in the organization trail's bucket", () =>
      bucketObjects(dataDir, BUCKET).find((key) => {
        if (!key.startsWith(prefix)) return false;
        return logRecords<{ eventName: string }>(dataDir, BUCKET, key).some((r) => r.eventName === 'CreateUser');
      }),
    );
    await client.send(new StopLoggingCommand({ Name: 'org-trail' }));
    assert.equal((await management.send(new GetTrailStatusCommand({ Name: 'org-trail' }))).IsLogging, false);
  });

  it('does not let the delegated administrator convert a trail to or from an organization trail: NotOrganizationMasterAccountException', async () => {
    const client = cloudTrailOf(admin);
    assertError(await failure(client.send(new UpdateTrailCommand({ Name: 'org-trail', IsOrganizationTrail: false }))), 'NotOrganizationMasterAccountException', 400);
    await client.send(new CreateTrailCommand({ Name: 'own-trail', S3BucketName: BUCKET }));
    assertError(await failure(client.send(new UpdateTrailCommand({ Name: 'own-trail', IsOrganizationTrail: true }))), 'NotOrganizationMasterAccountException', 400);
    const { trailList } = await management.send(new DescribeTrailsCommand({ trailNameList: ['org-trail'] }));
    assert.equal(trailList![0]!.IsOrganizationTrail, true);
  });

  it('other members still cannot change, tag or create organization trails', async () => {
    const client = cloudTrailOf(other);
    const tagging = new AddTagsCommand({ ResourceId: ownedByManagement('org-trail'), TagsList: [{ Key: 'owner', Value: 'me' }] });
    assertError(await failure(client.send(tagging)), 'NotOrganizationMasterAccountException', 400);
    assertError(await failure(client.send(new UpdateTrailCommand({ Name: 'org-trail', EnableLogFileValidation: false }))), 'NotOrganizationMasterAccountException', 400);
    assertError(await failure(client.send(new StartLoggingCommand({ Name: ownedByManagement('org-trail') }))), 'NotOrganizationMasterAccountException', 400);
    assertError(
      await failure(client.send(new CreateTrailCommand({ Name: 'rogue', S3BucketName: BUCKET, IsOrganizationTrail: true }))),
      'NotOrganizationMasterAccountException',
      400,
    );
  });

  it('lets the delegated administrator delete an organization trail', async () => {
    const client = cloudTrailOf(admin);
    await client.send(new CreateTrailCommand({ Name: 'short-lived', S3BucketName: BUCKET, IsOrganizationTrail: true }));
    await client.send(new DeleteTrailCommand({ Name: ownedByManagement('short-lived') }));
    const { trailList } = await management.send(new DescribeTrailsCommand({}));
    assert.deepEqual(trailList!.map((t) => t.Name), ['org-trail']);
  });

  it('takes up to three delegated administrators: DelegatedAdminAccountLimitExceededException', async () => {
    const more = [];
    for (const name of ['second-admin', 'third-admin', 'fourth-admin']) more.push(await createMemberAccount(organizations, name, rootId));
    await register(management, more[0]!);
    await register(management, more[1]!);
    assertError(await failure(register(management, more[2]!)), 'DelegatedAdminAccountLimitExceededException', 400);
    await deregister(management, more[0]!);
    await deregister(management, more[1]!);
  });

  it('deregistering ends the administration but keeps the trails; a second deregistration is AccountNotRegisteredException', async () => {
    await deregister(management, admin);
    assert.deepEqual(await cloudTrailAdministrators(), []);
    assertError(await failure(deregister(management, admin)), 'AccountNotRegisteredException', 400);
    const client = cloudTrailOf(admin);
    assertError(await failure(client.send(new StartLoggingCommand({ Name: 'org-trail' }))), 'NotOrganizationMasterAccountException', 400);
    const { trailList } = await management.send(new DescribeTrailsCommand({}));
    assert.deepEqual(trailList!.map((t) => t.TrailARN), [ownedByManagement('org-trail')]);
  });

  it("needs Organizations' and IAM's permissions besides cloudtrail:RegisterOrganizationDelegatedAdmin, as AWS documents", async () => {
    const iam = new IAMClient(clientConfig(server));
    clients.push(iam);
    await iam.send(new CreateUserCommand({ UserName: 'trail-operator' }));
    const allow = (actions: string[]) =>
      iam.send(
        new PutUserPolicyCommand({
          UserName: 'trail-operator',
          PolicyName: 'register',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }),
        }),
      );
    await allow(['cloudtrail:RegisterOrganizationDelegatedAdmin']);
    const operator = new CloudTrailClient(clientConfig(server, await createAccessKey(iam, 'trail-operator')));
    clients.push(operator);
    const denied = await failure(register(operator, admin));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, /organizations:RegisterDelegatedAdministrator/);
    await allow([
      'cloudtrail:RegisterOrganizationDelegatedAdmin',
      'organizations:RegisterDelegatedAdministrator',
      'organizations:ListAWSServiceAccessForOrganization',
      'iam:GetRole',
    ]);
    await register(operator, admin);
    assert.deepEqual(await cloudTrailAdministrators(), [admin]);
  });

  it('an IAM user of the delegated administrator account needs cloudtrail:CreateTrail, decided in its own account', async () => {
    const iam = new IAMClient(clientConfig(server, rootCredentials(admin)));
    clients.push(iam);
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'describe',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:Describe*', Resource: '*' }] }),
      }),
    );
    const reader = new CloudTrailClient(clientConfig(server, await createAccessKey(iam, 'reader')));
    clients.push(reader);
    const denied = await failure(reader.send(new CreateTrailCommand({ Name: 'denied', S3BucketName: BUCKET, IsOrganizationTrail: true })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, new RegExp(`cloudtrail:CreateTrail on resource: ${ownedByManagement('denied')}`));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'create',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:CreateTrail', Resource: ownedByManagement('allowed') }] }),
      }),
    );
    const created = await reader.send(new CreateTrailCommand({ Name: 'allowed', S3BucketName: BUCKET, IsOrganizationTrail: true }));
    assert.equal(created.TrailARN, ownedByManagement('allowed'));
  });
});
