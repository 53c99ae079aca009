// What the HTTP benchmarks share: a real `bulwark start` process on a free port, SigV4
// signed requests made once and replayed, and a closed-loop load of N connections.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { openStore } from '../src/store/index.ts';
import { ACCESS_KEYS } from '../src/services/credentials.ts';

const root = new URL('../', import.meta.url).pathname;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** A form-encoded query-protocol request (IAM, STS), signed once. */
export async function signedQuery(port: number, service: string, credentials: Credentials, body: string): Promise<SignedRequest> {
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: '/',
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { headers: signed.headers, body };
}

const BENCH_ACCOUNT = '123456789012';
/** An access key of BENCH_ACCOUNT's root user, issued by the store startRootKeyServer makes. */
export const ROOT_KEY: Credentials = { accessKeyId: 'AKIABULWARKBENCH0001', secretAccessKey: 'benchbenchbenchbenchbenchbenchbenchbench' };
const GET_CALLER_IDENTITY = 'Action=GetCallerIdentity&Version=2011-06-15';

/**
 * A fresh SQLite store in `dataDir` holding `key` as an access key Bulwark issued to
 * the root user of `account` (so every request's signature is verified); its URL.
 */
async function storeWithRootKey(dataDir: string, key: Credentials, account: string): Promise<string> {
  const storeUrl = `sqlite:${join(dataDir, 'bulwark.db')}`;
  const store = await openStore(storeUrl);
  await store.put(ACCESS_KEYS, key.accessKeyId, {
    secretAccessKey: key.secretAccessKey,
    active: true,
    principal: { type: 'Root', accountId: account, arn: `arn:aws:iam::${account}:root`, userId: account },
  });
  await store.close();
  return storeUrl;
}

export function send(agent: Agent, port: number, signed: SignedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: signed.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(signed.body);
  });
}

/** Keeps `connections` requests in flight for `durationMs`; returns each one's latency. */
export async function load(agent: Agent, port: number, signed: SignedRequest, connections: number, durationMs: number) {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const status = await send(agent, port, signed);
      latencies.push(performance.now() - t0);
      if (status !== 200) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

/** The mixed IAM workload's users: GetUser asks for one of these at random. */
const MIXED_USERS = 100;
/** Users its writes create before they start deleting the oldest (IAM's quota is 5,000 an account). */
const MIXED_CREATED_USERS = 1_000;
const iamQuery = (params: Record<string, string>) => new URLSearchParams({ Version: '2010-05-08', ...params }).toString();

export interface MixedIamWorkload {
  /** Runs `connections` loops for `durationMs`; resolves to the calls completed and the seconds taken. */
  run(connections: number, durationMs: number): Promise<{ calls: number; seconds: number }>;
}

/**
 * A mixed IAM read/write workload: 70% GetUser, 20% ListUsers (20 a page), 10%
 * CreateUser (DeleteUser of its oldest instead while it holds MIXED_CREATED_USERS),
 * each call signed afresh and sent to the ports in turn. Creates its MIXED_USERS users
 * first; `label` keeps its user names apart from other runs'.
 */
export async function mixedIamWorkload(agent: Agent, ports: readonly number[], credentials: Credentials, label: string): Promise<MixedIamWorkload> {
  let created = 0;
  let deleted = 0;
  let turn = 0;
  const write = (): Record<string, string> =>
    created - deleted < MIXED_CREATED_USERS
      ? { Action: 'CreateUser', UserName: `${label}-new-${created++}` }
      : { Action: 'DeleteUser', UserName: `${label}-new-${deleted++}` };
  const call = async (params: Record<string, string>) => {
    const port = ports[turn++ % ports.length];
    const status = await send(agent, port, await signedQuery(port, 'iam', credentials, iamQuery(params)));
    if (status !== 200) throw new Error(`${params.Action} answered ${status} on ${label}`);
  };
  for (let i = 0; i < MIXED_USERS; i++) await call({ Action: 'CreateUser', UserName: `${label}-user-${i}` });
  return {
    async run(connections, durationMs) {
      let calls = 0;
      const started = performance.now();
      const deadline = started + durationMs;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (performance.now() < deadline) {
            const dice = Math.random();
            await call(
              dice < 0.7
                ? { Action: 'GetUser', UserName: `${label}-user-${Math.floor(Math.random() * MIXED_USERS)}` }
                : dice < 0.9
                  ? { Action: 'ListUsers', MaxItems: '20' }
                  : write(),
            );
            calls++;
          }
        }),
      );
      return { calls, seconds: (performance.now() - started) / 1000 };
    },
  };
}

