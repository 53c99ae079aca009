// The event log in PostgreSQL (see event-log.ts): the same two tables as SQLite's, in
// the store's schema. A batch is one statement of INSERTs (events, resources, outbox
// documents: here the outbox is documents, see documentOutbox in event-log.ts) that
// take the batch as arrays (unnest), prepared once per connection: one round trip, one
// transaction. Appends go on connections of their own whose commits do not wait for
// the WAL flush (synchronous_commit=off), as SQLite's event log skips the fsync: a
// record the caller was told about survives anything that happens to Bulwark, but not
// the database server crashing within ~0.6 s (3 x wal_writer_delay) of the commit.
// The caller's answer waits for its batch's commit, so that flush would otherwise be
// on every recorded call's way (measured: two nodes under a mixed IAM load paid ~20 %
// of their throughput for recording with it, ~8 % without). Documents keep the
// server's setting.
// Deleting old events is two DELETEs in one transaction: they run in the database
// server, so the event loop only waits for the answer.
import pg from 'pg';
import { checkName } from './keys.ts';
import {
  ATTRIBUTE_COLUMNS,
  checkDeleteTime,
  eventOfRow,
  OUTBOX_COLLECTION,
  RESOURCE_KINDS,
  resourceRows,
  toPage,
  type EventLog,
  type EventLogPage,
  type EventLogQuery,
  type EventRowColumns,
  type LoggedEvent,
} from './event-log.ts';

/** The migration step creating the tables; `s` is the quoted schema name. */
export function postgresEventLogMigration(s: string): string {
  return `
    CREATE TABLE ${s}.cloudtrail_events (
      account       text COLLATE "C" NOT NULL,
      region        text COLLATE "C" NOT NULL,
      time          bigint NOT NULL, -- epoch ms
      id            text COLLATE "C" NOT NULL,
      event_name    text COLLATE "C" NOT NULL,
      event_source  text COLLATE "C" NOT NULL,
      username      text COLLATE "C",
      access_key_id text COLLATE "C",
      read_only     text COLLATE "C" NOT NULL, -- 'true' | 'false'
      resources     text NOT NULL, -- JSON [{type?, name}]
      record        text NOT NULL  -- JSON
    );
    CREATE UNIQUE INDEX cloudtrail_events_by_time ON ${s}.cloudtrail_events (account, region, time, id);
    CREATE INDEX cloudtrail_events_by_id ON ${s}.cloudtrail_events (account, region, id, time);
    CREATE INDEX cloudtrail_events_by_name ON ${s}.cloudtrail_events (account, region, event_name, time, id);
    CREATE INDEX cloudtrail_events_by_source ON ${s}.cloudtrail_events (account, region, event_source, time, id);
    CREATE INDEX cloudtrail_events_by_username ON ${s}.cloudtrail_events (account, region, username, time, id);
    CREATE INDEX cloudtrail_events_by_access_key ON ${s}.cloudtrail_events (account, region, access_key_id, time, id);
    CREATE INDEX cloudtrail_events_by_read_only ON ${s}.cloudtrail_events (account, region, read_only, time, id);
    CREATE TABLE ${s}.cloudtrail_event_resources (
      account text COLLATE "C" NOT NULL,
      region  text COLLATE "C" NOT NULL,
      kind    text COLLATE "C" NOT NULL, -- 'type' | 'name'
      value   text COLLATE "C" NOT NULL,
      time    bigint NOT NULL,
      id      text COLLATE "C" NOT NULL,
      PRIMARY KEY (account, region, kind, value, time, id)
    );`;
}

export function postgresEventLogWipe(s: string): string {
  return `DELETE FROM ${s}.cloudtrail_events; DELETE FROM ${s}.cloudtrail_event_resources;`;
}

const COLUMNS = 'e.account, e.region, e.time, e.id, e.event_name, e.event_source, e.username, e.access_key_id, e.read_only, e.resources, e.record';

interface EventRow extends EventRowColumns {
  /** bigint arrives as text. */
  time: string;
  record: string;
}

/** Connections for appends: the recorder writes one batch at a time; a second covers a slow reconnect. */
const APPEND_CONNECTIONS = 2;

/** The log's tables; its outbox is the store's documents (postgres.ts adds documentOutbox). */
export class PostgresEventLog implements Omit<EventLog, 'outbox' | 'clearOutbox'> {
  readonly #pool: pg.Pool;
  readonly #appends: pg.Pool;
  readonly #schema: string;

  /** `pool` is the store's; `config` opens the append connections; `schema` is quoted. */
  constructor(pool: pg.Pool, config: pg.ClientConfig, schema: string) {
    this.#pool = pool;
    this.#appends = new pg.Pool({ ...config, max: APPEND_CONNECTIONS, options: '-c synchronous_commit=off' });
    // An idle connection that breaks is dropped by the pool; without a handler it would crash the process.
    this.#appends.on('error', () => {});
    this.#schema = schema;
  }

