// Records what the real AWS clients send for json, rest-json and rpc-v2-cbor operations,
// as JSON fixtures under test/protocol/fixtures/{json,rest-json}/. Run it by hand when the
// clients change:
//   node test/protocol/json/capture-fixtures.ts
// A node:http server on a free loopback port records each request and answers with a
// minimal valid response of the request's protocol; boto3, the AWS CLI and the AWS SDK for
// JS v3 call it. Each fixture keeps the input the client was given ("expected", with blobs
// and timestamps tagged as {"$blob": base64} / {"$date": iso}); the tests assert that
// parsing the captured request yields exactly that input.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient, EncryptCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { OrganizationsClient, CreatePolicyCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GuardDutyClient, CreateDetectorCommand, ListFindingsCommand, GetFindingsCommand, ListDetectorsCommand, TagResourceCommand } from '@aws-sdk/client-guardduty';
import { awsEnv, CREDENTIALS, fromTagged, REGION, type Captured, type Fixture } from './fixtures.ts';

type Client = Fixture['client'];

interface Call {
  name: string;
  client: Client;
  service: string;
  operation: string;
  params: Record<string, unknown>;
  cliArgs?: string[];
}

const blob = (text: string) => ({ $blob: Buffer.from(text, 'utf8').toString('base64') });
const date = (iso: string) => ({ $date: iso });

