// The event log every store offers (CloudTrail's append-only record store), written
// once and run for memory, SQLite, and PostgreSQL when BULWARK_TEST_POSTGRES_URL is set.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { StoreClosedError } from '../../src/store/errors.ts';
import type { EventLog, EventLogQuery, LoggedEvent } from '../../src/store/event-log.ts';
import { openMemoryStore } from '../../src/store/memory.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { openSqliteStore, SCHEMA_VERSION } from '../../src/store/sqlite.ts';
import { SQLITE_EVENT_LOG_MIGRATION, SQLITE_EVENTS_FILE_SCHEMA, SqliteEventLog } from '../../src/store/event-log-sqlite.ts';
import { eventsFilePath } from '../../src/store/event-log-sqlite-file.ts';
import type { Store } from '../../src/store/store.ts';
import { dropCreatedSchemas, freshSchemaUrl, SKIP_REASON } from './postgres-database.ts';

const ACCOUNT = '111122223333';
const T0 = Date.UTC(2026, 0, 1);

function event(n: number, fields: Partial<LoggedEvent> = {}): LoggedEvent {
  return {
    account: ACCOUNT,
    region: 'us-east-1',
    time: T0 + n * 1000,
    id: `event-${String(n).padStart(4, '0')}`,
    eventName: 'GetCallerIdentity',
    eventSource: 'sts.amazonaws.com',
    readOnly: true,
    resources: [],
    record: JSON.stringify({ n }),
    ...fields,
  };
}

const directory = mkdtempSync(join(tmpdir(), 'bulwark-event-log-'));
let files = 0;
after(() => rmSync(directory, { recursive: true, force: true }));

runEventLogConformance('memory', async () => openMemoryStore());
runEventLogConformance('sqlite', async () => openSqliteStore(join(directory, `${++files}.db`)));
if (SKIP_REASON) {
  describe('postgres event log', () => it('is not tested here', { skip: SKIP_REASON }, () => {}));
} else {
  after(dropCreatedSchemas);
  runEventLogConformance('postgres', () => openPostgresStore(freshSchemaUrl().url));
}

