// What CloudTrail recording costs a call, on two real `bulwark start` processes (SQLite
// store), one recording and one not, under two workloads:
//   - signed sts:GetCallerIdentity, 50 connections: the cheapest call, so recording's
//     share of it is the largest;
//   - the mixed IAM workload (70% GetUser, 20% ListUsers, 10% CreateUser, each signed
//     afresh), 20 connections: reads and document-store writes beside the event log's;
//     and the same on two nodes sharing one PostgreSQL database (each side its own
//     schema), when there is one (BULWARK_TEST_POSTGRES_URL, or Debian's postgresql for
//     a throwaway cluster). Its CPU figure counts Bulwark's processes, not the database's.
// The machine is shared, so the two are measured in interleaved rounds (off, on, on,
// off, ...) and each figure is the median of the rounds' ratios: a neighbour's burst
// then skews one round, not the figure.
//   recording overhead      rps(off) / rps(on) - 1                          target <= 15 %
//   recording CPU overhead  server CPU time per call (all threads), on / off - 1: the
//                           cost itself, less swayed by what else the machine runs  target <= 15 %
//   recorded throughput     GetCallerIdentity rps with recording            target >= 5,000 req/s
// BENCH_ROUNDS (default 10) and BENCH_ROUND_MS (default 2000) size the run;
// BENCH_NODE_FLAGS (e.g. --cpu-prof) goes to both servers' node.
import { readFileSync } from 'node:fs';
import type { Benchmark, BenchResult } from './run.ts';
import { Agent } from 'node:http';
import pg from 'pg';
import { benchPostgres, load, mixedIamWorkload, percentile, PERMISSIVE_ROOT, ROOT_KEY, startNodes, startRootKeyServer, type BulwarkProcess, type Credentials, type Nodes, type RootKeyServer } from './support.ts';

const CALLER_IDENTITY_CONNECTIONS = 50;
const MIXED_CONNECTIONS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2_000);
/** /proc/PID/stat counts CPU time in clock ticks: 100 a second on Linux. */
const TICKS_PER_SECOND = 100;
const WARMUP_MS = 1_500;
/** Two nodes and a database take longer to settle (JIT, the database's caches and plans). */
const POSTGRES_WARMUP_MS = 10_000;

const startServer = (recording: boolean) => startRootKeyServer(CALLER_IDENTITY_CONNECTIONS, ['--cloudtrail-recording', recording ? 'on' : 'off']);

/** One workload on one server: runs it for a while; resolves to the calls made and their latencies, if kept. */
type Workload = (durationMs: number) => Promise<{ calls: number; seconds: number; latencies?: number[] }>;

interface Measurement {
  rps: number;
  /** Server CPU time (user + system, every thread) per call, in µs. */
  cpuPerCall: number;
  latencies: number[];
}

/** A workload and the server processes that answer it. */
interface Side {
  pids: number[];
  workload: Workload;
}

async function measure({ pids, workload }: Side, durationMs: number): Promise<Measurement> {
  const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = cpu();
  const { calls, seconds, latencies = [] } = await workload(durationMs);
  return { rps: calls / seconds, cpuPerCall: ((cpu() - cpuBefore) / calls) * 1e6, latencies };
}

function callerIdentity(server: RootKeyServer): Side {
  const workload: Workload = async (durationMs) => {
    const { latencies, failures, seconds } = await load(server.agent, server.bulwark.port, server.getCallerIdentity, CALLER_IDENTITY_CONNECTIONS, durationMs);
    if (failures > 0) throw new Error(`${failures} requests failed`);
    return { calls: latencies.length, seconds, latencies };
  };
  return { pids: [server.bulwark.child.pid!], workload };
}

/** The mixed IAM workload over these Bulwark processes (in turn), signed with `credentials`. */
async function mixedIam(nodes: BulwarkProcess[], agent: Agent, credentials: Credentials): Promise<Side> {
  const workload = await mixedIamWorkload(agent, nodes.map((n) => n.port), credentials, 'recording');
  return { pids: nodes.map((n) => n.child.pid!), workload: (durationMs) => workload.run(MIXED_CONNECTIONS, durationMs) };
}

/** The process's CPU time so far (utime + stime, fields 14 and 15 of /proc/PID/stat). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Comparison {
  /** Medians over the rounds, in %. */
  overhead: number;
  cpuOverhead: number;
  recordedRps: number;
  /** Every recorded call's latency, sorted (when the workload keeps them). */
  recordedLatencies: number[];
}