const encrypt = {
  KeyId: 'alias/app',
  Plaintext: blob('attack at dawn ✓'),
  EncryptionContext: { purpose: 'test', 'tenant id': 'a/b c' },
  GrantTokens: ['token-1', 'token-2'],
};
const createKey = {
  Description: 'signing key',
  KeyUsage: 'SIGN_VERIFY',
  KeySpec: 'ECC_NIST_P256',
  BypassPolicyLockoutSafetyCheck: false,
  MultiRegion: true,
  Tags: [{ TagKey: 'team', TagValue: 'red' }, { TagKey: 'env', TagValue: 'dev' }],
};
const createPolicy = {
  Name: 'deny-leave',
  Description: 'no leaving',
  Type: 'SERVICE_CONTROL_POLICY',
  Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] }),
  Tags: [{ Key: 'owner', Value: 'sec' }],
};
const lookupEvents = (start: string, end: string) => ({
  LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
  StartTime: date(start),
  EndTime: date(end),
  MaxResults: 25,
});
const putMetricData = (timestamp: string) => ({
  Namespace: 'App/Orders',
  MetricData: [
    {
      MetricName: 'Latency',
      Dimensions: [{ Name: 'Service', Value: 'checkout' }],
      Timestamp: date(timestamp),
      Values: [12.5, 40, 0.001],
      Counts: [3, 1, 7],
      Unit: 'Milliseconds',
      StorageResolution: 1,
    },
    { MetricName: 'Errors', Value: 2, Unit: 'Count' },
  ],
});
const getMetricData = (start: string, end: string) => ({
  MetricDataQueries: [
    {
      Id: 'm1',
      MetricStat: { Metric: { Namespace: 'App/Orders', MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'checkout' }] }, Period: 60, Stat: 'p99' },
      ReturnData: true,
    },
    { Id: 'e1', Expression: 'm1 * 2', Label: 'doubled' },
  ],
  StartTime: date(start),
  EndTime: date(end),
  ScanBy: 'TimestampDescending',
  MaxDatapoints: 1000,
});
const DETECTOR = '12abc34d567e8fa901bc2d34e56789f0';
const createDetector = {
  Enable: true,
  ClientToken: 'token-123',
  FindingPublishingFrequency: 'FIFTEEN_MINUTES',
  Tags: { team: 'red', 'cost center': '42' },
  Features: [{ Name: 'S3_DATA_EVENTS', Status: 'ENABLED' }, { Name: 'RUNTIME_MONITORING', Status: 'DISABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }] }],
};
const listFindings = {
  DetectorId: DETECTOR,
  FindingCriteria: {
    Criterion: {
      severity: { GreaterThanOrEqual: 4 },
      type: { Equals: ['Recon:EC2/PortProbeUnprotectedPort', 'UnauthorizedAccess:EC2/SSHBruteForce'] },
      'service.archived': { Equals: ['false'] },
    },
  },
  SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'DESC' },
  MaxResults: 50,
  NextToken: 'page-2',
};
const getFindings = { DetectorId: DETECTOR, FindingIds: ['f1', 'f2'], SortCriteria: { AttributeName: 'severity', OrderBy: 'ASC' } };
const listDetectors = { MaxResults: 5, NextToken: 'a b&c=d/é' };
const tagResource = { ResourceArn: `arn:aws:guardduty:us-east-1:123456789012:detector/${DETECTOR}`, Tags: { env: 'prod' } };
const describeControls = {
  StandardsSubscriptionArn: 'arn:aws:securityhub:us-east-1:123456789012:subscription/aws-foundational-security-best-practices/v/1.0.0',
  MaxResults: 10,
  NextToken: 'next token+1',
};
const getAnalyzerFinding = { analyzerArn: 'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/main', id: 'finding/1 2' };

const CALLS: Call[] = [
  { name: 'kms-encrypt.boto3', client: 'boto3', service: 'kms', operation: 'Encrypt', params: encrypt },
  { name: 'kms-encrypt.js', client: 'js', service: 'kms', operation: 'Encrypt', params: encrypt },
  {
    name: 'kms-encrypt.cli', client: 'cli', service: 'kms', operation: 'Encrypt',
    params: { ...encrypt, Plaintext: blob('attack at dawn') },
    cliArgs: ['encrypt', '--key-id', 'alias/app', '--plaintext', 'attack at dawn', '--encryption-context', JSON.stringify(encrypt.EncryptionContext),
      '--grant-tokens', 'token-1', 'token-2'],
  },
  { name: 'kms-create-key.boto3', client: 'boto3', service: 'kms', operation: 'CreateKey', params: createKey },
  { name: 'kms-create-key.js', client: 'js', service: 'kms', operation: 'CreateKey', params: createKey },
  {
    name: 'kms-create-key.cli', client: 'cli', service: 'kms', operation: 'CreateKey', params: createKey,
    cliArgs: ['create-key', '--description', 'signing key', '--key-usage', 'SIGN_VERIFY', '--key-spec', 'ECC_NIST_P256', '--no-bypass-policy-lockout-safety-check',
      '--multi-region', '--tags', 'TagKey=team,TagValue=red', 'TagKey=env,TagValue=dev'],
  },
  { name: 'organizations-create-policy.boto3', client: 'boto3', service: 'organizations', operation: 'CreatePolicy', params: createPolicy },
  { name: 'organizations-create-policy.js', client: 'js', service: 'organizations', operation: 'CreatePolicy', params: createPolicy },
  {
    name: 'organizations-list-accounts.cli', client: 'cli', service: 'organizations', operation: 'ListAccounts', params: { MaxResults: 5 },
    cliArgs: ['list-accounts', '--max-results', '5', '--no-paginate'],
  },
  { name: 'organizations-list-accounts.js', client: 'js', service: 'organizations', operation: 'ListAccounts', params: { MaxResults: 5 } },
  { name: 'cloudtrail-lookup-events.boto3', client: 'boto3', service: 'cloudtrail', operation: 'LookupEvents', params: lookupEvents('2025-01-02T03:04:05Z', '2025-01-03T00:00:00Z') },
  // The JS SDK keeps milliseconds: epoch seconds with a fraction.
  { name: 'cloudtrail-lookup-events.js', client: 'js', service: 'cloudtrail', operation: 'LookupEvents', params: lookupEvents('2025-01-02T03:04:05.250Z', '2025-01-03T00:00:00Z') },
  {
    name: 'cloudtrail-lookup-events.cli', client: 'cli', service: 'cloudtrail', operation: 'LookupEvents', params: lookupEvents('2025-01-02T03:04:05Z', '2025-01-03T00:00:00Z'),
    cliArgs: ['lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=ConsoleLogin', '--start-time', '2025-01-02T03:04:05Z',
      '--end-time', '2025-01-03T00:00:00Z', '--max-results', '25', '--no-paginate'],
  },
  { name: 'ssm-put-parameter.boto3', client: 'boto3', service: 'ssm', operation: 'PutParameter', params: { Name: '/app/db', Value: 's3cr3t', Type: 'SecureString', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] } },
  // CloudWatch's model lists smithy-rpc-v2-cbor first, but every installed client picks JSON 1.0
  // (query-compatible, x-amzn-query-mode): botocore ranks json above cbor.
  { name: 'cloudwatch-put-metric-data.js', client: 'js', service: 'cloudwatch', operation: 'PutMetricData', params: putMetricData('2025-01-02T03:04:05.500Z') },
  { name: 'cloudwatch-get-metric-data.js', client: 'js', service: 'cloudwatch', operation: 'GetMetricData', params: getMetricData('2025-01-02T00:00:00Z', '2025-01-02T06:00:00Z') },
  { name: 'cloudwatch-put-metric-data.boto3', client: 'boto3', service: 'cloudwatch', operation: 'PutMetricData', params: putMetricData('2025-01-02T03:04:05Z') },
  { name: 'cloudwatch-get-metric-data.boto3', client: 'boto3', service: 'cloudwatch', operation: 'GetMetricData', params: getMetricData('2025-01-02T00:00:00Z', '2025-01-02T06:00:00Z') },
  {
    name: 'cloudwatch-describe-alarms.cli', client: 'cli', service: 'cloudwatch', operation: 'DescribeAlarms',
    params: { AlarmNames: ['high-cpu', 'disk'], StateValue: 'ALARM', MaxRecords: 10 },
    cliArgs: ['describe-alarms', '--alarm-names', 'high-cpu', 'disk', '--state-value', 'ALARM', '--max-records', '10', '--no-paginate'],
  },
  { name: 'guardduty-create-detector.boto3', client: 'boto3', service: 'guardduty', operation: 'CreateDetector', params: createDetector },
  { name: 'guardduty-create-detector.js', client: 'js', service: 'guardduty', operation: 'CreateDetector', params: createDetector },
  {
    name: 'guardduty-create-detector.cli', client: 'cli', service: 'guardduty', operation: 'CreateDetector', params: createDetector,
    cliArgs: ['create-detector', '--enable', '--client-token', 'token-123', '--finding-publishing-frequency', 'FIFTEEN_MINUTES',
      '--tags', JSON.stringify(createDetector.Tags), '--features', JSON.stringify(createDetector.Features)],
  },
  { name: 'guardduty-list-findings.boto3', client: 'boto3', service: 'guardduty', operation: 'ListFindings', params: listFindings },
  { name: 'guardduty-list-findings.js', client: 'js', service: 'guardduty', operation: 'ListFindings', params: listFindings },
  { name: 'guardduty-get-findings.js', client: 'js', service: 'guardduty', operation: 'GetFindings', params: getFindings },
  {
    name: 'guardduty-get-findings.cli', client: 'cli', service: 'guardduty', operation: 'GetFindings', params: getFindings,
    cliArgs: ['get-findings', '--detector-id', DETECTOR, '--finding-ids', 'f1', 'f2', '--sort-criteria', 'AttributeName=severity,OrderBy=ASC'],
  },
  { name: 'guardduty-list-detectors.js', client: 'js', service: 'guardduty', operation: 'ListDetectors', params: listDetectors },
  { name: 'guardduty-list-detectors.boto3', client: 'boto3', service: 'guardduty', operation: 'ListDetectors', params: listDetectors },
  { name: 'guardduty-tag-resource.js', client: 'js', service: 'guardduty', operation: 'TagResource', params: tagResource },
  { name: 'securityhub-describe-standards-controls.boto3', client: 'boto3', service: 'securityhub', operation: 'DescribeStandardsControls', params: describeControls },
  {
    name: 'securityhub-describe-standards-controls.cli', client: 'cli', service: 'securityhub', operation: 'DescribeStandardsControls', params: describeControls,
    cliArgs: ['describe-standards-controls', '--standards-subscription-arn', describeControls.StandardsSubscriptionArn, '--max-results', '10',
      '--next-token', 'next token+1', '--no-paginate'],
  },
  { name: 'accessanalyzer-get-finding.boto3', client: 'boto3', service: 'accessanalyzer', operation: 'GetFinding', params: getAnalyzerFinding },
];