export interface BulwarkProcess {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawning to the first 200 answer to `probe`. */
  startMs: number;
  stop(): Promise<void>;
}

/** Starts `bulwark start` on `storeUrl` and waits until `probe` is answered 200. */
export async function startBulwark(
  storeUrl: string,
  dataDir: string,
  probe: (port: number) => Promise<SignedRequest>,
  extraArgs: string[] = [],
): Promise<BulwarkProcess> {
  const port = await freePort();
  const signed = await probe(port);
  const agent = new Agent({ keepAlive: true });
  // BENCH_NODE_FLAGS passes flags to the server's node (e.g. --cpu-prof to profile it).
  const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const bulwark = [join(root, 'src/cli/main.ts'), 'start', '--port', String(port), '--store', storeUrl, '--data-dir', dataDir, ...extraArgs];
  const started = performance.now();
  const child = spawn(join(root, 'node_modules/.bin/node'), [...nodeFlags, ...bulwark], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    agent.destroy();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  };
  try {
    for (;;) {
      const status = await send(agent, port, signed).catch(() => 0);
      if (status === 200) break;
      if (status !== 0) throw new Error(`the probe request answered ${status}`);
      if (performance.now() - started > 10_000) throw new Error('Bulwark did not answer within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, port, startMs: performance.now() - started, stop };
}

// Bulwark did not issue this key: permissive mode takes it as the default account's root.
export const PERMISSIVE_ROOT: Credentials = { accessKeyId: 'AKIABENCHMIXED000001', secretAccessKey: 'unused-unused-unused-unused-unused-unuse' };

export interface Nodes {
  nodes: BulwarkProcess[];
  /** Stops the nodes and removes their data directory. */
  stop(): Promise<void>;
}

/**
 * `count` nodes of `bulwark start` on `storeUrl` (a fresh SQLite store in a temporary
 * data directory when empty), ready once each answers PERMISSIVE_ROOT's ListUsers.
 */
export async function startNodes(storeUrl: string, count: number, extraArgs: string[] = []): Promise<Nodes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const probe = (port: number) => signedQuery(port, 'iam', PERMISSIVE_ROOT, 'Action=ListUsers&MaxItems=1&Version=2010-05-08');
  const nodes: BulwarkProcess[] = [];
  const stop = async () => {
    for (const node of nodes) await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) nodes.push(await startBulwark(storeUrl || `sqlite:${join(dataDir, 'bulwark.db')}`, dataDir, probe, ['--log-level', 'warn', ...extraArgs]));
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, stop };
}

/**
 * A PostgreSQL URL to measure on, and how to let go of it: BULWARK_TEST_POSTGRES_URL,
 * else a throwaway cluster (scripts/ci-postgres.sh, when Debian's postgresql is
 * installed); undefined without either.
 */
export function benchPostgres(): { url: string; release(): void } | undefined {
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

export interface RootKeyServer {
  bulwark: BulwarkProcess;
  /** sts:GetCallerIdentity signed with ROOT_KEY for this server (the readiness probe). */
  getCallerIdentity: SignedRequest;
  /** Keep-alive connections to the server, as many as the load's. */
  agent: Agent;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * `bulwark start` on a fresh SQLite store in a temporary data directory, where ROOT_KEY
 * is an access key Bulwark issued (so every signature is verified); ready once it
 * answers a signed sts:GetCallerIdentity.
 */
export async function startRootKeyServer(connections: number, extraArgs: string[] = []): Promise<RootKeyServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const storeUrl = await storeWithRootKey(dataDir, ROOT_KEY, BENCH_ACCOUNT);
    let getCallerIdentity: SignedRequest | undefined;
    const probe = async (port: number) => (getCallerIdentity = await signedQuery(port, 'sts', ROOT_KEY, GET_CALLER_IDENTITY));
    const bulwark = await startBulwark(storeUrl, dataDir, probe, extraArgs);
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const stop = async () => {
      agent.destroy();
      await bulwark.stop();
      removeDataDir();
    };
    return { bulwark, getCallerIdentity: getCallerIdentity!, agent, stop };
  } catch (error) {
    removeDataDir();
    throw error;
  }
}

export function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}
