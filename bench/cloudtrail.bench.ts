// CloudTrail's figures:
//   recording overhead  signed sts:GetCallerIdentity, 50 connections, on a real
//                       `bulwark start` with and without recording
//                       (--cloudtrail-recording off for the baseline)     target <= 15 %
//   lookup p95          one LookupEvents page (one attribute + a time range) over
//                       BENCH_CLOUDTRAIL_EVENTS events (default 1,000,000) generated
//                       straight into an SQLite store                            target < 50 ms
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './run.ts';
import { load, percentile, signedQuery, startBulwark } from './support.ts';
import { openStore } from '../src/store/index.ts';
import type { Store } from '../src/store/store.ts';
import { ACCESS_KEYS } from '../src/services/credentials.ts';
import { queryEvents, storeEvents, type EventToStore, type LookupAttributeKey } from '../src/services/cloudtrail/event-store.ts';
import type { CloudTrailRecord } from '../src/services/cloudtrail/record.ts';

const CONNECTIONS = 50;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const ACCOUNT = '123456789012';
const KEY = { accessKeyId: 'AKIABULWARKBENCH0001', secretAccessKey: 'benchbenchbenchbenchbenchbenchbenchbench' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const EVENTS = Number(process.env.BENCH_CLOUDTRAIL_EVENTS ?? 1_000_000);
const BATCH = 5_000;
const LOOKUPS = 300;
const DAY = 24 * 60 * 60 * 1000;

async function throughput(recording: boolean): Promise<{ rps: number; p50: number; p99: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-ct-'));
  const storeUrl = `sqlite:${join(dataDir, 'bulwark.db')}`;
  const store = await openStore(storeUrl);
  await store.put(ACCESS_KEYS, KEY.accessKeyId, {
    secretAccessKey: KEY.secretAccessKey,
    active: true,
    principal: { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT },
  });
  await store.close();
  let signed;
  const bulwark = await startBulwark(storeUrl, dataDir, async (port) => (signed = await signedQuery(port, 'sts', KEY, BODY)), [
    '--cloudtrail-recording',
    recording ? 'on' : 'off',
  ]);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    await load(agent, bulwark.port, signed!, CONNECTIONS, WARMUP_MS);
    const { latencies, failures, seconds } = await load(agent, bulwark.port, signed!, CONNECTIONS, DURATION_MS);
    if (failures > 0) throw new Error(`${failures} requests failed`);
    latencies.sort((a, b) => a - b);
    return { rps: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  } finally {
    agent.destroy();
    await bulwark.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const NAMES = ['GetCallerIdentity', 'CreateUser', 'ListUsers', 'GetRole', 'AssumeRole', 'Encrypt', 'Decrypt', 'DescribeKey', 'PutRolePolicy', 'DeleteUser'];
const SOURCES = ['iam.amazonaws.com', 'sts.amazonaws.com', 'kms.amazonaws.com'];

/** A plausible record: 10 operations, 200 users, 5,000 resources, times spread over 80 days. */
function syntheticEvent(i: number, now: number): EventToStore {
  const user = `user-${i % 200}`;
  const resource = `arn:aws:iam::${ACCOUNT}:user/res-${i % 5000}`;
  const eventName = NAMES[i % NAMES.length];
  const timeMs = now - Math.floor(((i * 7919) % EVENTS) * ((80 * DAY) / EVENTS));
  const record: CloudTrailRecord = {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, accessKeyId: `AKIA${String(i % 200).padStart(16, '0')}`, userName: user },
    eventTime: new Date(timeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: SOURCES[i % SOURCES.length],
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'bench',
    requestParameters: { userName: user },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: /^(Get|List|Describe)/.test(eventName),
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::User', ARN: resource }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
  return { timeMs, username: user, record };
}

async function generate(store: Store, now: number): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < EVENTS; first += BATCH) {
    const batch: EventToStore[] = [];
    for (let i = first; i < Math.min(EVENTS, first + BATCH); i++) batch.push(syntheticEvent(i, now));
    await storeEvents(store, batch);
    if ((first / BATCH) % 20 === 0) console.error(`cloudtrail: generated ${first + batch.length} events (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return (performance.now() - started) / 1000;
}

async function lookupLatencies(store: Store, now: number): Promise<number[]> {
  const queries: [LookupAttributeKey, (i: number) => string][] = [
    ['EventName', (i) => NAMES[i % NAMES.length]],
    ['Username', (i) => `user-${i % 200}`],
    ['ResourceName', (i) => `arn:aws:iam::${ACCOUNT}:user/res-${i % 5000}`],
    ['ResourceType', () => 'AWS::IAM::User'],
    ['EventSource', (i) => SOURCES[i % SOURCES.length]],
    ['ReadOnly', (i) => String(i % 2 === 0)],
    ['AccessKeyId', (i) => `AKIA${String(i % 200).padStart(16, '0')}`],
    ['EventId', (i) => `00000000-0000-4000-8000-${String((i * 104729) % EVENTS).padStart(12, '0')}`],
  ];
  const latencies: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const [key, value] = queries[i % queries.length];
    // A time range: a random window of 1 to 30 days inside the 90-day window.
    const endMs = now - ((i * 31337) % (60 * DAY));
    const startMs = endMs - (1 + (i % 30)) * DAY;
    const t0 = performance.now();
    await queryEvents(store, { account: ACCOUNT, region: 'us-east-1', attribute: { key, value: value(i * 17) }, startMs, endMs, limit: 50 });
    latencies.push(performance.now() - t0);
  }
  return latencies.sort((a, b) => a - b);
}

async function run(): Promise<BenchResult[]> {
  const baseline = await throughput(false);
  const recorded = await throughput(true);
  const overhead = (baseline.rps / recorded.rps - 1) * 100;
  console.error(
    `cloudtrail: GetCallerIdentity without recording ${baseline.rps.toFixed(0)} req/s (p50 ${baseline.p50.toFixed(2)} ms, p99 ${baseline.p99.toFixed(2)} ms); ` +
      `with recording ${recorded.rps.toFixed(0)} req/s (p50 ${recorded.p50.toFixed(2)} ms, p99 ${recorded.p99.toFixed(2)} ms)`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-ct-lookup-'));
  const store = await openStore(`sqlite:${join(dataDir, 'events.db')}`);
  const now = Date.now();
  try {
    const seconds = await generate(store, now);
    console.error(`cloudtrail: ${EVENTS} events generated in ${seconds.toFixed(0)} s`);
    const latencies = await lookupLatencies(store, now);
    console.error(`cloudtrail: lookup p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p95 ${percentile(latencies, 0.95).toFixed(2)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms`);
    return [
      { bench: 'cloudtrail.recording_overhead', value: Math.round(overhead * 10) / 10, unit: '%', target: 15 },
      { bench: 'cloudtrail.recorded_throughput', value: Math.round(recorded.rps), unit: 'req/s', target: 5000 },
      { bench: `cloudtrail.lookup_p95_${EVENTS}_events`, value: Math.round(percentile(latencies, 0.95) * 100) / 100, unit: 'ms', target: 50 },
    ];
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default { run } satisfies Benchmark;
