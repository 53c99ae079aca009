// LookupEvents' storage at scale: BENCH_CLOUDTRAIL_EVENTS events (default 1,000,000)
// appended straight into an SQLite store's event log (the path recording takes, in
// appends of 10,000), spread over 80 days in time order, 200 users round robin (the
// worst case for the log's postings: nearly every chunk holds every user), then pages
// of 50 for one attribute and a time range of 1 to 30 days, every attribute in turn.
//   lookup p95   queryEvents, as LookupEvents runs it               target < 50 ms
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './run.ts';
import { percentile } from './support.ts';
import { openStore } from '../src/store/index.ts';
import type { Store } from '../src/store/store.ts';
import type { LoggedEvent } from '../src/store/event-log.ts';
import { queryEvents, type LookupAttributeKey } from '../src/services/cloudtrail/event-store.ts';

const ACCOUNT = '123456789012';
const EVENTS = Number(process.env.BENCH_CLOUDTRAIL_EVENTS ?? 1_000_000);
const APPEND = 10_000;
const LOOKUPS = 400;
const DAY = 24 * 60 * 60 * 1000;
const SPAN = 80 * DAY;

const NAMES = ['GetCallerIdentity', 'CreateUser', 'ListUsers', 'GetRole', 'AssumeRole', 'Encrypt', 'Decrypt', 'DescribeKey', 'PutRolePolicy', 'DeleteUser'];
const SOURCES = ['iam.amazonaws.com', 'sts.amazonaws.com', 'kms.amazonaws.com'];

const user = (i: number) => `user-${i % 200}`;
const accessKey = (i: number) => `AKIA${String(i % 200).padStart(16, '0')}`;
const resource = (i: number) => `arn:aws:iam::${ACCOUNT}:user/res-${i % 5000}`;
const eventId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Event i of the log: a plausible record of about 700 bytes, event 0 the oldest. */
function syntheticEvent(i: number, first: number): LoggedEvent {
  const time = first + Math.floor((i * SPAN) / EVENTS);
  const eventName = NAMES[i % NAMES.length];
  const readOnly = /^(Get|List|Describe)/.test(eventName);
  const record = {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/${user(i)}`, accountId: ACCOUNT, accessKeyId: accessKey(i), userName: user(i) },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: SOURCES[i % SOURCES.length],
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
    requestParameters: { userName: user(i) },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: eventId(i),
    readOnly,
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::User', ARN: resource(i) }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
  return {
    account: ACCOUNT,
    region: 'us-east-1',
    time,
    id: eventId(i),
    eventName,
    eventSource: record.eventSource,
    username: user(i),
    accessKeyId: accessKey(i),
    readOnly,
    resources: [{ type: 'AWS::IAM::User', name: resource(i) }],
    record: JSON.stringify(record),
  };
}

async function generate(store: Store, first: number): Promise<number> {
  const started = performance.now();
  const log = store.eventLog!();
  for (let from = 0; from < EVENTS; from += APPEND) {
    const batch: LoggedEvent[] = [];
    for (let i = from; i < Math.min(EVENTS, from + APPEND); i++) batch.push(syntheticEvent(i, first));
    await log.append(batch);
    if ((from / APPEND) % 20 === 19) console.error(`cloudtrail: ${from + batch.length} events appended (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return (performance.now() - started) / 1000;
}

async function lookupLatencies(store: Store, now: number): Promise<Map<string, number[]>> {
  const queries: [LookupAttributeKey, (i: number) => string][] = [
    ['EventName', (i) => NAMES[i % NAMES.length]],
    ['Username', user],
    ['ResourceName', resource],
    ['ResourceType', () => 'AWS::IAM::User'],
    ['EventSource', (i) => SOURCES[i % SOURCES.length]],
    ['ReadOnly', (i) => String(i % 2 === 0)],
    ['AccessKeyId', accessKey],
    ['EventId', (i) => eventId((i * 104729) % EVENTS)],
  ];
  const latencies = new Map<string, number[]>();
  for (let i = 0; i < LOOKUPS; i++) {
    const [key, value] = queries[i % queries.length];
    // A window of 1 to 30 days ending somewhere in the last 60.
    const endMs = now - ((i * 31337) % (60 * DAY));
    const startMs = endMs - (1 + (i % 30)) * DAY;
    const t0 = performance.now();
    await queryEvents(store, { account: ACCOUNT, region: 'us-east-1', attribute: { key, value: value(i * 17) }, startMs, endMs, limit: 50 });
    const ms = performance.now() - t0;
    latencies.set(key, [...(latencies.get(key) ?? []), ms]);
  }
  return latencies;
}

async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-ct-lookup-'));
  const store = await openStore(`sqlite:${join(dataDir, 'events.db')}`);
  const now = Date.now();
  try {
    const seconds = await generate(store, now - SPAN);
    console.error(`cloudtrail: ${EVENTS} events appended in ${seconds.toFixed(0)} s (${((seconds * 1e6) / EVENTS).toFixed(1)} µs each)`);
    const byKey = await lookupLatencies(store, now);
    for (const [key, values] of byKey) {
      values.sort((a, b) => a - b);
      console.error(`cloudtrail: ${key.padEnd(12)} p50 ${percentile(values, 0.5).toFixed(2)} ms, p95 ${percentile(values, 0.95).toFixed(2)} ms`);
    }
    const all = [...byKey.values()].flat().sort((a, b) => a - b);
    console.error(`cloudtrail: lookup p50 ${percentile(all, 0.5).toFixed(2)} ms, p95 ${percentile(all, 0.95).toFixed(2)} ms, max ${all[all.length - 1].toFixed(2)} ms`);
    return [{ bench: `cloudtrail.lookup_p95_${EVENTS}_events`, value: Math.round(percentile(all, 0.95) * 100) / 100, unit: 'ms', target: 50 }];
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default { run } satisfies Benchmark;
