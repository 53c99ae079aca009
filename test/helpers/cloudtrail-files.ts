// For CloudTrail delivery tests: a server that delivers quickly into a data directory,
// the objects in a trail's local bucket, waiting for files to appear, moving Bulwark's
// clock, and running `bulwark cloudtrail validate-logs`.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { RunningServer } from '../../src/server/server.ts';
import { startTestServer } from './server.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/**
 * A Bulwark whose logging trails deliver every 50 ms into a fresh data directory, its
 * store a SQLite file there as `bulwark start` keeps it (what validate-logs reads).
 * `close()` stops it and removes the directory.
 */
export async function startDeliveringServer(name: string): Promise<{ server: RunningServer; dataDir: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `bulwark-${name}-`));
  const server = await startTestServer({ dataDir, store: `sqlite:${join(dataDir, 'bulwark.db')}`, cloudTrailRecording: true, cloudTrailDeliveryMs: 50 });
  const close = async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { server, dataDir, close };
}

/** The `.json.gz` object keys of a bucket directory, sorted. */
export function bucketObjects(dataDir: string, bucket: string): string[] {
  const dir = join(dataDir, 's3', bucket);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json.gz'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** The records of a delivered log file: `key` is an object key of the bucket. */
export function logRecords<T>(dataDir: string, bucket: string, key: string): T[] {
  return (JSON.parse(gunzipSync(readFileSync(join(dataDir, 's3', bucket, key))).toString()) as { Records: T[] }).Records;
}

/** Polls `probe` until it answers something (10 s at most). */
export async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Moves Bulwark's clock forward, as a test suite does: POST /_bulwark/clock. */
export async function advanceClock(serverUrl: string, seconds: number): Promise<void> {
  const answer = await fetch(`${serverUrl}/_bulwark/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: seconds }) });
  if (answer.status !== 200) throw new Error(`the clock did not move: ${answer.status}`);
}

/** Runs `bulwark cloudtrail validate-logs ARGS`: its exit code and output. */
export async function runValidateLogs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(root, 'bin/bulwark'), ['cloudtrail', 'validate-logs', ...args], { env: { PATH: process.env.PATH } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