  /** Closes the append connections (the store closes its own pool). */
  close(): Promise<void> {
    return this.#appends.end();
  }

  async append(events: readonly LoggedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const s = this.#schema;
    const columns = (pick: (e: LoggedEvent) => string | number | null) => events.map(pick);
    const resources = events.flatMap((e) => resourceRows(e).map(([kind, value]) => [e.account, e.region, kind, value, e.time, e.id] as const));
    const outbox = events.flatMap((e) => (e.outboxKey !== undefined ? [[OUTBOX_COLLECTION, checkName('key', e.outboxKey), e.record]] : []));
    // One statement (so one round trip and, in autocommit, one transaction): a
    // data-modifying WITH per table, each taking its rows as arrays. Empty arrays insert nothing.
    await this.#appends.query({
      name: `cloudtrail-append-${s}`,
      text: `WITH events AS (
         INSERT INTO ${s}.cloudtrail_events (account, region, time, id, event_name, event_source, username, access_key_id, read_only, resources, record)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       ), resources AS (
         INSERT INTO ${s}.cloudtrail_event_resources (account, region, kind, value, time, id)
         SELECT * FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::text[])
         ON CONFLICT DO NOTHING
       ), outbox AS (
         -- The documents' put, for many at once: each takes the next store-wide version.
         INSERT INTO ${s}.documents (collection, key, value, version)
         SELECT collection, key, value, nextval('${s}.document_versions') FROM unnest($18::text[], $19::text[], $20::text[]) AS d (collection, key, value)
         ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version
       )
       SELECT 1`,
      values: [
        columns((e) => e.account),
        columns((e) => e.region),
        columns((e) => e.time),
        columns((e) => e.id),
        columns((e) => e.eventName),
        columns((e) => e.eventSource),
        columns((e) => e.username ?? null),
        columns((e) => e.accessKeyId ?? null),
        columns((e) => String(e.readOnly)),
        columns((e) => JSON.stringify(e.resources)),
        columns((e) => e.record),
        ...[0, 1, 2, 3, 4, 5].map((i) => resources.map((row) => row[i])),
        ...[0, 1, 2].map((i) => outbox.map((row) => row[i])),
      ],
    });
  }

  async deleteBefore(timeMs: number): Promise<number> {
    checkDeleteTime(timeMs);
    const s = this.#schema;
    return this.#transaction(async (client) => {
      const { rowCount } = await client.query(`DELETE FROM ${s}.cloudtrail_events WHERE time < $1`, [timeMs]);
      await client.query(`DELETE FROM ${s}.cloudtrail_event_resources WHERE time < $1`, [timeMs]);
      return rowCount ?? 0;
    });
  }

  /** Runs `work` in a transaction on a client of its own: committed, or rolled back when it throws. */
  async #transaction<R>(work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await this.#pool.connect();
    let healthy = true;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (healthy = false));
      throw error;
    } finally {
      client.release(!healthy);
    }
  }

  async query(query: EventLogQuery): Promise<EventLogPage> {
    const s = this.#schema;
    const { attribute, before } = query;
    const column = attribute && ATTRIBUTE_COLUMNS[attribute.key];
    const kind = attribute && RESOURCE_KINDS[attribute.key];
    // The filter and the order run on the resources' index for resource attributes, else on the events'.
    const f = kind ? 'r' : 'e';
    const from = kind
      ? `${s}.cloudtrail_event_resources r JOIN ${s}.cloudtrail_events e ON e.account = r.account AND e.region = r.region AND e.time = r.time AND e.id = r.id`
      : `${s}.cloudtrail_events e`;
    const parameters: (string | number)[] = [];
    const p = (value: string | number) => `$${parameters.push(value)}`;
    const conditions = [`${f}.account = ${p(query.account)}`, `${f}.region = ${p(query.region)}`, `${f}.time >= ${p(query.start)}`, `${f}.time <= ${p(query.end)}`];
    if (kind) conditions.push(`r.kind = ${p(kind)}`, `r.value = ${p(attribute.value)}`);
    else if (column) conditions.push(`e.${column} = ${p(attribute.value)}`);
    if (before) conditions.push(`(${f}.time, ${f}.id) < (${p(before.time)}, ${p(before.id)})`);
    const sql = `SELECT ${COLUMNS} FROM ${from} WHERE ${conditions.join(' AND ')} ORDER BY ${f}.time DESC, ${f}.id DESC LIMIT ${p(query.limit + 1)}`;
    const { rows } = await this.#pool.query<EventRow>(sql, parameters);
    return toPage(rows.map((row) => eventOfRow(row, row.record)), query.limit);
  }
}
