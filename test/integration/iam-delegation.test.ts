// IAM temporary delegation end to end: the AWS SDK for JavaScript v3 against a real
// Bulwark server walks delegation requests through their life cycle, with the policy
// engine deciding who may act (the owner's default permissions included).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AcceptDelegationRequestCommand,
  AssociateDelegationRequestCommand,
  CreateAccessKeyCommand,
  CreateDelegationRequestCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetDelegationRequestCommand,
  GetHumanReadableSummaryCommand,
  IAMClient,
  ListDelegationRequestsCommand,
  PutUserPolicyCommand,
  RejectDelegationRequestCommand,
  SendDelegationTokenCommand,
  UpdateDelegationRequestCommand,
  type CreateDelegationRequestCommandInput,
} from '@aws-sdk/client-iam';
import type { RunningServer } from '../../src/server/server.ts';
import { failure } from '../helpers/errors.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';


const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const REQUESTS = `arn:aws:iam::${TEST_ACCOUNT}:delegation-request/*`;

describe('IAM delegation requests with the AWS SDK', () => {
  let server: RunningServer;
  let root: IAMClient;
  const clients: IAMClient[] = [];
  let templateArn: string;
  let workflow = 0;

  /** An IAM user with an access key, its client, and optionally an inline policy. */
  async function newUser(userName: string, permissions?: string) {
    const { User } = await root.send(new CreateUserCommand({ UserName: userName }));
    if (permissions) await root.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'delegation', PolicyDocument: permissions }));
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: userName }));
    const client = new IAMClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    clients.push(client);
    return { arn: User!.Arn!, iam: client };
  }

  const request = (overrides: Partial<CreateDelegationRequestCommandInput> = {}) =>
    new CreateDelegationRequestCommand({
      OwnerAccountId: TEST_ACCOUNT,
      Description: 'Configure log delivery for the partner product',
      Permissions: { PolicyTemplateArn: templateArn, Parameters: [{ Name: 'BucketName', Values: ['partner-logs'], Type: 'string' }] },
      RequestorWorkflowId: `workflow-${++workflow}`,
      NotificationChannel: `arn:aws:sns:us-east-1:${TEST_ACCOUNT}:partner-notifications`,
      SessionDuration: 3600,
      ...overrides,
    });

  before(async () => {
    server = await startTestServer();
    root = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    const { Policy } = await root.send(
      new CreatePolicyCommand({
        PolicyName: 'PartnerLogDelivery',
        Path: '/delegation-templates/',
        PolicyDocument: policy({ Effect: 'Allow', Action: ['s3:PutBucketPolicy', 's3:GetBucketPolicy'], Resource: 'arn:aws:s3:::{{BucketName}}' }),
      }),
    );
    templateArn = Policy!.Arn!;
  });
  after(async () => {
    for (const client of [root, ...clients]) client.destroy();
    await server.close();
  });

  it('a request is created, claimed, forwarded, accepted and finalized, each by the party allowed to', async () => {
    const created = await root.send(request({ OnlySendByOwner: true }));
    const id = created.DelegationRequestId!;
    assert.ok(created.ConsoleDeepLink!.includes(id));

    // Alice has no IAM policy: the targeted account's default permissions let her read and claim it.
    const alice = await newUser('alice');
    const seen = await alice.iam.send(new GetDelegationRequestCommand({ DelegationRequestId: id }));
    assert.equal(seen.DelegationRequest!.State, 'UNASSIGNED');
    assert.equal(seen.DelegationRequest!.PermissionPolicy, policy({ Effect: 'Allow', Action: ['s3:PutBucketPolicy', 's3:GetBucketPolicy'], Resource: 'arn:aws:s3:::partner-logs' }));
    // Whoever may read the request may read its summary (GetHumanReadableSummary).
    const summary = await alice.iam.send(new GetHumanReadableSummaryCommand({ EntityArn: `arn:aws:iam::${TEST_ACCOUNT}:delegation-request/${id}` }));
    assert.equal(summary.SummaryState, 'AVAILABLE');
    assert.equal(
      summary.SummaryContent,
      'This delegation request asks for one permission:\n- Allows s3:PutBucketPolicy, s3:GetBucketPolicy on arn:aws:s3:::partner-logs.',
    );
    await alice.iam.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    const claimed = await alice.iam.send(new GetDelegationRequestCommand({ DelegationRequestId: id, DelegationPermissionCheck: true }));
    assert.equal(claimed.DelegationRequest!.State, 'ASSIGNED');
    assert.equal(claimed.DelegationRequest!.OwnerId, alice.arn);
    assert.equal(claimed.PermissionCheckStatus, 'COMPLETE');
    assert.equal(claimed.PermissionCheckResult, 'DENIED');

    // As the owner she may forward it, but approving takes iam:AcceptDelegationRequest.
    await alice.iam.send(new UpdateDelegationRequestCommand({ DelegationRequestId: id, Notes: 'Needed for the log pipeline' }));
    const refused = await failure(alice.iam.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id })));
    assert.equal(refused.name, 'AccessDenied');
    assert.equal(refused.$metadata.httpStatusCode, 403);
    assert.match(refused.message, /iam:AcceptDelegationRequest/);

    const admin = await newUser(
      'admin',
      policy({ Effect: 'Allow', Action: ['iam:AcceptDelegationRequest', 'iam:RejectDelegationRequest', 'iam:SendDelegationToken', 'iam:GetDelegationRequest'], Resource: REQUESTS }),
    );
    const pending = await admin.iam.send(new GetDelegationRequestCommand({ DelegationRequestId: id }));
    assert.equal(pending.DelegationRequest!.State, 'PENDING_APPROVAL');
    assert.equal(pending.DelegationRequest!.Notes, 'Needed for the log pipeline');
    await admin.iam.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id }));

    // OnlySendByOwner: the admin may not release the token; Alice, once allowed to, may.
    const notOwner = await failure(admin.iam.send(new SendDelegationTokenCommand({ DelegationRequestId: id })));
    assert.equal(notOwner.name, 'AccessDenied');
    await root.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'send', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:SendDelegationToken', Resource: REQUESTS }) }));
    await alice.iam.send(new SendDelegationTokenCommand({ DelegationRequestId: id }));

    const done = (await root.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    assert.equal(done.State, 'FINALIZED');
    assert.equal(done.ApproverId, admin.arn);
    assert.equal(done.OwnerId, alice.arn);
    assert.ok(done.ExpirationTime instanceof Date && done.UpdatedTime instanceof Date);

    const listed = await root.send(new ListDelegationRequestsCommand({ OwnerId: alice.arn }));
    assert.deepEqual(listed.DelegationRequests!.map((entry) => entry.DelegationRequestId), [id]);
    assert.equal(listed.isTruncated, false);
  });

  it('a request is rejected with a reason and then stays rejected', async () => {
    const id = (await root.send(request())).DelegationRequestId!;
    await root.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    await root.send(new RejectDelegationRequestCommand({ DelegationRequestId: id, Notes: 'Not this quarter' }));
    const rejected = (await root.send(new GetDelegationRequestCommand({ DelegationRequestId: id }))).DelegationRequest!;
    assert.equal(rejected.State, 'REJECTED');
    assert.equal(rejected.RejectionReason, 'Not this quarter');
    const again = await failure(root.send(new AcceptDelegationRequestCommand({ DelegationRequestId: id })));
    assert.equal(again.name, 'ConcurrentModificationException');
    assert.equal(again.$metadata.httpStatusCode, 409);
  });

  it("answers AWS's errors: NoSuchEntity, EntityAlreadyExists, InvalidInput, ConcurrentModification", async () => {
    const missing = await failure(root.send(new GetDelegationRequestCommand({ DelegationRequestId: 'dr-0000000000000000' })));
    assert.equal(missing.name, 'NoSuchEntityException');
    assert.equal(missing.$metadata.httpStatusCode, 404);

    await root.send(request({ RequestorWorkflowId: 'workflow-dup' }));
    const duplicate = await failure(root.send(request({ RequestorWorkflowId: 'workflow-dup' })));
    assert.equal(duplicate.name, 'EntityAlreadyExistsException');
    assert.equal(duplicate.$metadata.httpStatusCode, 409);

    const badChannel = await failure(root.send(request({ NotificationChannel: 'not-a-topic' })));
    assert.equal(badChannel.name, 'InvalidInputException');
    assert.equal(badChannel.$metadata.httpStatusCode, 400);

    const tooShort = await failure(root.send(request({ SessionDuration: 60 })));
    assert.equal(tooShort.$metadata.httpStatusCode, 400);

    const id = (await root.send(request())).DelegationRequestId!;
    await root.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id }));
    const twice = await failure(root.send(new AssociateDelegationRequestCommand({ DelegationRequestId: id })));
    assert.equal(twice.name, 'ConcurrentModificationException');
  });
});
