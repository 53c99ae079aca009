// The PostgreSQL store: the shared conformance suite, plus what only a database
// server shared by several nodes has (migrations, two stores on one schema, retried
// transactions, change notices). Runs when BULWARK_TEST_POSTGRES_URL is set.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SchemaVersionError, StoreClosedError, StoreUrlError } from '../../src/store/errors.ts';
import { openStore } from '../../src/store/index.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { parseStoreUrl, POSTGRES_SCHEMA_VERSION } from '../../src/store/postgres-schema.ts';
import type { Store } from '../../src/store/store.ts';
import { runStoreConformance } from './conformance.ts';
import { adminQuery, dropCreatedSchemas, freshSchemaUrl, SKIP_REASON } from './postgres-database.ts';

describe('openStore with a PostgreSQL URL (no server needed)', () => {
  it('hands postgres:// and postgresql:// URLs to the PostgreSQL store: a server that is not there is a connection error', async () => {
    for (const url of ['postgres://nobody@127.0.0.1:1/none', 'postgresql://nobody:secret@127.0.0.1:1/none?schema=bulwark']) {
      await assert.rejects(openStore(url), (error) => !(error instanceof StoreUrlError) && /ECONNREFUSED/.test(String(error)), url);
    }
  });

  it('takes its own ?schema= parameter out of the URL and passes every other part to the driver exactly as written', () => {
    assert.deepEqual(parseStoreUrl('postgres://u:p%40ss@h:5432/db'), { connectionString: 'postgres://u:p%40ss@h:5432/db', schema: 'public' });
    assert.deepEqual(parseStoreUrl('postgresql://u@h/db?sslmode=disable&schema=team_a&options=-c%20x%3Dy'), {
      connectionString: 'postgresql://u@h/db?sslmode=disable&options=-c%20x%3Dy',
      schema: 'team_a',
    });
    assert.deepEqual(parseStoreUrl('postgres:///db?host=/run/postgresql&schema=s1'), { connectionString: 'postgres:///db?host=/run/postgresql', schema: 's1' });
    assert.throws(() => parseStoreUrl('postgres://u:hunter2@[bad/db'), (error) => error instanceof StoreUrlError && !/hunter2/.test(error.message));
  });

  it('rejects a schema name that is not plain lower-case letters, digits and _ with StoreUrlError, before connecting', async () => {
    for (const schema of ['Robert"); DROP TABLE x; --', 'UPPER', '1starts_with_digit', 'x'.repeat(41), '']) {
      const url = `postgres://nobody@127.0.0.1:1/none?schema=${encodeURIComponent(schema)}`;
      await assert.rejects(openStore(url), StoreUrlError, schema);
    }
  });
});

if (SKIP_REASON) {
  describe('postgres store', () => {
    it('is not tested here', { skip: SKIP_REASON }, () => {});
  });
} else {
  after(dropCreatedSchemas);
  runStoreConformance('postgres', () => openPostgresStore(freshSchemaUrl().url));
  describe('postgres store on a shared database', definePostgresTests);
}

/** Resolves when `listener` has been called `times` times, or rejects after `ms`. */
function calls(times: number, ms = 2000): { listener: () => void; done: Promise<void> } {
  let count = 0;
  let resolve!: () => void;
  const done = new Promise<void>((res, reject) => {
    resolve = res;
    setTimeout(() => reject(new Error(`called ${count} of ${times} times within ${ms} ms`)), ms).unref();
  });
  return {
    listener: () => {
      if (++count === times) resolve();
    },
    done,
  };
}

