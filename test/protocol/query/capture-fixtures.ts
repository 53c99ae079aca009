// Records what the real AWS clients send for query and ec2 operations, as JSON fixtures
// under test/protocol/fixtures/{query,ec2}/. Run it by hand when the clients change:
//   node test/protocol/query/capture-fixtures.ts
// A node:http server on a free loopback port records each request and answers with a
// minimal valid XML response; boto3, the AWS CLI and the AWS SDK for JS v3 call it.
// Each fixture keeps the parameters the client was given ("expected"): the tests assert
// that parsing the captured request yields exactly that input.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient, CreateUserCommand, CreateRoleCommand, SimulatePrincipalPolicyCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { EC2Client, AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { awsEnv, CREDENTIALS, REGION } from './client-env.ts';

type Client = 'boto3' | 'cli' | 'js';
type Service = 'iam' | 'sts' | 'ec2' | 'cloudwatch';

interface Call {
  /** The fixture's file name, without .json. */
  name: string;
  client: Client;
  service: Service;
  operation: string;
  /** The input as the client's API takes it (member names as in the model). */
  params: Record<string, unknown>;
  /** For the CLI: its arguments after `aws <service>`. */
  cliArgs?: string[];
}

interface Captured {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string>;
  body: string;
}

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::bucket/a b+c&d=é' }],
});
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const TAGS = [
  { Key: 'team', Value: 'red' },
  { Key: 'env', Value: 'dev & test <1>' },
];
const ROLE_ARN = 'arn:aws:iam::123456789012:role/deploy';

const createUser = { UserName: 'alice', Path: '/eng/', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess', Tags: TAGS };
const createRole = { RoleName: 'deploy', AssumeRolePolicyDocument: TRUST, Description: 'Deployer ünïcode', MaxSessionDuration: 7200, Tags: TAGS };
const simulate = {
  PolicySourceArn: 'arn:aws:iam::123456789012:user/alice',
  ActionNames: ['s3:GetObject', 's3:PutObject'],
  ResourceArns: ['arn:aws:s3:::bucket/*'],
  ContextEntries: [
    { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1', '10.0.0.2'], ContextKeyType: 'ipList' },
    { ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
  ],
  MaxItems: 50,
};
const assumeRole = {
  RoleArn: ROLE_ARN,
  RoleSessionName: 'ci-session',
  PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { arn: 'arn:aws:iam::123456789012:policy/extra' }],
  Policy: POLICY,
  DurationSeconds: 900,
  Tags: TAGS,
  TransitiveTagKeys: ['team'],
  ExternalId: 'ext-123',
};
const authorizeIngress = {
  GroupId: 'sg-0123456789abcdef0',
  IpPermissions: [
    {
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office ssh' }, { CidrIp: '192.168.0.0/16' }],
      Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }],
      UserIdGroupPairs: [{ GroupId: 'sg-0fedcba9876543210', UserId: '123456789012' }],
    },
    { IpProtocol: '-1', PrefixListIds: [{ PrefixListId: 'pl-12345678' }] },
  ],
};
const describeGroups = {
  Filters: [
    { Name: 'vpc-id', Values: ['vpc-11111111', 'vpc-22222222'] },
    { Name: 'group-name', Values: ['web*'] },
  ],
  GroupIds: ['sg-0123456789abcdef0'],
  DryRun: false,
};