function runEventLogConformance(name: string, openFresh: () => Promise<Store>): void {
  describe(`${name} event log`, () => {
    let store: Store;
    let log: EventLog;
    beforeEach(async () => {
      store = await openFresh();
      assert.ok(store.eventLog, `the ${name} store offers an event log`);
      log = store.eventLog();
    });
    afterEach(() => store.close());

    const query = (fields: Partial<EventLogQuery> = {}) =>
      log.query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 50, ...fields });
    const ids = async (fields: Partial<EventLogQuery> = {}) => (await query(fields)).events.map((e) => e.id);

    it('gives back appended events newest first, with every field as written', async () => {
      const written = event(2, { username: 'alice', accessKeyId: 'AKIAEXAMPLE', readOnly: false, resources: [{ type: 'AWS::IAM::User', name: 'arn:aws:iam::111122223333:user/bob' }] });
      await log.append([event(1), written]);
      await log.append([event(3)]);
      const page = await query();
      assert.deepEqual(page.events.map((e) => e.id), ['event-0003', 'event-0002', 'event-0001']);
      assert.deepEqual(page.events[1], written);
      assert.deepEqual(page.events[0], event(3), 'absent username and access key stay absent');
      assert.equal(page.next, undefined);
    });

    it('answers only the asked account and region', async () => {
      await log.append([event(1), event(2, { account: '999988887777' }), event(3, { region: 'eu-west-1' })]);
      assert.deepEqual(await ids(), ['event-0001']);
      assert.deepEqual(await ids({ region: 'eu-west-1' }), ['event-0003']);
      assert.deepEqual(await ids({ account: '999988887777' }), ['event-0002']);
    });

    it('filters by each lookup attribute', async () => {
      await log.append([
        event(1, { username: 'alice', accessKeyId: 'AKIA1', resources: [{ type: 'AWS::KMS::Key', name: 'arn:key/1' }, { type: 'AWS::KMS::Key', name: 'arn:key/2' }] }),
        event(2, { username: 'bob', eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', readOnly: false, resources: [{ name: 'arn:untyped' }] }),
        event(3, { accessKeyId: 'AKIA2', eventName: 'CreateUser' }),
      ]);
      const cases: [EventLogQuery['attribute'] & object, string[]][] = [
        [{ key: 'EventId', value: 'event-0002' }, ['event-0002']],
        [{ key: 'EventName', value: 'CreateUser' }, ['event-0003', 'event-0002']],
        [{ key: 'ReadOnly', value: 'true' }, ['event-0003', 'event-0001']],
        [{ key: 'ReadOnly', value: 'false' }, ['event-0002']],
        [{ key: 'Username', value: 'alice' }, ['event-0001']],
        [{ key: 'EventSource', value: 'iam.amazonaws.com' }, ['event-0002']],
        [{ key: 'AccessKeyId', value: 'AKIA2' }, ['event-0003']],
        [{ key: 'ResourceType', value: 'AWS::KMS::Key' }, ['event-0001']], // two resources of the type: one answer
        [{ key: 'ResourceName', value: 'arn:key/2' }, ['event-0001']],
        [{ key: 'ResourceName', value: 'arn:untyped' }, ['event-0002']],
        [{ key: 'Username', value: 'nobody' }, []],
      ];
      for (const [attribute, expected] of cases) assert.deepEqual(await ids({ attribute }), expected, JSON.stringify(attribute));
    });

    it('finds an event by an id that carries its time (UUID version 7) and by one that carries another time', async () => {
      const at = (time: number) => time.toString(16).padStart(12, '0');
      const own = `${at(T0 + 5000).slice(0, 8)}-${at(T0 + 5000).slice(8)}-7abc-8def-0123456789ab`;
      const other = `${at(T0).slice(0, 8)}-${at(T0).slice(8)}-7abc-8def-0123456789ab`;
      await log.append([event(4), event(5, { id: own }), event(6, { id: other }), event(7)]);
      assert.deepEqual(await ids({ attribute: { key: 'EventId', value: own } }), [own]);
      assert.deepEqual(await ids({ attribute: { key: 'EventId', value: other } }), [other]);
      assert.deepEqual(await ids({ attribute: { key: 'EventId', value: own }, end: T0 + 4999 }), [], 'outside the time range');
      assert.deepEqual(await ids({ attribute: { key: 'EventId', value: own.toUpperCase() } }), [], 'ids compare exactly');
    });

    it('keeps events within the time range, both bounds included', async () => {
      await log.append([1, 2, 3, 4, 5].map((n) => event(n)));
      assert.deepEqual(await ids({ start: T0 + 2000, end: T0 + 4000 }), ['event-0004', 'event-0003', 'event-0002']);
      assert.deepEqual(await ids({ start: T0 + 2000, end: T0 + 4000, attribute: { key: 'EventName', value: 'GetCallerIdentity' } }), [
        'event-0004',
        'event-0003',
        'event-0002',
      ]);
    });

    it('pages with limit and before: every event once, in order, ties in one millisecond included', async () => {
      const events = Array.from({ length: 23 }, (_, n) => event(n, { time: T0 + Math.floor(n / 4), resources: [{ type: 'T', name: `r${n}` }] }));
      await log.append(events);
      const expected = [...events].sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1)).map((e) => e.id);
      for (const attribute of [undefined, { key: 'ResourceType' as const, value: 'T' }, { key: 'ReadOnly' as const, value: 'true' }]) {
        const seen: string[] = [];
        let before: EventLogQuery['before'];
        for (;;) {
          const page = await query({ limit: 5, before, ...(attribute && { attribute }) });
          seen.push(...page.events.map((e) => e.id));
          if (!page.next) break;
          assert.equal(page.events.length, 5);
          before = page.next;
        }
        assert.deepEqual(seen, expected, String(attribute?.key));
      }
    });

    it('pages through appends bigger than one write chunk, accounts and regions interleaved, in the one order', async () => {
      const places = [[ACCOUNT, 'us-east-1'], ['999988887777', 'us-east-1'], [ACCOUNT, 'eu-west-1']] as const;
      const events = Array.from({ length: 450 }, (_, n) => {
        const [account, region] = places[n % 3];
        // Times run backwards in places and repeat (ties), so a chunk's times overlap the next one's.
        const time = T0 + ((n * 37) % 200);
        return event(n, { account, region, time, username: `user-${n % 7}`, readOnly: n % 5 === 0, resources: [{ type: 'T', name: `r${n % 11}` }] });
      });
      for (let i = 0; i < events.length; i += 150) await log.append(events.slice(i, i + 150));
      const mine = events.filter((e) => e.account === ACCOUNT && e.region === 'us-east-1');
      const cases: [EventLogQuery['attribute'], (e: LoggedEvent) => boolean][] = [
        [undefined, () => true],
        [{ key: 'Username', value: 'user-3' }, (e) => e.username === 'user-3'],
        [{ key: 'ReadOnly', value: 'true' }, (e) => e.readOnly],
        [{ key: 'ResourceName', value: 'r4' }, (e) => e.resources[0].name === 'r4'],
      ];
      for (const [attribute, wanted] of cases) {
        const start = T0 + 20;
        const end = T0 + 180;
        const expected = mine
          .filter((e) => wanted(e) && e.time >= start && e.time <= end)
          .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1))
          .map((e) => e.id);
        const seen: string[] = [];
        let before: EventLogQuery['before'];
        do {
          const page = await query({ limit: 7, start, end, before, ...(attribute && { attribute }) });
          seen.push(...page.events.map((e) => e.id));
          before = page.next;
        } while (before);
        assert.deepEqual(seen, expected, String(attribute?.key));
      }
    });

    it('puts the outbox entries of an append with it, and gives the events back without them', async () => {
      const delivered = event(1, { record: JSON.stringify({ eventID: 'a' }), outboxKey: 'k/1' });
      await log.append([delivered, event(2)]);
      assert.deepEqual(await log.outbox(10), [{ key: 'k/1', record: { eventID: 'a' } }]);
      const { outboxKey: _put, ...withoutOutbox } = delivered;
      assert.deepEqual((await query()).events[1], withoutOutbox);
    });

    it('gives the outbox in key order, a page at a time, until its entries are cleared', async () => {
      await log.append([event(3, { outboxKey: 'k/3' }), event(1, { outboxKey: 'k/1' })]);
      await log.append([event(2, { outboxKey: 'k/2' })]);
      assert.deepEqual((await log.outbox(2)).map((e) => e.key), ['k/1', 'k/2']);
      await log.clearOutbox(['k/1', 'k/2', 'k/absent']);
      assert.deepEqual(await log.outbox(10), [{ key: 'k/3', record: { n: 3 } }]);
      await log.clearOutbox([]);
      assert.equal((await log.outbox(10)).length, 1);
    });

    it('an append whose outbox entry cannot be put leaves nothing behind', async () => {
      await assert.rejects(log.append([event(1, { outboxKey: 'k/1' }), event(2, { outboxKey: '' })]));
      assert.deepEqual(await ids(), []);
      assert.deepEqual(await log.outbox(10), []);
    });

    it('deleteBefore deletes the events older than the time, in every account and region, and keeps the rest findable by every attribute', async () => {
      const old = (n: number, fields: Partial<LoggedEvent> = {}) => event(n, { username: 'alice', accessKeyId: 'AKIA1', resources: [{ type: 'T', name: `r${n % 3}` }], ...fields });
      // Old events in chunks of their own and sharing chunks with newer ones (the cut falls inside a write).
      await log.append(Array.from({ length: 150 }, (_, n) => old(n, { account: n % 2 ? ACCOUNT : '999988887777', region: n % 3 ? 'us-east-1' : 'eu-west-1' })));
      await log.append(Array.from({ length: 100 }, (_, n) => old(150 + n)));
      const cut = T0 + 200_000; // events 0..199 are older
      assert.equal(await log.deleteBefore(cut), 200);
      const remaining = Array.from({ length: 50 }, (_, n) => `event-0${200 + 49 - n}`);
      assert.deepEqual(await ids({ limit: 1000 }), remaining);
      assert.deepEqual(await ids({ limit: 1000, account: '999988887777' }), []);
      assert.deepEqual(await ids({ limit: 1000, region: 'eu-west-1' }), []);
      for (const attribute of [
        { key: 'Username', value: 'alice' },
        { key: 'AccessKeyId', value: 'AKIA1' },
        { key: 'ResourceType', value: 'T' },
        { key: 'EventName', value: 'GetCallerIdentity' },
      ] as const) {
        assert.deepEqual(await ids({ limit: 1000, attribute }), remaining, attribute.key);
      }
      assert.deepEqual(await ids({ attribute: { key: 'EventId', value: 'event-0199' } }), []);
      assert.deepEqual(await ids({ attribute: { key: 'EventId', value: 'event-0200' } }), ['event-0200'], 'an event at the time itself stays');
      assert.equal(await log.deleteBefore(cut), 0, 'nothing more to delete');
      await log.append([event(300)]);
      assert.equal((await ids({ limit: 1000 }))[0], 'event-0300', 'appends go on after a delete');
    });

    it('deleteBefore leaves the outbox alone', async () => {
      await log.append([event(1, { record: '{"eventID":"a"}', outboxKey: 'k/1' }), event(2)]);
      assert.equal(await log.deleteBefore(T0 + 1500), 1);
      assert.deepEqual(await log.outbox(10), [{ key: 'k/1', record: { eventID: 'a' } }]);
    });

    it('deleteBefore rejects a time that is not an integer', async () => {
      await assert.rejects(log.deleteBefore(Number.NaN), RangeError);
      await assert.rejects(log.deleteBefore(1.5), RangeError);
    });

    it('wipe empties the log and its outbox', async () => {
      await log.append([event(1, { outboxKey: 'k/1' })]);
      await store.wipe();
      assert.deepEqual(await ids(), []);
      assert.deepEqual(await log.outbox(10), []);
    });

    it('rejects a limit that is not a positive integer', async () => {
      await assert.rejects(query({ limit: 0 }), RangeError);
    });

    it('fails with StoreClosedError once the store is closed', async () => {
      await store.close();
      await assert.rejects(log.append([event(1)]), StoreClosedError);
      await assert.rejects(query(), StoreClosedError);
      await assert.rejects(log.deleteBefore(T0), StoreClosedError);
      await assert.rejects(log.outbox(1), StoreClosedError);
      store = await openFresh(); // for afterEach
    });
  });
}

