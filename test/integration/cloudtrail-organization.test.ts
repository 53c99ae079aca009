// Organization trails end to end: only the management account of an organization with
// all features and CloudTrail's trusted access may make one; it then logs the member
// accounts' calls too, under AWSLogs/<org-id>/<account>/, with a digest chain per
// account that `bulwark cloudtrail validate-logs --account-id` checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudTrailClient,
  CloudTrailServiceException,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  EnableAWSServiceAccessCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { RunningServer } from '../../src/server/server.ts';
import { failure as anyFailure } from '../helpers/errors.ts';
import { assumeRole, organizationAccessRole } from '../helpers/organizations.ts';
import { advanceClock, bucketObjects, logRecords, runValidateLogs, startDeliveringServer, waitFor } from '../helpers/cloudtrail-files.ts';
import { DUMMY_CREDENTIALS, TEST_ACCOUNT } from '../helpers/server.ts';

const failure = (promise: Promise<unknown>) => anyFailure(promise, CloudTrailServiceException);
const REGION = 'us-east-1';
const BUCKET = 'org-trail-bucket';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${TEST_ACCOUNT}:trail/org-trail`;

describe('CloudTrail organization trails', () => {
  let server: RunningServer;
  let dataDir: string;
  let closeServer: () => Promise<void>;
  let trail: CloudTrailClient;
  let organizations: OrganizationsClient;
  let orgId: string;
  let member: string;
  let memberCredentials: AwsCredentialIdentity;

  const objects = (prefix: string) => bucketObjects(dataDir, BUCKET).filter((key) => key.startsWith(prefix));

  before(async () => {
    ({ server, dataDir, close: closeServer } = await startDeliveringServer('ct-org'));
    const config = { endpoint: server.url, region: REGION, credentials: DUMMY_CREDENTIALS };
    trail = new CloudTrailClient(config);
    organizations = new OrganizationsClient(config);
  });
  after(async () => {
    trail.destroy();
    organizations.destroy();
    await closeServer();
  });

  it('refuses an organization trail outside an organization, and until CloudTrail has trusted access', async () => {
    const create = () => trail.send(new CreateTrailCommand({ Name: 'org-trail', S3BucketName: BUCKET, IsOrganizationTrail: true, EnableLogFileValidation: true }));
    assert.equal((await failure(create())).name, 'OrganizationsNotInUseException');
    orgId = (await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!.Id!;
    assert.equal((await failure(create())).name, 'CloudTrailAccessNotEnabledException');
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com' }));
    const created = await create();
    assert.equal(created.IsOrganizationTrail, true);
    await trail.send(new StartLoggingCommand({ Name: 'org-trail' }));

    const started = await organizations.send(new CreateAccountCommand({ Email: 'member@example.com', AccountName: 'member' }));
    const status = await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started.CreateAccountStatus!.Id! }));
    member = status.CreateAccountStatus!.AccountId!;
    memberCredentials = await assumeRole(server, DUMMY_CREDENTIALS, organizationAccessRole(member), 'org-trail-test');
  });

  it("delivers a member account's calls under AWSLogs/<org-id>/<member>/, and the management account's under its own id", async () => {
    const memberIam = new IAMClient({ endpoint: server.url, region: REGION, credentials: memberCredentials });
    try {
      await memberIam.send(new ListRolesCommand({}));
    } finally {
      memberIam.destroy();
    }
    const memberPrefix = `AWSLogs/${orgId}/${member}/CloudTrail/${REGION}/`;
    const file = await waitFor('a member log file', () => {
      return objects(memberPrefix).find((key) => {
        return logRecords<{ eventName: string }>(dataDir, BUCKET, key).some((r) => r.eventName === 'ListRoles');
      });
    });
    assert.match(file, new RegExp(`/${member}_CloudTrail_${REGION}_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
    assert.ok(logRecords<{ recipientAccountId: string }>(dataDir, BUCKET, file).every((r) => r.recipientAccountId === member));
    await waitFor("the management account's log file", () => objects(`AWSLogs/${orgId}/${TEST_ACCOUNT}/CloudTrail/`)[0]);
    assert.deepEqual(objects(`AWSLogs/${TEST_ACCOUNT}/`), [], 'nothing in the single-account layout');
  });

  it('a member account sees the organization trail (DescribeTrails, ListTrails, GetTrail) but cannot change it, nor make one: NotOrganizationMasterAccountException', async () => {
    const memberTrail = new CloudTrailClient({ endpoint: server.url, region: REGION, credentials: memberCredentials });
    try {
      const { trailList } = await memberTrail.send(new DescribeTrailsCommand({}));
      assert.deepEqual(
        trailList!.map((t) => [t.TrailARN, t.IsOrganizationTrail]),
        [[TRAIL_ARN, true]],
      );
      assert.deepEqual((await memberTrail.send(new ListTrailsCommand({}))).Trails, [{ TrailARN: TRAIL_ARN, Name: 'org-trail', HomeRegion: REGION }]);
      assert.equal((await memberTrail.send(new GetTrailCommand({ Name: 'org-trail' }))).Trail!.TrailARN, TRAIL_ARN);
      assert.equal((await memberTrail.send(new GetTrailStatusCommand({ Name: TRAIL_ARN }))).IsLogging, true);
      const stop = await failure(memberTrail.send(new StopLoggingCommand({ Name: TRAIL_ARN })));
      assert.equal(stop.name, 'NotOrganizationMasterAccountException');
      const create = await failure(memberTrail.send(new CreateTrailCommand({ Name: 'member-org-trail', S3BucketName: BUCKET, IsOrganizationTrail: true })));
      assert.equal(create.name, 'NotOrganizationMasterAccountException');
    } finally {
      memberTrail.destroy();
    }
  });

  it("signs a digest chain per account; validate-logs checks a member's with --account-id and asks for it otherwise", async () => {
    await advanceClock(server.url, 3601);
    const digest = await waitFor('a member digest', () => objects(`AWSLogs/${orgId}/${member}/CloudTrail-Digest/${REGION}/`)[0]);
    assert.match(digest, new RegExp(`/${member}_CloudTrail-Digest_${REGION}_org-trail_${REGION}_\\d{8}T\\d{6}Z\\.json\\.gz$`));
    await waitFor('a management digest', () => objects(`AWSLogs/${orgId}/${TEST_ACCOUNT}/CloudTrail-Digest/${REGION}/`)[0]);

    const validate = (...extra: string[]) =>
      runValidateLogs(['--trail-arn', TRAIL_ARN, '--start-time', '2020-01-01T00:00:00Z', '--data-dir', dataDir, ...extra]);
    const valid = await validate('--account-id', member);
    assert.equal(valid.code, 0, valid.stderr);
    assert.match(valid.stdout, /\n1\/1 digest files valid\n/);
    assert.match(valid.stdout, /\n(\d+)\/\1 log files valid\n/);
    const missing = await validate();
    assert.equal(missing.code, 255);
    assert.match(missing.stderr, /Missing required parameter for organization trail: '--account-id'/);
  });
});
