// The event log in SQLite, on the store's own connection (see event-log.ts). One row
// per event in cloudtrail_events, with an index per lookup attribute ending in time,
// and one row per distinct resource type or name in cloudtrail_event_resources.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  ATTRIBUTE_COLUMNS,
  RESOURCE_KINDS,
  resourceRows,
  toPage,
  type EventLogPage,
  type EventLogQuery,
  type LoggedEvent,
  type SyncEventLog,
} from './event-log.ts';

/** The migration that creates the event log's tables (sqlite.ts appends it to its list). */
export const SQLITE_EVENT_LOG_MIGRATION = `
  CREATE TABLE cloudtrail_events (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    time          INTEGER NOT NULL, -- epoch ms
    id            TEXT NOT NULL,
    event_name    TEXT NOT NULL,
    event_source  TEXT NOT NULL,
    username      TEXT,
    access_key_id TEXT,
    read_only     TEXT NOT NULL, -- 'true' | 'false', as LookupEvents compares it
    resources     TEXT NOT NULL, -- JSON [{type?, name}]; looked up through cloudtrail_event_resources
    record        TEXT NOT NULL  -- JSON
  );
  CREATE UNIQUE INDEX cloudtrail_events_by_time ON cloudtrail_events (account, region, time, id);
  CREATE INDEX cloudtrail_events_by_id ON cloudtrail_events (account, region, id, time);
  CREATE INDEX cloudtrail_events_by_name ON cloudtrail_events (account, region, event_name, time, id);
  CREATE INDEX cloudtrail_events_by_source ON cloudtrail_events (account, region, event_source, time, id);
  CREATE INDEX cloudtrail_events_by_username ON cloudtrail_events (account, region, username, time, id);
  CREATE INDEX cloudtrail_events_by_access_key ON cloudtrail_events (account, region, access_key_id, time, id);
  CREATE INDEX cloudtrail_events_by_read_only ON cloudtrail_events (account, region, read_only, time, id);
  CREATE TABLE cloudtrail_event_resources (
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    kind    TEXT NOT NULL, -- 'type' | 'name'
    value   TEXT NOT NULL,
    time    INTEGER NOT NULL,
    id      TEXT NOT NULL,
    PRIMARY KEY (account, region, kind, value, time, id)
  ) WITHOUT ROWID;`;

export const SQLITE_EVENT_LOG_WIPE = 'DELETE FROM cloudtrail_events; DELETE FROM cloudtrail_event_resources;';

const COLUMNS = 'e.account, e.region, e.time, e.id, e.event_name, e.event_source, e.username, e.access_key_id, e.read_only, e.resources, e.record';

interface EventRow {
  account: string;
  region: string;
  time: number;
  id: string;
  event_name: string;
  event_source: string;
  username: string | null;
  access_key_id: string | null;
  read_only: string;
  resources: string;
  record: string;
}

export class SqliteEventLog implements SyncEventLog {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Runs inside the caller's transaction. */
  append(events: readonly LoggedEvent[]): void {
    const insertEvent = this.#statement(
      `INSERT INTO cloudtrail_events (account, region, time, id, event_name, event_source, username, access_key_id, read_only, resources, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertResource = this.#statement(
      'INSERT OR IGNORE INTO cloudtrail_event_resources (account, region, kind, value, time, id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const e of events) {
      insertEvent.run(e.account, e.region, e.time, e.id, e.eventName, e.eventSource, e.username ?? null, e.accessKeyId ?? null, String(e.readOnly), JSON.stringify(e.resources), e.record);
      for (const [kind, value] of resourceRows(e)) insertResource.run(e.account, e.region, kind, value, e.time, e.id);
    }
  }

  query(query: EventLogQuery): EventLogPage {
    const { attribute, before } = query;
    const column = attribute && ATTRIBUTE_COLUMNS[attribute.key];
    const kind = attribute && RESOURCE_KINDS[attribute.key];
    // The filter and the order run on the resources' index for resource attributes, else on the events'.
    const f = kind ? 'r' : 'e';
    const from = kind
      ? 'cloudtrail_event_resources r JOIN cloudtrail_events e ON e.account = r.account AND e.region = r.region AND e.time = r.time AND e.id = r.id'
      : 'cloudtrail_events e';
    const conditions = [`${f}.account = ?`, `${f}.region = ?`, `${f}.time >= ?`, `${f}.time <= ?`];
    const parameters: (string | number)[] = [query.account, query.region, query.start, query.end];
    if (kind) {
      conditions.push('r.kind = ?', 'r.value = ?');
      parameters.push(kind, attribute.value);
    } else if (column) {
      conditions.push(`e.${column} = ?`);
      parameters.push(attribute.value);
    }
    if (before) {
      conditions.push(`(${f}.time < ? OR (${f}.time = ? AND ${f}.id < ?))`);
      parameters.push(before.time, before.time, before.id);
    }
    const sql = `SELECT ${COLUMNS} FROM ${from} WHERE ${conditions.join(' AND ')} ORDER BY ${f}.time DESC, ${f}.id DESC LIMIT ?`;
    const rows = this.#statement(sql).all(...parameters, query.limit + 1) as unknown as EventRow[];
    return toPage(rows.map(toEvent), query.limit);
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#db.prepare(sql)));
    return statement;
  }
}

function toEvent(row: EventRow): LoggedEvent {
  return {
    account: row.account,
    region: row.region,
    time: row.time,
    id: row.id,
    eventName: row.event_name,
    eventSource: row.event_source,
    ...(row.username !== null && { username: row.username }),
    ...(row.access_key_id !== null && { accessKeyId: row.access_key_id }),
    readOnly: row.read_only === 'true',
    resources: JSON.parse(row.resources) as LoggedEvent['resources'],
    record: row.record,
  };
}
