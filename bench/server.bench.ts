// The server's own figures, measured on a real `bulwark start` process:
//   cold start  process start to the first answered request      target < 500 ms
//   idle RSS    resident memory once started and idle             target < 150 MB
//   throughput  signed sts:GetCallerIdentity, 50 connections      target >= 5,000 req/s
//   latency     p99 of the same                                   target < 10 ms
// The access key is one Bulwark issued, so every request's signature is verified.
import type { Benchmark, BenchResult } from './run.ts';
import { load, percentile, rssMb, startRootKeyServer } from './support.ts';

const CONNECTIONS = 50;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;

async function run(): Promise<BenchResult[]> {
  const server = await startRootKeyServer(CONNECTIONS);
  const { bulwark, agent, getCallerIdentity: signed } = server;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRss = rssMb(bulwark.child);
    // A short warm-up first: JIT compilation and first-use caches are not steady state.
    await load(agent, bulwark.port, signed, CONNECTIONS, WARMUP_MS);
    const { latencies, failures, seconds } = await load(agent, bulwark.port, signed, CONNECTIONS, DURATION_MS);
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
    await server.stop();
  }
}

export default { run } satisfies Benchmark;
