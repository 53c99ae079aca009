// Two Bulwark nodes on one PostgreSQL database behave as one service: what is written
// through one is at once usable through the other, uniqueness holds across them, and
// a policy change made through one takes effect on the other within a second, and so
// does a trail starting to log.
// Runs when BULWARK_TEST_POSTGRES_URL is set (see scripts/ci-postgres.sh).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { bucketObjects, logRecords, waitFor } from '../helpers/cloudtrail-files.ts';
import { assertError } from '../helpers/errors.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';
import { dropCreatedSchemas, freshSchemaUrl, SKIP_REASON } from '../store/postgres-database.ts';

type Credentials = { accessKeyId: string; secretAccessKey: string };

const iam = (server: RunningServer, credentials: Credentials = DUMMY_CREDENTIALS) =>
  new IAMClient({ endpoint: server.url, region: TEST_REGION, credentials });
const sts = (server: RunningServer, credentials: Credentials) =>
  new STSClient({ endpoint: server.url, region: TEST_REGION, credentials });

describe('two Bulwark nodes on one PostgreSQL database', { skip: SKIP_REASON }, () => {
  let a: RunningServer;
  let b: RunningServer;
  before(async () => {
    const { url } = freshSchemaUrl();
    a = await startTestServer({ store: url });
    b = await startTestServer({ store: url });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropCreatedSchemas();
  });

  async function userWithKey(name: string, through: RunningServer): Promise<Credentials> {
    await iam(through).send(new CreateUserCommand({ UserName: name }));
    const { AccessKey } = await iam(through).send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  }

  it('a user and access key created through node A sign requests to node B at once', async () => {
    const credentials = await userWithKey('made-on-a', a);
    const identity = await sts(b, credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:iam::${TEST_ACCOUNT}:user/made-on-a`);
    assert.equal(identity.Account, TEST_ACCOUNT);
  });

  it('CreateUser of one name through both nodes at the same moment: exactly one succeeds, the other gets EntityAlreadyExists, 409', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `racer-${round}`;
      const results = await Promise.allSettled([a, b].map((node) => iam(node).send(new CreateUserCommand({ UserName: name }))));
      const succeeded = results.filter((r) => r.status === 'fulfilled');
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(succeeded.length, 1, `round ${round}: ${JSON.stringify(results.map((r) => r.status))}`);
      assertError(failed[0].reason, 'EntityAlreadyExistsException', 409, `User with name ${name} already exists.`);
    }
    const { Users } = await iam(b).send(new ListUsersCommand({ PathPrefix: '/' }));
    assert.equal(Users!.filter((u) => u.UserName!.startsWith('racer-')).length, 5);
  });

  it(
    'a policy removed through node A stops allowing calls on node B within one second',
    async () => {
      const credentials = await userWithKey('policy-watcher', a);
      await iam(a).send(
        new PutUserPolicyCommand({
          UserName: 'policy-watcher',
          PolicyName: 'list-users',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }),
        }),
      );
      await iam(b, credentials).send(new ListUsersCommand({})); // allowed, and now in node B's cache
      await iam(a).send(new DeleteUserPolicyCommand({ UserName: 'policy-watcher', PolicyName: 'list-users' }));
      const removed = Date.now();
      let denial: Error | undefined;
      while (!denial && Date.now() - removed < 1000) {
        denial = await iam(b, credentials)
          .send(new ListUsersCommand({}))
          .then(
            () => undefined,
            (error: Error) => error,
          );
        if (!denial) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(denial, 'node B still allowed ListUsers one second after the policy was removed through node A');
      assertError(denial as Error & { $metadata: { httpStatusCode?: number } }, 'AccessDenied', 403);
    },
  );

  it('an access key deactivated through node A stops signing requests to node B within one second', async () => {
    const credentials = await userWithKey('key-watcher', a);
    await sts(b, credentials).send(new GetCallerIdentityCommand({})); // works, and node B now caches the key
    await iam(a).send(new UpdateAccessKeyCommand({ UserName: 'key-watcher', AccessKeyId: credentials.accessKeyId, Status: 'Inactive' }));
    const deactivated = Date.now();
    let refusal: Error | undefined;
    while (!refusal && Date.now() - deactivated < 1000) {
      refusal = await sts(b, credentials)
        .send(new GetCallerIdentityCommand({}))
        .then(
          () => undefined,
          (error: Error) => error,
        );
      if (!refusal) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(refusal, 'node B still accepted the key one second after it was deactivated through node A');
    assertError(refusal as Error & { $metadata: { httpStatusCode?: number } }, 'InvalidClientTokenId', 403);
  });

  it('the test clock moved through node A moves on node B within one second, and a reset through B resets it on A', async () => {
    const offsetOf = async (node: RunningServer) =>
      ((await (await fetch(`${node.url}/_bulwark/clock`)).json()) as { offsetSeconds: number }).offsetSeconds;
    const within = async (what: string, condition: () => Promise<boolean>) => {
      const started = Date.now();
      while (!(await condition())) {
        assert.ok(Date.now() - started < 1000, `${what} within one second`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const moved = await fetch(`${a.url}/_bulwark/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 7200 }) });
    assert.equal(moved.status, 200);
    await within('node B sees the clock 2 hours ahead', async () => (await offsetOf(b)) >= 7200);

    await fetch(`${b.url}/_bulwark/reset`, { method: 'POST' });
    await within("node A's clock is back to the machine's", async () => (await offsetOf(a)) === 0);
  });
});

describe('two recording Bulwark nodes on one PostgreSQL database', { skip: SKIP_REASON }, () => {
  let a: RunningServer;
  let b: RunningServer;
  let dataDir: string;
  before(async () => {
    const { url } = freshSchemaUrl();
    // One data directory: whichever node delivers, the files land in the same bucket.
    dataDir = mkdtempSync(join(tmpdir(), 'bulwark-multi-node-trail-'));
    a = await startTestServer({ store: url, dataDir, cloudTrailRecording: true, cloudTrailDeliveryMs: 50 });
    b = await startTestServer({ store: url, dataDir, cloudTrailRecording: true, cloudTrailDeliveryMs: 50 });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropCreatedSchemas();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a trail started through node A delivers the calls node B records from then on (B's knowledge of logging accounts follows within a second)", async () => {
    const trail = new CloudTrailClient({ endpoint: a.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS });
    await iam(b).send(new ListUsersCommand({ PathPrefix: '/before-logging/' })); // node B now knows the account has no logging trail
    await trail.send(new CreateTrailCommand({ Name: 'shared-trail', S3BucketName: 'multi-node-bucket' }));
    await trail.send(new StartLoggingCommand({ Name: 'shared-trail' }));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await iam(b).send(new ListUsersCommand({ PathPrefix: '/after-logging/' }));
    const prefixes = () =>
      bucketObjects(dataDir, 'multi-node-bucket')
        .flatMap((key) => logRecords<{ eventName: string; requestParameters?: { pathPrefix?: string } }>(dataDir, 'multi-node-bucket', key))
        .filter((r) => r.eventName === 'ListUsers')
        .map((r) => r.requestParameters?.pathPrefix);
    await waitFor("node B's call in a delivered log file", () => (prefixes().includes('/after-logging/') ? true : undefined));
    assert.ok(!prefixes().includes('/before-logging/'), 'a call from before the trail logged is not delivered');
  });
});
