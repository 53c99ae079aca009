// Two real accounts over the wire: the management account invites account B, B answers
// with its own credentials (its root user, then an IAM user of its own), B appears in
// the organization under its SCPs, and leaves it again (removed, then by itself). The
// AWS CLI and boto3 send and decline an invitation too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, GetRoleCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  AcceptHandshakeCommand,
  AttachPolicyCommand,
  AWSOrganizationsNotInUseException,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DescribeHandshakeCommand,
  DescribeOrganizationCommand,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
  HandshakeConstraintViolationException,
  InviteAccountToOrganizationCommand,
  LeaveOrganizationCommand,
  ListAccountsCommand,
  ListHandshakesForAccountCommand,
  ListRootsCommand,
  OrganizationsClient,
  RemoveAccountFromOrganizationCommand,
} from '@aws-sdk/client-organizations';
import type { RunningServer } from '../../src/server/server.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);
/** Account B: an access key id Bulwark did not issue that is a 12-digit id acts as that account's root user. */
const ACCOUNT_B = '210987654321';

const DECLINE_WITH_BOTO3 = `
import json, sys, boto3
b = boto3.client('organizations', endpoint_url=sys.argv[1])
pending = b.list_handshakes_for_account(Filter={'ActionType': 'INVITE'})['Handshakes']
open_ids = [h['Id'] for h in pending if h['State'] == 'OPEN']
declined = b.decline_handshake(HandshakeId=open_ids[0])['Handshake']
print(json.dumps({'open': len(open_ids), 'state': declined['State'], 'parties': sorted(p['Type'] for p in declined['Parties'])}))
`;

