// IAM account reports end to end: the credential report (generate, get, parse the CSV)
// with the AWS SDK for JavaScript v3 and boto3, the account summary and the
// authorization details.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  IAMServiceException,
  ListOrganizationsFeaturesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { RunningServer } from '../../src/server/server.ts';
import { CREDENTIAL_REPORT_COLUMNS } from '../../src/services/iam/reports.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);

const EXPECTED_COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const BOTO3_REPORT = `
import boto3, csv, io, json, sys, time
iam = boto3.client('iam', endpoint_url=sys.argv[1])
states = [iam.generate_credential_report()['State']]
while states[-1] != 'COMPLETE':
    time.sleep(0.1)
    states.append(iam.generate_credential_report()['State'])
report = iam.get_credential_report()
rows = list(csv.DictReader(io.StringIO(report['Content'].decode('utf-8'))))
print(json.dumps({'format': report['ReportFormat'], 'states': states, 'columns': list(rows[0].keys()), 'users': [r['user'] for r in rows]}))
`;

describe('IAM account reports with the real clients', () => {
  let server: RunningServer;
  let iam: IAMClient;
  before(async () => {
    server = await startTestServer();
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    await iam.send(new CreateUserCommand({ UserName: 'report-alice' }));
    await iam.send(new CreateUserCommand({ UserName: 'report-bob' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'report-devs' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'report-devs', UserName: 'report-alice' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'report-alice',
        PolicyName: 'read',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
      }),
    );
  });
  after(async () => {
    iam.destroy();
    await server.close();
  });

  it('SDK: the credential report is absent, then generated; its CSV has AWS\'s columns with the root account first', async () => {
    const absent = await iam.send(new GetCredentialReportCommand({})).catch((error: unknown) => error);
    assert.ok(absent instanceof IAMServiceException);
    assert.equal(absent.name, 'CredentialReportNotPresentException');
    assert.equal(absent.$metadata.httpStatusCode, 410);

    assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'STARTED');
    assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    assert.equal(report.ReportFormat, 'text/csv');
    assert.ok(report.GeneratedTime instanceof Date);
    const lines = Buffer.from(report.Content!).toString('utf8').split('\n');
    assert.equal(lines[0], EXPECTED_COLUMNS);
    assert.equal(lines[0], CREDENTIAL_REPORT_COLUMNS.join(','));
    const rows = lines.slice(1).map((line) => line.split(','));
    assert.deepEqual(rows.map((r) => r[0]), ['<root_account>', 'report-alice', 'report-bob']);
    assert.equal(rows[0]![1], `arn:aws:iam::${TEST_ACCOUNT}:root`);
    assert.equal(rows[0]![3], 'not_supported');
    assert.equal(rows[1]![1], `arn:aws:iam::${TEST_ACCOUNT}:user/report-alice`);
    assert.deepEqual(rows[1]!.slice(3, 8), ['false', 'N/A', 'N/A', 'N/A', 'false']);
    for (const row of rows) assert.equal(row.length, 22);
  });

  it('boto3: generate until COMPLETE, get and parse the report with the csv module', async () => {
    const { stdout } = await run('python3', ['-c', BOTO3_REPORT, server.url], { env: awsEnv() });
    const result = JSON.parse(stdout) as { format: string; states: string[]; columns: string[]; users: string[] };
    assert.equal(result.format, 'text/csv');
    assert.equal(result.states.at(-1), 'COMPLETE');
    assert.equal(result.columns.join(','), EXPECTED_COLUMNS);
    assert.deepEqual(result.users, ['<root_account>', 'report-alice', 'report-bob']);
  });

  it('SDK: GetAccountSummary counts the users and group; GetAccountAuthorizationDetails returns them with their policies', async () => {
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    assert.equal(SummaryMap?.Users, 2);
    assert.equal(SummaryMap?.Groups, 1);
    assert.equal(SummaryMap?.UsersQuota, 5000);
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
    const alice = details.UserDetailList?.find((u) => u.UserName === 'report-alice');
    assert.deepEqual(alice?.GroupList, ['report-devs']);
    assert.equal(alice?.UserPolicyList?.[0]?.PolicyName, 'read');
    assert.match(decodeURIComponent(alice?.UserPolicyList?.[0]?.PolicyDocument ?? ''), /s3:GetObject/);
  });

  it('SDK: ListOrganizationsFeatures answers OrganizationNotFoundException outside an organization', async () => {
    const error = await iam.send(new ListOrganizationsFeaturesCommand({})).catch((e: unknown) => e);
    assert.ok(error instanceof IAMServiceException);
    assert.equal(error.name, 'OrganizationNotFoundException');
  });
});

describe('credential report: the root user row', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("shows root's own access keys and MFA device", async () => {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    // Without UserName, CreateAccessKey makes a key for the caller: here the root user.
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({}));
    await iam.send(new GenerateCredentialReportCommand({}));
    const { Content } = await iam.send(new GetCredentialReportCommand({}));
    const [header, rootLine] = Buffer.from(Content!).toString('utf8').split('\n');
    const columns = header.split(',');
    const root = Object.fromEntries(rootLine.split(',').map((value, i) => [columns[i], value]));
    assert.equal(root.user, '<root_account>');
    assert.equal(root.access_key_1_active, 'true', `root row: ${rootLine} (key ${AccessKey?.AccessKeyId})`);
    assert.equal(root.access_key_2_active, 'false');
  });
});
