// The cost of enforcement: iam:GetUser called by an IAM user whose 10 attached
// policies (5 statements each, one condition each) the policy engine evaluates, against
// the same call by the root user. Target: the user reaches >= 80% of root's throughput.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachUserPolicyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { Benchmark, BenchResult } from './run.ts';
import { load, signedQuery, startBulwark, type Credentials } from './support.ts';
import { startServer } from '../src/server/server.ts';
import { ACCESS_KEYS } from '../src/services/credentials.ts';

const CONNECTIONS = 50;
const DURATION_MS = 4_000;
const WARMUP_MS = 1_000;
const ACCOUNT = '123456789012';
const ROOT: Credentials = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'rootrootrootrootrootrootrootrootrootroot' };
const USER: Credentials = { accessKeyId: 'AKIABENCHUSER0000001', secretAccessKey: 'useruseruseruseruseruseruseruseruseruser' };
const BODY = 'Action=GetUser&Version=2010-05-08&UserName=bench-target';

function policyDocument(n: number): string {
  const services = ['s3', 'ec2', 'kms', 'sqs', 'dynamodb'];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      ...services.slice(0, 4).map((service, i) => ({
        Sid: `S${n}x${i}`,
        Effect: 'Allow',
        Action: [`${service}:Get*`, `${service}:List${n}*`],
        Resource: `arn:aws:${service}:*:${ACCOUNT}:thing-${n}/*`,
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      })),
      { Sid: `Iam${n}`, Effect: 'Allow', Action: 'iam:Get*', Resource: `arn:aws:iam::${ACCOUNT}:user/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  });
}

/** Writes the user, its 10 policies and both keys through Bulwark's own API and store. */
async function prepare(storeUrl: string): Promise<void> {
  const server = await startServer({
    port: 0, host: '127.0.0.1', dataDir: '/nonexistent', store: storeUrl, region: 'us-east-1',
    accountId: ACCOUNT, auth: 'permissive', iamMode: 'enforce', cloudTrailRecording: false, cloudTrailDeliveryMs: 5000, logLevel: 'silent',
  });
  try {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await iam.send(new CreateUserCommand({ UserName: 'bench-target' }));
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'bench-user' }));
    for (let n = 0; n < 10; n++) {
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `bench-${n}`, PolicyDocument: policyDocument(n) }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'bench-user', PolicyArn: Policy!.Arn! }));
    }
    await server.store.put(ACCESS_KEYS, ROOT.accessKeyId, {
      secretAccessKey: ROOT.secretAccessKey, active: true,
      principal: { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT },
    });
    await server.store.put(ACCESS_KEYS, USER.accessKeyId, {
      secretAccessKey: USER.secretAccessKey, active: true,
      principal: { type: 'IAMUser', accountId: ACCOUNT, arn: User!.Arn!, userId: User!.UserId!, userName: 'bench-user', path: '/' },
    });
  } finally {
    await server.close();
  }
}

async function throughput(port: number, credentials: Credentials, agent: Agent, durationMs: number): Promise<number> {
  const signed = await signedQuery(port, 'iam', credentials, BODY);
  const { latencies, failures, seconds } = await load(agent, port, signed, CONNECTIONS, durationMs);
  if (failures > 0) throw new Error(`${failures} GetUser calls failed for ${credentials.accessKeyId}`);
  return latencies.length / seconds;
}

async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const storeUrl = `sqlite:${join(dataDir, 'bulwark.db')}`;
  await prepare(storeUrl);
  const bulwark = await startBulwark(storeUrl, dataDir, (port) => signedQuery(port, 'iam', USER, BODY));
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    // Warm both paths up first (JIT, caches), then measure each in turn.
    await throughput(bulwark.port, ROOT, agent, WARMUP_MS);
    await throughput(bulwark.port, USER, agent, WARMUP_MS);
    const root = await throughput(bulwark.port, ROOT, agent, DURATION_MS);
    const user = await throughput(bulwark.port, USER, agent, DURATION_MS);
    console.error(`enforcement: GetUser by root ${Math.round(root)} req/s, by a user with 10 policies ${Math.round(user)} req/s`);
    return [
      { bench: 'enforcement.get_user.root', value: Math.round(root), unit: 'req/s', target: 0 },
      { bench: 'enforcement.get_user.user_10_policies', value: Math.round(user), unit: 'req/s', target: Math.round(root * 0.8) },
      { bench: 'enforcement.user_vs_root', value: Math.round((user / root) * 100), unit: '%', target: 80 },
    ];
  } finally {
    agent.destroy();
    await bulwark.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default { run } satisfies Benchmark;
