// `bulwark start` as a user runs it: a real process on a real SQLite store, one log
// line per request, and a graceful SIGTERM that loses no acknowledged write.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateUserCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DUMMY_CREDENTIALS } from '../helpers/server.ts';

const root = new URL('../../', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts `bulwark start` on a free port and waits for the line saying where it listens. */
function startBulwark(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(join(root, 'bin/bulwark'), ['start', '--port', '0', ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 10 s: ${err}`)), 10_000);
    child.stderr!.on('data', (chunk) => {
      err += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stdout: () => out, exited });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
}

describe('bulwark start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves from its SQLite store, logs each request, and keeps acknowledged writes across a SIGTERM', async () => {
    const first = await startBulwark(['--data-dir', dataDir], { BULWARK_LOG_LEVEL: 'info' });
    const iam = (url: string) => new IAMClient({ endpoint: url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    await iam(first.url).send(new CreateUserCommand({ UserName: 'durable-dora' }));
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, 'a graceful shutdown exits 0');

    const lines = first
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const request = lines.find((line) => line.msg === 'request' && line.operation === 'CreateUser');
    assert.ok(request, 'a log line for the CreateUser request');
    assert.equal(request.service, 'iam');
    assert.equal(request.status, 200);
    assert.equal(request.principal, 'arn:aws:iam::123456789012:root');
    assert.equal(typeof request.latencyMs, 'number');

    const second = await startBulwark(['--data-dir', dataDir, '--log-level', 'silent']);
    try {
      const { User } = await iam(second.url).send(new GetUserCommand({ UserName: 'durable-dora' }));
      assert.equal(User?.UserName, 'durable-dora');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('refuses a bad setting with a message naming it, and exit status 2', async () => {
    const child = spawn(join(root, 'bin/bulwark'), ['start', '--auth', 'lax'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /--auth must be one of permissive, strict/);
  });
});
