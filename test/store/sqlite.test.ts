import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { SchemaVersionError } from '../../src/store/errors.ts';
import { openSqliteStore, SCHEMA_VERSION } from '../../src/store/sqlite.ts';
import { runStoreConformance } from './conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `store-${++files}.db`);

runStoreConformance('sqlite', async () => openSqliteStore(freshPath()));

describe('sqlite store on disk', () => {
  it('keeps documents and their versions across close and reopen', async () => {
    const path = freshPath();
    const first = openSqliteStore(path);
    const version = await first.put('iam.users', '123456789012/alice', { UserName: 'alice' });
    await first.close();
    const second = openSqliteStore(path);
    assert.deepEqual(await second.getEntry('iam.users', '123456789012/alice'), {
      key: '123456789012/alice',
      value: { UserName: 'alice' },
      version,
    });
    await second.close();
  });

  it('never reuses a version after a restart, even for a deleted document', async () => {
    const path = freshPath();
    const first = openSqliteStore(path);
    const old = await first.put('t.c', 'k', 1);
    await first.delete('t.c', 'k');
    await first.close();
    const second = openSqliteStore(path);
    assert.ok((await second.put('t.c', 'k', 2)) > old);
    await second.close();
  });

  it('creates the missing parent directories of the database file', async () => {
    const path = join(dir, 'deep', 'er', 'bulwark.db');
    const store = openSqliteStore(path);
    await store.put('t.c', 'a', 1);
    await store.close();
    assert.ok(existsSync(path));
  });

  it('uses a WAL journal and records its schema version', async () => {
    const path = freshPath();
    await openSqliteStore(path).close();
    const db = new DatabaseSync(path);
    assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
    assert.deepEqual({ ...db.prepare('SELECT version FROM schema_version').get() }, { version: SCHEMA_VERSION });
    db.close();
  });

  it('refuses a database written with a newer schema, and leaves it untouched', async () => {
    const path = freshPath();
    await openSqliteStore(path).close();
    const db = new DatabaseSync(path);
    db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION + 1);
    db.close();
    assert.throws(() => openSqliteStore(path), SchemaVersionError);
    const check = new DatabaseSync(path);
    assert.equal((check.prepare('SELECT version FROM schema_version').get() as { version: number }).version, SCHEMA_VERSION + 1);
    check.close();
  });

  it('two stores on one file (as two processes would be) see each other\'s writes and share uniqueness', async () => {
    const path = freshPath();
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    assert.equal(await a.insert('iam.users', 'alice', { by: 'a' }), true);
    assert.equal(await b.insert('iam.users', 'alice', { by: 'b' }), false);
    assert.deepEqual(await b.get('iam.users', 'alice'), { by: 'a' });
    const version = await b.put('iam.users', 'bob', 1);
    assert.equal((await a.getEntry('iam.users', 'bob'))?.version, version);
    assert.ok((await a.put('iam.users', 'carol', 1)) > version, 'one version counter for both');
    await a.close();
    await b.close();
  });
});
