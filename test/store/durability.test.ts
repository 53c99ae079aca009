// Crash tests for the SQLite store: a child process writes, is killed with SIGKILL
// (no chance to flush or close), and the store it leaves behind is reopened here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { NUMBERS, PENDING, numberDocument, numberKey } from './fixtures/numbered-documents.ts';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-durability-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a fixture (with the same Node 24 that runs the tests) on a database file,
 * kills it with SIGKILL once `killWhen` accepts a line it printed, and resolves with
 * every line it printed before dying.
 */
function runAndKill(fixture: string, dbPath: string, killWhen: (line: string) => boolean): Promise<string[]> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', fixture), dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (killWhen(line)) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`${fixture} ended by itself (code ${code}) before it was killed: ${stderr}`));
    });
  });
}

describe('sqlite store durability', () => {
  it('after SIGKILL mid-way, every acknowledged write is there and no document is half-written', async () => {
    const path = join(dir, 'numbers.db');
    const acknowledged = (await runAndKill('write-until-killed.ts', path, (line) => Number(line) >= 150)).map(Number);
    assert.deepEqual(acknowledged, acknowledged.map((_, i) => i + 1), 'the child acknowledges in order');
    const lastAcknowledged = acknowledged.at(-1)!;

    const store = openSqliteStore(path);
    const { items } = await store.list(NUMBERS);
    await store.close();
    // Writes were sequential: what survives is 1..m, where m is the last acknowledged
    // write, or the one after it if it committed but was killed before printing.
    assert.ok(items.length >= lastAcknowledged, `${items.length} documents survive, ${lastAcknowledged} were acknowledged`);
    assert.ok(items.length <= lastAcknowledged + 1, `${items.length} documents survive, only ${lastAcknowledged + 1} writes began`);
    items.forEach((entry, i) => {
      assert.equal(entry.key, numberKey(i + 1));
      assert.deepEqual(entry.value, numberDocument(i + 1));
    });
  });

  it('a multi-document transaction killed before its commit leaves none of its writes', async () => {
    const path = join(dir, 'pending.db');
    const lines = await runAndKill('hang-in-transaction.ts', path, (line) => line === 'written');
    assert.deepEqual(lines, ['committed', 'written']);

    const store = openSqliteStore(path);
    assert.equal(await store.count(PENDING), 0);
    assert.deepEqual(await store.get(NUMBERS, numberKey(0)), numberDocument(0), 'what was committed before survives');
    assert.equal(await store.insert(PENDING, numberKey(1), 'the store is writable again'), true);
    await store.close();
  });
});