/** Runs the workload on both sides in interleaved rounds. */
async function compare(name: string, off: Side, on: Side, warmupMs = WARMUP_MS): Promise<Comparison> {
  await measure(off, warmupMs);
  await measure(on, warmupMs);
  const overheads: number[] = [];
  const cpuOverheads: number[] = [];
  const recordedRps: number[] = [];
  const recordedLatencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // ABBA order: neither side always runs first (after the other's load).
    const withoutFirst = round % 2 === 0;
    const first = await measure(withoutFirst ? off : on, ROUND_MS);
    const second = await measure(withoutFirst ? on : off, ROUND_MS);
    const [without, withRecording] = withoutFirst ? [first, second] : [second, first];
    overheads.push((without.rps / withRecording.rps - 1) * 100);
    cpuOverheads.push((withRecording.cpuPerCall / without.cpuPerCall - 1) * 100);
    recordedRps.push(withRecording.rps);
    recordedLatencies.push(...withRecording.latencies);
    console.error(
      `cloudtrail: ${name}: round ${round + 1}: without recording ${without.rps.toFixed(0)} req/s (${without.cpuPerCall.toFixed(0)} µs CPU a call), ` +
        `with ${withRecording.rps.toFixed(0)} req/s (${withRecording.cpuPerCall.toFixed(0)} µs): ` +
        `${overheads[round].toFixed(1)} % throughput, ${cpuOverheads[round].toFixed(1)} % CPU`,
    );
  }
  const comparison = { overhead: median(overheads), cpuOverhead: median(cpuOverheads), recordedRps: median(recordedRps), recordedLatencies: recordedLatencies.sort((a, b) => a - b) };
  console.error(
    `cloudtrail: ${name}: over ${ROUNDS} rounds, recording costs ${comparison.overhead.toFixed(1)} % throughput, ${comparison.cpuOverhead.toFixed(1)} % CPU a call (medians)`,
  );
  return comparison;
}

const tenths = (value: number) => Math.round(value * 10) / 10;

async function run(): Promise<BenchResult[]> {
  const results = await onSqlite();
  return [...results, ...(await onPostgres())];
}

async function onSqlite(): Promise<BenchResult[]> {
  const off = await startServer(false);
  const on = await startServer(true).catch(async (error) => {
    await off.stop();
    throw error;
  });
  try {
    const identity = await compare('GetCallerIdentity', callerIdentity(off), callerIdentity(on));
    const latencies = identity.recordedLatencies;
    console.error(`cloudtrail: GetCallerIdentity recorded p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`);
    const mixed = await compare('mixed IAM', await mixedIam([off.bulwark], off.agent, ROOT_KEY), await mixedIam([on.bulwark], on.agent, ROOT_KEY));
    return [
      { bench: 'cloudtrail.recording_overhead', value: tenths(identity.overhead), unit: '%', target: 15 },
      { bench: 'cloudtrail.recording_cpu_overhead', value: tenths(identity.cpuOverhead), unit: '%', target: 15 },
      { bench: 'cloudtrail.recorded_throughput', value: Math.round(identity.recordedRps), unit: 'req/s', target: 5000 },
      { bench: 'cloudtrail.recording_overhead.mixed_iam', value: tenths(mixed.overhead), unit: '%', target: 15 },
      { bench: 'cloudtrail.recording_cpu_overhead.mixed_iam', value: tenths(mixed.cpuOverhead), unit: '%', target: 15 },
    ];
  } finally {
    await Promise.all([off.stop(), on.stop()]);
  }
}

async function onPostgres(): Promise<BenchResult[]> {
  const database = benchPostgres();
  if (!database) {
    console.error('cloudtrail: no PostgreSQL (set BULWARK_TEST_POSTGRES_URL or install postgresql): its figure skipped');
    return [];
  }
  const schemas: string[] = [];
  const schemaUrl = (name: string) => {
    const url = new URL(database.url);
    schemas.push(`bench_recording_${name}_${Date.now()}`);
    url.searchParams.set('schema', schemas.at(-1)!);
    return url.toString();
  };
  const agent = new Agent({ keepAlive: true, maxSockets: MIXED_CONNECTIONS });
  const started: Nodes[] = [];
  try {
    started.push(await startNodes(schemaUrl('off'), 2, ['--cloudtrail-recording', 'off']));
    started.push(await startNodes(schemaUrl('on'), 2, ['--cloudtrail-recording', 'on']));
    const mixed = await compare('mixed IAM, two nodes on PostgreSQL', await mixedIam(started[0].nodes, agent, PERMISSIVE_ROOT), await mixedIam(started[1].nodes, agent, PERMISSIVE_ROOT), POSTGRES_WARMUP_MS);
    return [{ bench: 'cloudtrail.recording_overhead.mixed_iam_postgres', value: tenths(mixed.overhead), unit: '%', target: 15 }];
  } finally {
    agent.destroy();
    for (const nodes of started) await nodes.stop();
    await dropSchemas(database.url, schemas);
    database.release();
  }
}

async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export default { run } satisfies Benchmark;
