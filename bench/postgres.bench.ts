// A mixed IAM read/write workload (70% GetUser, 20% ListUsers, 10% CreateUser/DeleteUser) over
// HTTP, 20 connections: on two Bulwark nodes sharing one PostgreSQL database, printed
// beside the same workload on one node with its embedded SQLite store. The PostgreSQL
// figure needs a database: BULWARK_TEST_POSTGRES_URL, or Debian's postgresql installed
// (a throwaway cluster is started with scripts/ci-postgres.sh); without either only the
// SQLite figure is printed.
import { Agent } from 'node:http';
import type { Benchmark, BenchResult } from './run.ts';
import { benchPostgres, mixedIamWorkload, PERMISSIVE_ROOT, startNodes, type BulwarkProcess } from './support.ts';

const CONNECTIONS = 20;
const DURATION_MS = 5_000;

/** Runs the workload against the nodes (round robin); returns completed calls per second. */
async function mixedWorkload(nodes: BulwarkProcess[], label: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    const workload = await mixedIamWorkload(
      agent,
      nodes.map((n) => n.port),
      PERMISSIVE_ROOT,
      label,
    );
    const { calls, seconds } = await workload.run(CONNECTIONS, DURATION_MS);
    return calls / seconds;
  } finally {
    agent.destroy();
  }
}

async function withNodes<T>(storeUrl: string, count: number, work: (nodes: BulwarkProcess[]) => Promise<T>): Promise<T> {
  const { nodes, stop } = await startNodes(storeUrl, count);
  try {
    return await work(nodes);
  } finally {
    await stop();
  }
}

async function run(): Promise<BenchResult[]> {
  const sqlite = await withNodes('', 1, (nodes) => mixedWorkload(nodes, 'sqlite'));
  console.error(`postgres: mixed IAM workload, one node on SQLite: ${Math.round(sqlite)} calls/s`);
  const results: BenchResult[] = [{ bench: 'store.mixed_iam.sqlite_one_node', value: Math.round(sqlite), unit: 'calls/s', target: 0 }];
  const database = benchPostgres();
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