/** The `n` an SQL count query answers on the SQLite file at `path` (opened read-only for it). */
function countRows(path: string, sql: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A database as Bulwark's schema version 1 left it: documents only, none yet. */
function version1Database(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);
    CREATE TABLE documents (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (collection, key));
    CREATE TABLE version_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL); INSERT INTO version_counter VALUES (1, 0);`);
  return db;
}

describe('sqlite event log on disk', () => {
  it('keeps appended events across a reopen', async () => {
    const path = join(directory, `${++files}.db`);
    const first = openSqliteStore(path);
    await first.eventLog!().append([event(1)]);
    await first.close();
    const second = openSqliteStore(path);
    const page = await second.eventLog!().query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 10 });
    await second.close();
    assert.deepEqual(page.events, [event(1)]);
  });

  it('deleteBefore deletes many events in steps, with their postings, keeping the newest row (its rowid is never handed out again)', async () => {
    const path = join(directory, `${++files}.db`);
    const store = openSqliteStore(path);
    const log = store.eventLog!();
    try {
      const many = Array.from({ length: 5000 }, (_, n) => event(n, { username: `user-${n % 50}`, resources: [{ type: 'T', name: `r${n}` }] }));
      for (let i = 0; i < many.length; i += 1000) await log.append(many.slice(i, i + 1000));
      let turns = 0;
      const counting = setInterval(() => turns++, 0);
      assert.equal(await log.deleteBefore(T0 + 4990 * 1000), 4990);
      clearInterval(counting);
      assert.ok(turns > 1, `the event loop ran during the delete (${turns} turns)`);
      const count = (sql: string) => countRows(eventsFilePath(path), sql);
      assert.equal(count('SELECT count(*) AS n FROM cloudtrail_events'), 10);
      assert.equal(count(`SELECT count(*) AS n FROM cloudtrail_event_postings WHERE max_time < ${T0 + 4990 * 1000}`), 0, 'no posting of deleted events only');
      assert.ok(count('SELECT count(*) AS n FROM cloudtrail_event_postings') > 0);
      // Everything older than a time after the newest: all but the newest row go.
      assert.equal(await log.deleteBefore(T0 * 2), 9);
      await log.append([event(6000, { resources: [{ type: 'T', name: 'r4999' }] })]);
      assert.equal(await log.deleteBefore(T0 * 2), 1, 'the kept row goes once a newer one exists');
      const found = await log.query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 10, attribute: { key: 'ResourceType', value: 'T' } });
      assert.deepEqual(found.events.map((e) => e.id), ['event-6000'], 'found once, through its own posting');
    } finally {
      await store.close();
    }
  });

  it('keeps events and outbox in a file of their own beside the store file', async () => {
    const path = join(directory, `${++files}.db`);
    const store = openSqliteStore(path);
    try {
      await store.eventLog!().append([event(1, { outboxKey: 'k/1' })]);
    } finally {
      await store.close();
    }
    assert.equal(countRows(eventsFilePath(path), 'SELECT count(*) AS n FROM cloudtrail_events'), 1);
    assert.equal(countRows(eventsFilePath(path), 'SELECT count(*) AS n FROM event_outbox'), 1);
    assert.equal(countRows(path, 'SELECT count(*) AS n FROM cloudtrail_events'), 0);
    assert.equal(countRows(path, 'SELECT count(*) AS n FROM documents'), 0);
  });

  it('an append is not held up by a documents transaction holding the store file\'s write lock across an await', async () => {
    const store = openSqliteStore(join(directory, `${++files}.db`));
    try {
      await store.transaction(async (tx) => {
        await tx.put('t.things', 'a', 1); // the store file's write lock is taken
        await store.eventLog!().append([event(1)]);
        await tx.put('t.things', 'b', 2);
      });
      assert.deepEqual(await store.get('t.things', 'b'), 2);
      assert.equal((await store.eventLog!().query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 10 })).events.length, 1);
    } finally {
      await store.close();
    }
  });

  it('an append while another connection holds the events file\'s write lock waits its turn, without blocking the thread', async () => {
    const path = join(directory, `${++files}.db`);
    const store = openSqliteStore(path);
    const other = new DatabaseSync(eventsFilePath(path));
    try {
      await store.eventLog!().append([event(1)]); // creates the events file
      other.exec('BEGIN IMMEDIATE');
      let appended = false;
      const append = store.eventLog!().append([event(2)]).then(() => (appended = true));
      await new Promise((resolve) => setTimeout(resolve, 50)); // the event loop runs: the append tries meanwhile
      assert.equal(appended, false, 'the append waited for the lock');
      other.exec('COMMIT');
      await append;
      assert.equal((await store.eventLog!().query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 10 })).events.length, 2);
    } finally {
      if (other.isTransaction) other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });

  it('moves the events and outbox a store file kept itself into the events file, once, finishing a move cut short', async () => {
    const path = join(directory, `${++files}.db`);
    const logged = [event(1, { username: 'alice', resources: [{ type: 'T', name: 'r1' }] }), event(2)];
    const query = async (store: Store, attribute?: EventLogQuery['attribute']) =>
      (await store.eventLog!().query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 10, ...(attribute && { attribute }) })).events;
    // A store file as Bulwark wrote it before the events file: events and outbox documents in it.
    const old = new DatabaseSync(path);
    const oldLog = new SqliteEventLog(old);
    old.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (${SCHEMA_VERSION});
      CREATE TABLE documents (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (collection, key));
      CREATE TABLE version_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL); INSERT INTO version_counter VALUES (1, 1);
      ${SQLITE_EVENTS_FILE_SCHEMA.replace(/CREATE TABLE event_outbox[^;]*;/, '')}
      INSERT INTO documents VALUES ('cloudtrail.outbox', 'k/1', '{"eventID":"a"}', 1), ('t.things', 'a', '1', 1);`);
    oldLog.append(logged);
    old.close();

    const store = openSqliteStore(path);
    try {
      assert.deepEqual(await query(store), [logged[1], logged[0]]);
      assert.deepEqual((await query(store, { key: 'ResourceName', value: 'r1' })).map((e) => e.id), ['event-0001'], 'found through the moved postings');
      assert.deepEqual(await store.eventLog!().outbox(10), [{ key: 'k/1', record: { eventID: 'a' } }]);
      assert.equal(await store.get('t.things', 'a'), 1, 'documents stay');
      assert.equal(await store.get('cloudtrail.outbox', 'k/1'), undefined, 'the outbox documents went');
    } finally {
      await store.close();
    }
    const count = (sql: string) => countRows(path, sql);
    assert.equal(count('SELECT count(*) AS n FROM cloudtrail_events'), 0, 'moved, not copied');
    assert.equal(count('SELECT count(*) AS n FROM cloudtrail_event_postings'), 0);

    // A move cut short after its copy: the store file still holds what the events file has.
    const again = new DatabaseSync(path);
    new SqliteEventLog(again).append(logged);
    again.close();
    const reopened = openSqliteStore(path);
    try {
      assert.deepEqual((await query(reopened)).map((e) => e.id), ['event-0002', 'event-0001'], 'not copied twice');
    } finally {
      await reopened.close();
    }
    assert.equal(count('SELECT count(*) AS n FROM cloudtrail_events'), 0, 'the store file emptied');
  });

  it('migrates a database of schema version 2 (an index per attribute): its events are found by every attribute', async () => {
    const path = join(directory, `${++files}.db`);
    const old = version1Database(path);
    old.exec(SQLITE_EVENT_LOG_MIGRATION);
    old.exec('UPDATE schema_version SET version = 2');
    const logged = [
      event(1, { username: 'alice', accessKeyId: 'AKIA1', resources: [{ type: 'AWS::IAM::User', name: 'arn:u/bob' }] }),
      event(2, { eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', readOnly: false }),
    ];
    const insert = old.prepare(`INSERT INTO cloudtrail_events (account, region, time, id, event_name, event_source, username, access_key_id, read_only, resources, record)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const e of logged) {
      insert.run(e.account, e.region, e.time, e.id, e.eventName, e.eventSource, e.username ?? null, e.accessKeyId ?? null, String(e.readOnly), JSON.stringify(e.resources), e.record);
    }
    old.prepare('INSERT INTO cloudtrail_event_resources VALUES (?, ?, ?, ?, ?, ?)').run(ACCOUNT, 'us-east-1', 'type', 'AWS::IAM::User', T0 + 1000, 'event-0001');
    old.prepare('INSERT INTO cloudtrail_event_resources VALUES (?, ?, ?, ?, ?, ?)').run(ACCOUNT, 'us-east-1', 'name', 'arn:u/bob', T0 + 1000, 'event-0001');
    old.close();
    const store = openSqliteStore(path);
    try {
      const found = async (attribute?: EventLogQuery['attribute']) =>
        (await store.eventLog!().query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 10, ...(attribute && { attribute }) })).events;
      assert.deepEqual(await found(), [logged[1], logged[0]]);
      for (const [key, value, id] of [
        ['EventId', 'event-0002', 'event-0002'],
        ['EventName', 'CreateUser', 'event-0002'],
        ['EventSource', 'sts.amazonaws.com', 'event-0001'],
        ['ReadOnly', 'false', 'event-0002'],
        ['Username', 'alice', 'event-0001'],
        ['AccessKeyId', 'AKIA1', 'event-0001'],
        ['ResourceType', 'AWS::IAM::User', 'event-0001'],
        ['ResourceName', 'arn:u/bob', 'event-0001'],
      ] as const) {
        assert.deepEqual((await found({ key, value })).map((e) => e.id), [id], key);
      }
    } finally {
      await store.close();
    }
  });

  it('migrates a database of schema version 1 (documents only): its documents stay and the event log works', async () => {
    const path = join(directory, `${++files}.db`);
    const old = version1Database(path);
    old.exec(`UPDATE version_counter SET value = 7; INSERT INTO documents VALUES ('t.things', 'a', '{"kept":true}', 7);`);
    old.close();
    const store = openSqliteStore(path);
    try {
      assert.deepEqual(await store.get('t.things', 'a'), { kept: true });
      await store.eventLog!().append([event(1)]);
      assert.equal((await store.eventLog!().query({ account: ACCOUNT, region: 'us-east-1', start: 0, end: T0 * 2, limit: 10 })).events.length, 1);
    } finally {
      await store.close();
    }
    const reopened = new DatabaseSync(path);
    assert.deepEqual({ ...(reopened.prepare('SELECT version FROM schema_version').get() as object) }, { version: SCHEMA_VERSION });
    reopened.close();
  });
});