describe('Organizations handshakes with two accounts (AWS SDK for JavaScript v3, AWS CLI, boto3)', () => {
  let server: RunningServer;
  let management: OrganizationsClient;
  let rootB: OrganizationsClient;
  const config = (credentials = DUMMY_CREDENTIALS) => ({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  before(async () => {
    server = await startTestServer();
    management = new OrganizationsClient(config());
    rootB = new OrganizationsClient(config({ accessKeyId: ACCOUNT_B, secretAccessKey: 'x' }));
  });
  after(() => server.close());

  const invite = async () =>
    (await management.send(new InviteAccountToOrganizationCommand({ Target: { Id: ACCOUNT_B, Type: 'ACCOUNT' } }))).Handshake!;

  it('B accepts with an IAM user allowed on the handshake, joins as INVITED under the SCPs, is removed and is free of them', async () => {
    await management.send(new CreateOrganizationCommand({}));
    const rootId = (await management.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    await management.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const denyListUsers = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }] });
    const { Policy } = await management.send(
      new CreatePolicyCommand({ Name: 'no-list-users', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: denyListUsers }),
    );
    await management.send(new AttachPolicyCommand({ PolicyId: Policy!.PolicySummary!.Id!, TargetId: rootId }));

    const sent = await invite();
    assert.equal(sent.State, 'OPEN');
    const { Handshakes } = await rootB.send(new ListHandshakesForAccountCommand({}));
    assert.deepEqual(Handshakes?.map((h) => [h.Id, h.Action, h.State]), [[sent.Id, 'INVITE', 'OPEN']]);

    // An IAM user of B needs organizations:AcceptHandshake on the handshake's ARN.
    const iamB = new IAMClient(config({ accessKeyId: ACCOUNT_B, secretAccessKey: 'x' }));
    await iamB.send(new CreateUserCommand({ UserName: 'joiner' }));
    const { AccessKey } = await iamB.send(new CreateAccessKeyCommand({ UserName: 'joiner' }));
    const joiner = new OrganizationsClient(config({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    await assert.rejects(joiner.send(new AcceptHandshakeCommand({ HandshakeId: sent.Id })), (error: Error) => {
      assert.equal(error.name, 'AccessDeniedException');
      assert.match(error.message, /organizations:AcceptHandshake/);
      return true;
    });
    const allowAccept = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'organizations:AcceptHandshake', Resource: sent.Arn }] };
    await iamB.send(new PutUserPolicyCommand({ UserName: 'joiner', PolicyName: 'accept', PolicyDocument: JSON.stringify(allowAccept) }));
    // ... and, the organization having all features, iam:CreateServiceLinkedRole for Organizations' role.
    await assert.rejects(joiner.send(new AcceptHandshakeCommand({ HandshakeId: sent.Id })), (error: Error & { Reason?: string }) => {
      assert.equal(error.name, 'AccessDeniedForDependencyException');
      assert.equal(error.Reason, 'ACCESS_DENIED_DURING_CREATE_SERVICE_LINKED_ROLE');
      return true;
    });
    const allowRole = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: '*', Condition: { StringEquals: { 'iam:AWSServiceName': 'organizations.amazonaws.com' } } }],
    };
    await iamB.send(new PutUserPolicyCommand({ UserName: 'joiner', PolicyName: 'service-linked-role', PolicyDocument: JSON.stringify(allowRole) }));
    const { Handshake: accepted } = await joiner.send(new AcceptHandshakeCommand({ HandshakeId: sent.Id }));
    assert.equal(accepted?.State, 'ACCEPTED');
    const { Role: linked } = await iamB.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForOrganizations' }));
    assert.equal(linked?.Path, '/aws-service-role/organizations.amazonaws.com/', "Organizations made its service-linked role in B");

    const { Accounts } = await management.send(new ListAccountsCommand({}));
    const memberB = Accounts?.find((account) => account.Id === ACCOUNT_B);
    assert.equal(memberB?.JoinedMethod, 'INVITED');
    assert.equal(memberB?.State, 'ACTIVE');
    assert.equal((await rootB.send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId, TEST_ACCOUNT);
    // As a member, B's root user is bound by the organization's SCPs.
    await assert.rejects(iamB.send(new ListUsersCommand({})), /explicit deny in a service control policy/);

    // The sender sees the answer.
    const second = await management.send(new DescribeHandshakeCommand({ HandshakeId: sent.Id }));
    assert.equal(second.Handshake?.State, 'ACCEPTED');

    await management.send(new RemoveAccountFromOrganizationCommand({ AccountId: ACCOUNT_B }));
    assert.ok(!(await management.send(new ListAccountsCommand({}))).Accounts?.some((account) => account.Id === ACCOUNT_B));
    await assert.rejects(rootB.send(new DescribeOrganizationCommand({})), AWSOrganizationsNotInUseException);
    assert.deepEqual((await iamB.send(new ListUsersCommand({}))).Users?.map((user) => user.UserName), ['joiner']);
  });

  it('B rejoins with its root user and leaves by itself once no SCP denies it; an account in another organization cannot accept', async () => {
    const sent = await invite();
    await rootB.send(new AcceptHandshakeCommand({ HandshakeId: sent.Id }));
    // An SCP can keep members from leaving, as AWS warns.
    const denyLeave = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] });
    const { Policy } = await management.send(new CreatePolicyCommand({ Name: 'stay', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: denyLeave }));
    const stay = { PolicyId: Policy!.PolicySummary!.Id!, TargetId: ACCOUNT_B };
    await management.send(new AttachPolicyCommand(stay));
    await assert.rejects(rootB.send(new LeaveOrganizationCommand({})), /explicit deny in a service control policy/);
    await management.send(new DetachPolicyCommand(stay));
    await rootB.send(new LeaveOrganizationCommand({}));
    await assert.rejects(rootB.send(new DescribeOrganizationCommand({})), AWSOrganizationsNotInUseException);

    const again = await invite();
    await rootB.send(new CreateOrganizationCommand({}));
    await assert.rejects(rootB.send(new AcceptHandshakeCommand({ HandshakeId: again.Id })), (error: unknown) => {
      assert.ok(error instanceof HandshakeConstraintViolationException);
      assert.equal(error.Reason, 'ALREADY_IN_AN_ORGANIZATION');
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  it('AWS CLI invites with --target shorthand; boto3, as B, lists and declines', async () => {
    const { stdout } = await run(
      'aws',
      ['organizations', 'invite-account-to-organization', '--endpoint-url', server.url, '--target', 'Id=dev@example.com,Type=EMAIL', '--notes', 'from the CLI'],
      { env: awsEnv() },
    );
    const handshake = JSON.parse(stdout).Handshake;
    assert.equal(handshake.Action, 'INVITE');
    assert.deepEqual(handshake.Resources.at(-1), { Type: 'NOTES', Value: 'from the CLI' });

    // B still has the invitation it could not accept (it runs its own organization now): it declines it.
    const { stdout: declined } = await run('python3', ['-c', DECLINE_WITH_BOTO3, server.url], {
      env: awsEnv({ AWS_ACCESS_KEY_ID: ACCOUNT_B, AWS_SECRET_ACCESS_KEY: 'x' }),
    });
    assert.deepEqual(JSON.parse(declined), { open: 1, state: 'DECLINED', parties: ['ACCOUNT', 'ORGANIZATION'] });
  });
});
