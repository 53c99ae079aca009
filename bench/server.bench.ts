// The server's own figures, measured on a real `bulwark start` process:
//   cold start  process start to the first answered request      target < 500 ms
//   idle RSS    resident memory once started and idle             target < 150 MB
//   throughput  signed sts:GetCallerIdentity, 50 connections      target >= 5,000 req/s
//   latency     p99 of the same                                   target < 10 ms
// The access key is one Bulwark issued, so every request's signature is verified.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { Benchmark, BenchResult } from './run.ts';
import { openStore } from '../src/store/index.ts';
import { ACCESS_KEYS } from '../src/services/credentials.ts';

const CONNECTIONS = 50;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const ACCOUNT = '123456789012';
const KEY = { accessKeyId: 'AKIABULWARKBENCH0001', secretAccessKey: 'benchbenchbenchbenchbenchbenchbenchbench' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const root = new URL('../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function signedHeaders(port: number): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: KEY, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: '/',
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: BODY,
  });
  return signed.headers;
}

function send(agent: Agent, port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

/** Keeps CONNECTIONS requests in flight for `durationMs`; returns each one's latency. */
async function load(agent: Agent, port: number, headers: Record<string, string>, durationMs: number) {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const status = await send(agent, port, headers);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { latencies, failures };
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

async function run(): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const storeUrl = `sqlite:${join(dataDir, 'bulwark.db')}`;
  const store = await openStore(storeUrl);
  await store.put(ACCESS_KEYS, KEY.accessKeyId, {
    secretAccessKey: KEY.secretAccessKey,
    active: true,
    principal: { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT },
  });
  await store.close();

  const port = await freePort();
  const headers = await signedHeaders(port);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const started = performance.now();
  // BENCH_NODE_FLAGS passes flags to the server's node (e.g. --cpu-prof to profile it).
  const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const bulwark = [join(root, 'src/cli/main.ts'), 'start', '--port', String(port), '--store', storeUrl, '--data-dir', dataDir];
  const child = spawn(join(root, 'node_modules/.bin/node'), [...nodeFlags, ...bulwark], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    let coldStartMs = 0;
    for (;;) {
      const status = await send(agent, port, headers).catch(() => 0);
      if (status === 200) {
        coldStartMs = performance.now() - started;
        break;
      }
      if (status !== 0) throw new Error(`GetCallerIdentity answered ${status}`);
      if (performance.now() - started > 10_000) throw new Error('Bulwark did not answer within 10 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = rssMb(child);

    // A short warm-up first: JIT compilation and first-use caches are not steady state.
    await load(agent, port, headers, WARMUP_MS);
    const t0 = performance.now();
    const { latencies, failures } = await load(agent, port, headers, DURATION_MS);
    const elapsed = (performance.now() - t0) / 1000;
    if (failures > 0) throw new Error(`${failures} requests failed`);
    latencies.sort((a, b) => a - b);
    const pct = (q: number) => latencies[Math.floor(latencies.length * q)];
    const p99 = pct(0.99);
    console.error(`server: latency p50 ${pct(0.5).toFixed(2)} ms, p90 ${pct(0.9).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`);
    return [
      { bench: 'server.cold_start', value: Math.round(coldStartMs), unit: 'ms', target: 500 },
      { bench: 'server.idle_rss', value: idleRss, unit: 'MB', target: 150 },
      { bench: 'server.get_caller_identity.throughput', value: Math.round(latencies.length / elapsed), unit: 'req/s', target: 5000 },
      { bench: 'server.get_caller_identity.p99', value: Math.round(p99 * 100) / 100, unit: 'ms', target: 10 },
    ];
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default { run } satisfies Benchmark;
