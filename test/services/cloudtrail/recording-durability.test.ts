// CloudTrail's promise: no acknowledged call is missing from the record. A real
// `bulwark start` on SQLite (recording on, its default) answers calls from several
// clients and is killed with SIGKILL mid-way, then started again on the same files,
// a few times over; the event log left behind holds a record of every call whose
// answer reached a client. (An answer sent before its record is committed is caught
// in about one kill of four: hence several.)
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { openSqliteStore } from '../../../src/store/sqlite.ts';
import type { EventLogCursor } from '../../../src/store/event-log.ts';
import { startBulwarkProcess } from '../../helpers/bulwark-process.ts';
import { DUMMY_CREDENTIALS, TEST_ACCOUNT, TEST_REGION } from '../../helpers/server.ts';

const CLIENTS = 16;
const KILLS = 5;
const KILL_AFTER_ACKNOWLEDGED = 150;

const dir = mkdtempSync(join(tmpdir(), 'bulwark-recording-durability-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The requestID of every record in the log of the default account and region. */
async function recordedRequestIds(dbPath: string): Promise<Set<string>> {
  const store = openSqliteStore(dbPath);
  const ids = new Set<string>();
  try {
    let before: EventLogCursor | undefined;
    do {
      const page = await store.eventLog!().query({ account: TEST_ACCOUNT, region: TEST_REGION, start: 0, end: Date.now() + 60_000, limit: 500, before });
      for (const event of page.events) ids.add((JSON.parse(event.record) as { requestID: string }).requestID);
      before = page.next;
    } while (before);
  } finally {
    await store.close();
  }
  return ids;
}

/** Calls GetCallerIdentity from CLIENTS clients until SIGKILL; resolves with the request ids answered. */
async function loadUntilKilled(dataDir: string): Promise<string[]> {
  // Recording is left at its default.
  const { child, url } = await startBulwarkProcess(['--data-dir', dataDir]);
  const sts = new STSClient({ endpoint: url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  const acknowledged: string[] = [];
  const exited = once(child, 'exit');
  const client = async () => {
    for (;;) {
      try {
        // An answer that arrives after the kill was still sent before it: it counts too.
        const answer = await sts.send(new GetCallerIdentityCommand({}));
        acknowledged.push(answer.$metadata.requestId!);
      } catch {
        return; // the server is gone
      }
      if (acknowledged.length >= KILL_AFTER_ACKNOWLEDGED) child.kill('SIGKILL');
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  await exited;
  sts.destroy();
  assert.ok(acknowledged.length >= KILL_AFTER_ACKNOWLEDGED);
  return acknowledged;
}

describe('CloudTrail recording durability', () => {
  it('after SIGKILL under load, again and again, every call a client got an answer to has its record', async () => {
    const dataDir = join(dir, 'killed');
    const acknowledged: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) acknowledged.push(...(await loadUntilKilled(dataDir)));
    const recorded = await recordedRequestIds(join(dataDir, 'bulwark.db'));
    const missing = acknowledged.filter((id) => !recorded.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged calls have no record`);
  });
});