/** Which fixture folder a call belongs to, by the protocol it was captured in. */
function folderOf(call: Call): string {
  return ['guardduty', 'securityhub', 'accessanalyzer'].includes(call.service) ? 'rest-json' : 'json';
}

function cannedResponse(headers: Record<string, string>): { type: Record<string, string>; body: Buffer } {
  if (headers['smithy-protocol'] === 'rpc-v2-cbor') {
    return { type: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }, body: Buffer.from([0xa0]) };
  }
  if (headers['x-amz-target']) return { type: { 'content-type': headers['content-type'] ?? 'application/x-amz-json-1.1' }, body: Buffer.from('{}') };
  return { type: { 'content-type': 'application/json' }, body: Buffer.from('{}') };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))));
    child.stdin.end(stdin ?? '');
  });
}

const BOTO3_SCRIPT = `
import base64, datetime, json, sys, boto3
from botocore import xform_name
def untag(value):
    if isinstance(value, dict):
        if '$blob' in value: return base64.b64decode(value['$blob'])
        if '$date' in value: return datetime.datetime.fromisoformat(value['$date'].replace('Z', '+00:00'))
        return {k: untag(v) for k, v in value.items()}
    if isinstance(value, list): return [untag(v) for v in value]
    return value
calls = json.load(sys.stdin)
endpoint = sys.argv[1]
for call in calls:
    client = boto3.client(call['service'], endpoint_url=endpoint)
    getattr(client, xform_name(call['operation']))(**untag(call['params']))
`;

