// The server's own figures, measured on a real `bulwark start` process:
//   cold start  process start to the first answered request      target < 500 ms
//   idle RSS    resident memory once started and idle             target < 150 MB
//   throughput  signed sts:GetCallerIdentity, 50 connections      target >= 5,000 req/s
//   latency     p99 of the same                                   target < 10 ms
// The access key is one Bulwark issued, so every request's signature is verified.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './run.ts';
import { load, percentile, rssMb, signedQuery, startBulwark, storeWithRootKey } from './support.ts';

const CONNECTIONS = 50;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const ACCOUNT = '123456789012';
const KEY = { accessKeyId: 'AKIABULWARKBENCH0001', secretAccessKey: 'benchbenchbenchbenchbenchbenchbenchbench' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const storeUrl = await storeWithRootKey(dataDir, KEY, ACCOUNT);

  let signed;
  const bulwark = await startBulwark(storeUrl, dataDir, async (port) => (signed = await signedQuery(port, 'sts', KEY, BODY)));
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRss = rssMb(bulwark.child);
    // A short warm-up first: JIT compilation and first-use caches are not steady state.
    await load(agent, bulwark.port, signed!, CONNECTIONS, WARMUP_MS);
    const { latencies, failures, seconds } = await load(agent, bulwark.port, signed!, CONNECTIONS, DURATION_MS);
    if (failures > 0) throw new Error(`${failures} requests failed`);
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 0.99);
    console.error(
      `server: latency p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p90 ${percentile(latencies, 0.9).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
    );
    return [
      { bench: 'server.cold_start', value: Math.round(bulwark.startMs), unit: 'ms', target: 500 },
      { bench: 'server.idle_rss', value: idleRss, unit: 'MB', target: 150 },
      { bench: 'server.get_caller_identity.throughput', value: Math.round(latencies.length / seconds), unit: 'req/s', target: 5000 },
      { bench: 'server.get_caller_identity.p99', value: Math.round(p99 * 100) / 100, unit: 'ms', target: 10 },
    ];
  } finally {
    agent.destroy();
    await bulwark.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default { run } satisfies Benchmark;
