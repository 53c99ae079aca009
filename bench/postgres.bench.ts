// A mixed IAM read/write workload (70% GetUser, 20% ListUsers, 10% CreateUser) over
// HTTP, 20 connections: on two Bulwark nodes sharing one PostgreSQL database, printed
// beside the same workload on one node with its embedded SQLite store. The PostgreSQL
// figure needs a database: BULWARK_TEST_POSTGRES_URL, or Debian's postgresql installed
// (a throwaway cluster is started with scripts/ci-postgres.sh); without either only the
// SQLite figure is printed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './run.ts';
import { mixedIamWorkload, signedQuery, startBulwark, type BulwarkProcess, type Credentials } from './support.ts';

const CONNECTIONS = 20;
const DURATION_MS = 5_000;
// Bulwark did not issue this key: permissive mode takes it as the default account's root.
const ROOT: Credentials = { accessKeyId: 'AKIABENCHMIXED000001', secretAccessKey: 'unused-unused-unused-unused-unused-unuse' };
const root = new URL('../', import.meta.url).pathname;

/** Runs the workload against the nodes (round robin); returns completed calls per second. */
async function mixedWorkload(nodes: BulwarkProcess[], label: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    const workload = await mixedIamWorkload(
      agent,
      nodes.map((n) => n.port),
      ROOT,
      label,
    );
    const { calls, seconds } = await workload.run(CONNECTIONS, DURATION_MS);
    return calls / seconds;
  } finally {
    agent.destroy();
  }
}

async function withNodes<T>(storeUrl: string, count: number, work: (nodes: BulwarkProcess[]) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const probe = (port: number) => signedQuery(port, 'iam', ROOT, 'Action=ListUsers&MaxItems=1&Version=2010-05-08');
  const nodes: BulwarkProcess[] = [];
  try {
    for (let i = 0; i < count; i++) nodes.push(await startBulwark(storeUrl || `sqlite:${join(dataDir, 'bulwark.db')}`, dataDir, probe, ['--log-level', 'warn']));
    return await work(nodes);
  } finally {
    for (const node of nodes) await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A PostgreSQL URL to measure on, and how to let go of it. */
function postgres(): { url: string; release(): void } | undefined {
  if (process.env.BULWARK_TEST_POSTGRES_URL) return { url: process.env.BULWARK_TEST_POSTGRES_URL, release() {} };
  try {
    const exports = execFileSync('bash', [join(root, 'scripts/ci-postgres.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const url = /BULWARK_TEST_POSTGRES_URL=(\S+)/.exec(exports)?.[1];
    const dir = /BULWARK_TEST_POSTGRES_DIR=(\S+)/.exec(exports)?.[1];
    if (!url || !dir) return undefined;
    return {
      url,
      release: () => execFileSync('bash', [join(root, 'scripts/ci-postgres.sh'), 'stop'], { env: { ...process.env, BULWARK_TEST_POSTGRES_DIR: dir }, stdio: 'ignore' }),
    };
  } catch {
    return undefined;
  }
}

async function run(): Promise<BenchResult[]> {
  const sqlite = await withNodes('', 1, (nodes) => mixedWorkload(nodes, 'sqlite'));
  console.error(`postgres: mixed IAM workload, one node on SQLite: ${Math.round(sqlite)} calls/s`);
  const results: BenchResult[] = [{ bench: 'store.mixed_iam.sqlite_one_node', value: Math.round(sqlite), unit: 'calls/s', target: 0 }];
  const database = postgres();
  if (!database) {
    console.error('postgres: no PostgreSQL (set BULWARK_TEST_POSTGRES_URL or install postgresql): two-node figure skipped');
    return results;
  }
  try {
    const twoNodes = await withNodes(database.url, 2, (nodes) => mixedWorkload(nodes, `pg-${Date.now()}`));
    console.error(`postgres: the same workload, two nodes on one PostgreSQL: ${Math.round(twoNodes)} calls/s`);
    results.push({ bench: 'store.mixed_iam.postgres_two_nodes', value: Math.round(twoNodes), unit: 'calls/s', target: 0 });
  } finally {
    database.release();
  }
  return results;
}

export default { run } satisfies Benchmark;