const CALLS: Call[] = [
  { name: 'iam-create-user.boto3', client: 'boto3', service: 'iam', operation: 'CreateUser', params: createUser },
  { name: 'iam-create-user.js', client: 'js', service: 'iam', operation: 'CreateUser', params: createUser },
  {
    name: 'iam-create-user.cli', client: 'cli', service: 'iam', operation: 'CreateUser', params: createUser,
    cliArgs: ['create-user', '--user-name', 'alice', '--path', '/eng/', '--permissions-boundary', createUser.PermissionsBoundary,
      '--tags', JSON.stringify(TAGS)],
  },
  { name: 'iam-put-user-policy.boto3', client: 'boto3', service: 'iam', operation: 'PutUserPolicy', params: { UserName: 'alice', PolicyName: 'read', PolicyDocument: POLICY } },
  {
    name: 'iam-put-user-policy.cli', client: 'cli', service: 'iam', operation: 'PutUserPolicy',
    params: { UserName: 'alice', PolicyName: 'read', PolicyDocument: POLICY },
    cliArgs: ['put-user-policy', '--user-name', 'alice', '--policy-name', 'read', '--policy-document', POLICY],
  },
  { name: 'iam-create-role.js', client: 'js', service: 'iam', operation: 'CreateRole', params: createRole },
  { name: 'iam-create-role.boto3', client: 'boto3', service: 'iam', operation: 'CreateRole', params: createRole },
  {
    name: 'iam-tag-user.cli', client: 'cli', service: 'iam', operation: 'TagUser', params: { UserName: 'alice', Tags: TAGS },
    cliArgs: ['tag-user', '--user-name', 'alice', '--tags', 'Key=team,Value=red', 'Key=env,Value=dev & test <1>'],
  },
  { name: 'iam-simulate-principal-policy.boto3', client: 'boto3', service: 'iam', operation: 'SimulatePrincipalPolicy', params: simulate },
  { name: 'iam-simulate-principal-policy.js', client: 'js', service: 'iam', operation: 'SimulatePrincipalPolicy', params: simulate },
  {
    name: 'iam-list-users.cli', client: 'cli', service: 'iam', operation: 'ListUsers', params: { PathPrefix: '/eng/', MaxItems: 10 },
    cliArgs: ['list-users', '--path-prefix', '/eng/', '--max-items', '10', '--no-paginate'],
  },
  { name: 'iam-list-users.js', client: 'js', service: 'iam', operation: 'ListUsers', params: { PathPrefix: '/eng/', MaxItems: 10 } },
  {
    name: 'iam-create-oidc-provider-empty-list.boto3', client: 'boto3', service: 'iam', operation: 'CreateOpenIDConnectProvider',
    params: { Url: 'https://token.example.com', ClientIDList: [], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] },
  },
  { name: 'sts-assume-role.boto3', client: 'boto3', service: 'sts', operation: 'AssumeRole', params: assumeRole },
  { name: 'sts-assume-role.js', client: 'js', service: 'sts', operation: 'AssumeRole', params: assumeRole },
  {
    name: 'sts-assume-role.cli', client: 'cli', service: 'sts', operation: 'AssumeRole', params: assumeRole,
    cliArgs: ['assume-role', '--role-arn', ROLE_ARN, '--role-session-name', 'ci-session', '--policy-arns', JSON.stringify(assumeRole.PolicyArns),
      '--policy', POLICY, '--duration-seconds', '900', '--tags', JSON.stringify(TAGS), '--transitive-tag-keys', 'team', '--external-id', 'ext-123'],
  },
  { name: 'sts-get-caller-identity.js', client: 'js', service: 'sts', operation: 'GetCallerIdentity', params: {} },
  { name: 'ec2-authorize-security-group-ingress.boto3', client: 'boto3', service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', params: authorizeIngress },
  { name: 'ec2-authorize-security-group-ingress.js', client: 'js', service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', params: authorizeIngress },
  {
    name: 'ec2-authorize-security-group-ingress.cli', client: 'cli', service: 'ec2', operation: 'AuthorizeSecurityGroupIngress', params: authorizeIngress,
    cliArgs: ['authorize-security-group-ingress', '--group-id', authorizeIngress.GroupId, '--ip-permissions', JSON.stringify(authorizeIngress.IpPermissions)],
  },
  { name: 'ec2-describe-security-groups.boto3', client: 'boto3', service: 'ec2', operation: 'DescribeSecurityGroups', params: describeGroups },
  { name: 'ec2-describe-security-groups.js', client: 'js', service: 'ec2', operation: 'DescribeSecurityGroups', params: describeGroups },
  {
    name: 'ec2-describe-security-groups.cli', client: 'cli', service: 'ec2', operation: 'DescribeSecurityGroups', params: describeGroups,
    cliArgs: ['describe-security-groups', '--filters', JSON.stringify(describeGroups.Filters), '--group-ids', 'sg-0123456789abcdef0', '--no-dry-run'],
  },
  {
    name: 'ec2-create-tags.boto3', client: 'boto3', service: 'ec2', operation: 'CreateTags',
    params: { Resources: ['sg-0123456789abcdef0', 'vpc-11111111'], Tags: TAGS },
  },
  // No installed CloudWatch client speaks query any more (boto3 and the JS SDK send JSON 1.0
  // with x-amzn-query-mode): boto3 is made to by a copy of its model that lists only query.
  {
    name: 'cloudwatch-put-metric-data.boto3', client: 'boto3', service: 'cloudwatch', operation: 'PutMetricData',
    params: {
      Namespace: 'App/Orders',
      MetricData: [
        {
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Service', Value: 'checkout' }, { Name: 'Stage', Value: 'prod' }],
          Timestamp: '2025-01-02T03:04:05Z',
          Values: [12.5, 40, 0.001],
          Counts: [3, 1, 7],
          Unit: 'Milliseconds',
          StorageResolution: 1,
        },
        { MetricName: 'Errors', Value: 2, Unit: 'Count' },
      ],
    },
  },
];

function cannedResponse(service: Service, action: string): string {
  if (service === 'ec2') {
    return `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>capture</requestId></${action}Response>`;
  }
  return `<${action}Response><${action}Result/><ResponseMetadata><RequestId>capture</RequestId></ResponseMetadata></${action}Response>`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`))));
    child.stdin.end(stdin ?? '');
  });
}

/** A copy of botocore's CloudWatch model that speaks only query, for AWS_DATA_PATH. */
function queryOnlyCloudWatchDataPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-capture-'));
  const model = JSON.parse(readFileSync(new URL('../../../models/cloudwatch.json', import.meta.url), 'utf8'));
  model.metadata.protocol = 'query';
  model.metadata.protocols = ['query'];
  mkdirSync(join(dir, 'cloudwatch', '2010-08-01'), { recursive: true });
  writeFileSync(join(dir, 'cloudwatch', '2010-08-01', 'service-2.json'), JSON.stringify(model));
  return dir;
}

const BOTO3_SCRIPT = `
import json, sys, boto3
from botocore import xform_name
calls = json.load(sys.stdin)
endpoint = sys.argv[1]
for call in calls:
    client = boto3.client(call['service'], endpoint_url=endpoint)
    getattr(client, xform_name(call['operation']))(**call['params'])
`;

async function callBoto3(calls: Call[], endpoint: string): Promise<void> {
  const payload = calls.map((call) => ({ service: call.service, operation: call.operation, params: call.params }));
  await run('python3', ['-c', BOTO3_SCRIPT, endpoint], awsEnv({ AWS_DATA_PATH: queryOnlyCloudWatchDataPath() }), JSON.stringify(payload));
}

async function callCli(call: Call, endpoint: string): Promise<void> {
  await run('aws', ['--endpoint-url', endpoint, call.service, ...(call.cliArgs ?? [])], awsEnv());
}

interface SdkClient {
  send(command: unknown): Promise<unknown>;
  destroy(): void;
}

/** The SDK's command classes; the fixture's params are the command's input. */
const JS_COMMANDS: Record<string, new (input: never) => unknown> = {
  'iam.CreateUser': CreateUserCommand,
  'iam.CreateRole': CreateRoleCommand,
  'iam.SimulatePrincipalPolicy': SimulatePrincipalPolicyCommand,
  'iam.ListUsers': ListUsersCommand,
  'sts.AssumeRole': AssumeRoleCommand,
  'sts.GetCallerIdentity': GetCallerIdentityCommand,
  'ec2.AuthorizeSecurityGroupIngress': AuthorizeSecurityGroupIngressCommand,
  'ec2.DescribeSecurityGroups': DescribeSecurityGroupsCommand,
};

async function callJs(call: Call, endpoint: string): Promise<void> {
  const config = { endpoint, region: REGION, credentials: CREDENTIALS };
  const client = (
    call.service === 'iam' ? new IAMClient(config) : call.service === 'sts' ? new STSClient(config) : new EC2Client(config)
  ) as SdkClient;
  const Command = JS_COMMANDS[`${call.service}.${call.operation}`];
  try {
    await client.send(new Command(call.params as never));
  } finally {
    client.destroy();
  }
}

async function main(): Promise<void> {
  const captured: Captured[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const [path, rawQuery = ''] = (request.url ?? '/').split(/\?(.*)/s);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(',') : String(value);
    captured.push({ method: request.method ?? 'GET', path, rawQuery, headers, body });
    const action = new URLSearchParams(body).get('Action') ?? new URLSearchParams(rawQuery).get('Action') ?? 'Unknown';
    const service: Service = headers.authorization?.includes('/ec2/') ? 'ec2' : 'iam';
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(cannedResponse(service, action));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fixtures: { call: Call; request: Captured }[] = [];
  const record = (call: Call, from: number) => {
    if (captured.length !== from + 1) throw new Error(`${call.name}: expected one request, got ${captured.length - from}`);
    fixtures.push({ call, request: captured[from] });
  };
  try {
    const boto3Calls = CALLS.filter((call) => call.client === 'boto3');
    const start = captured.length;
    await callBoto3(boto3Calls, endpoint);
    if (captured.length !== start + boto3Calls.length) throw new Error(`boto3: ${captured.length - start} requests for ${boto3Calls.length} calls`);
    boto3Calls.forEach((call, i) => fixtures.push({ call, request: captured[start + i] }));
    for (const call of CALLS.filter((c) => c.client !== 'boto3')) {
      const from = captured.length;
      if (call.client === 'cli') await callCli(call, endpoint);
      else await callJs(call, endpoint);
      record(call, from);
    }
  } finally {
    server.close();
  }

  for (const { call, request } of fixtures) {
    const folder = call.service === 'ec2' ? 'ec2' : 'query';
    const file = new URL(`../fixtures/${folder}/${call.name}.json`, import.meta.url);
    mkdirSync(new URL('.', file), { recursive: true });
    const fixture = { client: call.client, service: call.service, operation: call.operation, expected: call.params, request };
    writeFileSync(file, JSON.stringify(fixture, null, 2) + '\n');
  }
  console.log(`captured ${fixtures.length} requests`);
}

await main();