function definePostgresTests(): void {
  it('openStore accepts postgres:// and postgresql:// URLs', async () => {
    for (const scheme of ['postgres:', 'postgresql:']) {
      const url = new URL(freshSchemaUrl().url);
      const store = await openStore(url.toString().replace(/^postgres(ql)?:/, scheme));
      await store.put('t.c', 'a', scheme);
      assert.equal(await store.get('t.c', 'a'), scheme);
      await store.close();
    }
  });

  it('creates its tables on first open: documents keyed by (collection, key) in "C" collation, a version sequence, the schema version', async () => {
    const { url, schema } = freshSchemaUrl();
    await (await openPostgresStore(url)).close();
    const columns = await adminQuery<{ column_name: string; data_type: string; collation_name: string | null }>(
      `SELECT column_name, data_type, collation_name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'documents' ORDER BY ordinal_position`,
      [schema],
    );
    assert.deepEqual(columns, [
      { column_name: 'collection', data_type: 'text', collation_name: 'C' },
      { column_name: 'key', data_type: 'text', collation_name: 'C' },
      { column_name: 'value', data_type: 'text', collation_name: null },
      { column_name: 'version', data_type: 'bigint', collation_name: null },
    ]);
    const [version] = await adminQuery(`SELECT version FROM "${schema}".schema_version`);
    assert.deepEqual({ ...version }, { version: POSTGRES_SCHEMA_VERSION });
    const sequences = await adminQuery(`SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = $1`, [schema]);
    assert.deepEqual(sequences.map((s) => s.sequence_name), ['document_versions']);
  });

  it('keeps documents and versions across close and reopen, and never reuses a version', async () => {
    const { url } = freshSchemaUrl();
    const first = await openPostgresStore(url);
    const version = await first.put('iam.users', '123456789012/alice', { UserName: 'alice' });
    const deleted = await first.put('t.c', 'gone', 1);
    await first.delete('t.c', 'gone');
    await first.close();
    const second = await openPostgresStore(url);
    assert.deepEqual(await second.getEntry('iam.users', '123456789012/alice'), {
      key: '123456789012/alice',
      value: { UserName: 'alice' },
      version,
    });
    assert.ok((await second.put('t.c', 'gone', 2)) > deleted);
    await second.close();
  });

  it('refuses a schema written by a newer Bulwark, and leaves it untouched', async () => {
    const { url, schema } = freshSchemaUrl();
    await (await openPostgresStore(url)).close();
    await adminQuery(`UPDATE "${schema}".schema_version SET version = $1`, [POSTGRES_SCHEMA_VERSION + 1]);
    await assert.rejects(openPostgresStore(url), SchemaVersionError);
    const [row] = await adminQuery(`SELECT version FROM "${schema}".schema_version`);
    assert.equal(row.version, POSTGRES_SCHEMA_VERSION + 1);
  });

  it('several nodes opening a new schema at the same moment all succeed (one migrates, the others wait)', async () => {
    const { url } = freshSchemaUrl();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url, { poolSize: 2 })));
    await stores[0].put('t.c', 'a', 1);
    for (const store of stores) assert.equal(await store.get('t.c', 'a'), 1);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('two stores on one schema (two nodes) share documents, uniqueness and one version counter', async () => {
    const { url } = freshSchemaUrl();
    const a = await openPostgresStore(url);
    const b = await openPostgresStore(url);
    assert.equal(await a.insert('iam.users', 'alice', { by: 'a' }), true);
    assert.equal(await b.insert('iam.users', 'alice', { by: 'b' }), false);
    assert.deepEqual(await b.get('iam.users', 'alice'), { by: 'a' });
    const version = await b.put('iam.users', 'bob', 1);
    assert.equal((await a.getEntry('iam.users', 'bob'))?.version, version);
    assert.ok((await a.put('iam.users', 'carol', 1)) > version);
    await Promise.all([a.close(), b.close()]);
  });

  it('transactions racing from two nodes on the same documents lose no update (conflicts are retried)', { timeout: 20_000 }, async () => {
    const { url } = freshSchemaUrl();
    const a = await openPostgresStore(url);
    const b = await openPostgresStore(url);
    await a.put('t.counter', 'n', 0);
    const increment = (store: Store) =>
      store.transaction(async (tx) => {
        const n = (await tx.get<number>('t.counter', 'n'))!;
        await tx.put('t.counter', 'n', n + 1);
        await tx.put('t.log', String(n + 1).padStart(3, '0'), 'once');
      });
    await Promise.all(Array.from({ length: 30 }, (_, i) => increment(i % 2 ? a : b)));
    assert.equal(await a.get('t.counter', 'n'), 30);
    assert.equal(await b.count('t.log'), 30, 'every retried attempt but the last was rolled back');
    await Promise.all([a.close(), b.close()]);
  });

  it('a transaction whose work swallows the serialization failure is still rolled back and run again', { timeout: 20_000 }, async () => {
    const { url } = freshSchemaUrl();
    const a = await openPostgresStore(url);
    const b = await openPostgresStore(url);
    await a.put('t.c', 'n', 0);
    let attempts = 0;
    let readDone!: () => void;
    const hasRead = new Promise<void>((resolve) => (readDone = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stubborn = a.transaction(async (tx) => {
      attempts++;
      const n = (await tx.get<number>('t.c', 'n'))!;
      readDone();
      await gate;
      try {
        await tx.put('t.c', 'n', n + 100);
      } catch {
        // the work gives up on the write, as careless code might
      }
      return attempts;
    });
    await hasRead;
    await b.put('t.c', 'n', 1); // changes what the transaction read: it cannot commit as is
    release();
    assert.equal(await stubborn, 2);
    assert.equal(await a.get('t.c', 'n'), 101);
    await Promise.all([a.close(), b.close()]);
  });

  /** Cuts the connections of the stores on `schema` that sit inside a transaction. */
  async function cutConnectionsInTransaction(schema: string): Promise<number> {
    const [cut] = await adminQuery<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE application_name = 'bulwark' AND state = 'idle in transaction' AND position($1 in query) > 0`,
      [`"${schema}".documents`],
    );
    return cut.n;
  }

  it('a transaction whose connection is cut before COMMIT is run again on a new connection, and commits once', { timeout: 20_000 }, async (t) => {
    const { url, schema } = freshSchemaUrl();
    const store = await openPostgresStore(url);
    t.after(() => store.close());
    await store.put('t.c', 'n', 0);
    let attempts = 0;
    const result = await store.transaction(async (tx) => {
      attempts++;
      const n = (await tx.get<number>('t.c', 'n'))!;
      if (attempts === 1) assert.equal(await cutConnectionsInTransaction(schema), 1);
      await tx.put('t.c', 'n', n + 1);
      await tx.put('t.log', `attempt-${attempts}`, true);
      return attempts;
    });
    assert.equal(result, 2);
    assert.equal(await store.get('t.c', 'n'), 1, 'the first attempt wrote nothing');
    assert.deepEqual((await store.list('t.log')).items.map((entry) => entry.key), ['attempt-2']);
  });

  it('after every pooled connection was cut, reads and writes work at once on new connections', { timeout: 20_000 }, async (t) => {
    const { url } = freshSchemaUrl();
    const store = await openPostgresStore(url);
    t.after(() => store.close());
    await store.put('t.c', 'n', 41);
    await Promise.all(Array.from({ length: 5 }, () => store.get('t.c', 'n'))); // several pooled connections
    await adminQuery(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bulwark' AND state = 'idle' AND pid <> pg_backend_pid()`,
    );
    const reads = await Promise.all(Array.from({ length: 20 }, () => store.get<number>('t.c', 'n')));
    assert.deepEqual(new Set(reads), new Set([41]));
    assert.equal(await store.insert('t.c', 'm', 1), true);
  });

  it('notify reaches the onChange listeners of every store on the schema, the sender included, and only for its topic', async () => {
    const { url } = freshSchemaUrl();
    const a = await openPostgresStore(url);
    const b = await openPostgresStore(url);
    const onA = calls(1);
    const onB = calls(1);
    let otherTopic = 0;
    a.onChange!('iam', onA.listener);
    b.onChange!('iam', onB.listener);
    b.onChange!('kms', () => otherTopic++);
    const sent = Date.now();
    await a.notify!('iam');
    await Promise.all([onA.done, onB.done]);
    assert.ok(Date.now() - sent < 1000, 'within a second');
    assert.equal(otherTopic, 0);
    await Promise.all([a.close(), b.close()]);
  });

  it('a notice on one schema does not reach stores on another', async () => {
    const a = await openPostgresStore(freshSchemaUrl().url);
    const b = await openPostgresStore(freshSchemaUrl().url);
    const onA = calls(1);
    let onB = 0;
    a.onChange!('iam', onA.listener);
    b.onChange!('iam', () => onB++);
    await a.notify!('iam');
    await onA.done;
    await b.notify!('kms'); // notices arrive in order: once this one is through, any 'iam' would have been
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(onB, 0);
    await Promise.all([a.close(), b.close()]);
  });

  it('the function onChange returns stops the listener', async () => {
    const a = await openPostgresStore(freshSchemaUrl().url);
    let stopped = 0;
    const stop = a.onChange!('iam', () => stopped++);
    const still = calls(1);
    a.onChange!('iam', still.listener);
    stop();
    await a.notify!('iam');
    await still.done;
    assert.equal(stopped, 0);
    await a.close();
  });

  it('after its listening connection is cut, the store reconnects, calls every listener once (notices may be lost), and hears notices again', { timeout: 10_000 }, async () => {
    const { url, schema } = freshSchemaUrl();
    const a = await openPostgresStore(url);
    const b = await openPostgresStore(url);
    const missed = calls(1, 5000);
    const stopMissed = b.onChange!('iam', missed.listener);
    const [cut] = await adminQuery(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE application_name = 'bulwark-changes' AND query = $1`,
      [`LISTEN "bulwark_changes.${schema}"`],
    );
    assert.equal(cut.n, 2, 'both stores listen');
    await missed.done;
    stopMissed();
    const heard = calls(1);
    b.onChange!('iam', heard.listener);
    // The sender's own listening connection may still be reconnecting; the notice goes through its pool.
    await a.notify!('iam');
    await heard.done;
    await Promise.all([a.close(), b.close()]);
  });

  it('rejects notify and onChange after close, and bad topics', async () => {
    const a = await openPostgresStore(freshSchemaUrl().url);
    await assert.rejects(a.notify!(''), TypeError);
    await assert.rejects(a.notify!('x'.repeat(2000)), RangeError);
    await a.close();
    await assert.rejects(a.notify!('iam'), StoreClosedError);
    assert.throws(() => a.onChange!('iam', () => {}), StoreClosedError);
  });
}