async function callBoto3(calls: Call[], endpoint: string): Promise<void> {
  const payload = calls.map((call) => ({ service: call.service, operation: call.operation, params: call.params }));
  await run('python3', ['-c', BOTO3_SCRIPT, endpoint], awsEnv(), JSON.stringify(payload));
}

async function callCli(call: Call, endpoint: string): Promise<void> {
  await run('aws', ['--endpoint-url', endpoint, call.service, ...(call.cliArgs ?? [])], awsEnv());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = new (input: any) => any;
const JS_COMMANDS: Record<string, AnyCommand> = {
  'kms.Encrypt': EncryptCommand,
  'kms.CreateKey': CreateKeyCommand,
  'organizations.CreatePolicy': CreatePolicyCommand,
  'organizations.ListAccounts': ListAccountsCommand,
  'cloudtrail.LookupEvents': LookupEventsCommand,
  'cloudwatch.PutMetricData': PutMetricDataCommand,
  'cloudwatch.GetMetricData': GetMetricDataCommand,
  'guardduty.CreateDetector': CreateDetectorCommand,
  'guardduty.ListFindings': ListFindingsCommand,
  'guardduty.GetFindings': GetFindingsCommand,
  'guardduty.ListDetectors': ListDetectorsCommand,
  'guardduty.TagResource': TagResourceCommand,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function jsClient(service: string, config: Record<string, unknown>): any {
  switch (service) {
    case 'kms': return new KMSClient(config);
    case 'organizations': return new OrganizationsClient(config);
    case 'cloudtrail': return new CloudTrailClient(config);
    case 'cloudwatch': return new CloudWatchClient(config);
    default: return new GuardDutyClient(config);
  }
}

async function callJs(call: Call, endpoint: string): Promise<void> {
  const client = jsClient(call.service, { endpoint, region: REGION, credentials: CREDENTIALS });
  const Command = JS_COMMANDS[`${call.service}.${call.operation}`];
  try {
    await client.send(new Command(fromTagged(call.params)));
  } finally {
    client.destroy();
  }
}

function toCaptured(method: string, url: string, headers: Record<string, string>, body: Buffer): Captured {
  const [path, rawQuery = ''] = url.split(/\?(.*)/s);
  const binary = headers['content-type'] === 'application/cbor';
  return { method, path, rawQuery, headers, ...(binary ? { bodyBase64: body.toString('base64') } : { body: body.toString('utf8') }) };
}

async function main(): Promise<void> {
  const captured: Captured[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(',') : String(value);
    captured.push(toCaptured(request.method ?? 'GET', request.url ?? '/', headers, body));
    const canned = cannedResponse(headers);
    response.writeHead(200, { ...canned.type, 'x-amzn-requestid': 'capture' });
    response.end(canned.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fixtures: { call: Call; request: Captured }[] = [];
  try {
    const boto3Calls = CALLS.filter((call) => call.client === 'boto3');
    await callBoto3(boto3Calls, endpoint);
    if (captured.length !== boto3Calls.length) throw new Error(`boto3: ${captured.length} requests for ${boto3Calls.length} calls`);
    boto3Calls.forEach((call, i) => fixtures.push({ call, request: captured[i] }));
    for (const call of CALLS.filter((c) => c.client !== 'boto3')) {
      const from = captured.length;
      if (call.client === 'cli') await callCli(call, endpoint);
      else await callJs(call, endpoint);
      if (captured.length !== from + 1) throw new Error(`${call.name}: expected one request, got ${captured.length - from}`);
      fixtures.push({ call, request: captured[from] });
    }
  } finally {
    server.close();
  }

  for (const { call, request } of fixtures) {
    const file = new URL(`../fixtures/${folderOf(call)}/${call.name}.json`, import.meta.url);
    mkdirSync(new URL('.', file), { recursive: true });
    const fixture: Fixture = { client: call.client, service: call.service, operation: call.operation, expected: call.params, request };
    writeFileSync(file, JSON.stringify(fixture, null, 2) + '\n');
  }
  console.log(`captured ${fixtures.length} requests`);
}

await main();
