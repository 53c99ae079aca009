// The event log in SQLite (see event-log.ts), on whichever connection it is given (an
// events file's, event-log-sqlite-file.ts; or the store's own for a database in
// memory). One row per event in cloudtrail_events, appended in rowid order, and an
// index of postings instead of an index per attribute:
//
//   cloudtrail_event_postings  (account, region, key, value, max_time, first_row) ->
//                              min_time, last_row
//
// An append writes its events in chunks (one account and region, at most CHUNK
// events), and per chunk one posting for each distinct value of each lookup attribute
// (and one under key '*' for "any event"): the rows of the chunk with that value lie
// in first_row..last_row, at times min_time..max_time. Calls come in runs from one
// caller doing one thing, so a chunk of 25 GetCallerIdentity calls costs 31 postings
// (one per event id, six shared) where an index per attribute would cost 150 entries:
// the write per call is what recording costs, a lookup is rare.
//
// A lookup reads its attribute's postings newest first (by max_time), scans each
// posting's rows, keeps those that match, and stops once no later posting can hold
// an event newer than the page's last: a page of 50 costs a handful of postings.
//
// Deleting old events (retention) goes in bounded steps, each its own transaction:
// first the events, DELETE_STEP rows of rowid order at a time, then the postings,
// DELETE_STEP of key order at a time, dropping those whose every event is older
// (max_time before the cut). A posting that also covers newer events stays; its scan
// skips the rows gone. The row with the highest rowid is never deleted: SQLite gives
// a new row the highest rowid + 1, so a deleted highest row would hand its rowid to a
// new event inside a range some surviving posting still covers. That row (and its
// postings) goes at the first delete after a newer event is appended.
import type { DatabaseSync } from 'node:sqlite';
import { PreparedStatements } from './sqlite-connection.ts';
import {
  attributeValues,
  compareNewestFirst,
  eventOfRow,
  toPage,
  type DeleteCursor,
  type DeleteStep,
  type EventLogPage,
  type EventLogQuery,
  type EventRowColumns,
  type LoggedEvent,
  type SyncEventLog,
} from './event-log.ts';

/** The migration that created the event log's tables, schema version 2 (sqlite.ts keeps the list). */
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

/**
 * Schema version 3: postings in place of the per-attribute indexes and the resources
 * table. Events already logged get one posting per attribute value each.
 */
export const SQLITE_EVENT_LOG_POSTINGS_MIGRATION = `
  CREATE TABLE cloudtrail_event_postings (
    account   TEXT NOT NULL,
    region    TEXT NOT NULL,
    key       TEXT NOT NULL, -- a lookup attribute, or '*'
    value     TEXT NOT NULL,
    max_time  INTEGER NOT NULL,
    first_row INTEGER NOT NULL, -- rowids in cloudtrail_events
    min_time  INTEGER NOT NULL,
    last_row  INTEGER NOT NULL,
    PRIMARY KEY (account, region, key, value, max_time, first_row)
  ) WITHOUT ROWID;
  INSERT INTO cloudtrail_event_postings
    SELECT account, region, '*', '*', time, rowid, time, rowid FROM cloudtrail_events
    UNION ALL SELECT account, region, 'EventId', id, time, rowid, time, rowid FROM cloudtrail_events
    UNION ALL SELECT account, region, 'EventName', event_name, time, rowid, time, rowid FROM cloudtrail_events
    UNION ALL SELECT account, region, 'EventSource', event_source, time, rowid, time, rowid FROM cloudtrail_events
    UNION ALL SELECT account, region, 'ReadOnly', read_only, time, rowid, time, rowid FROM cloudtrail_events
    UNION ALL SELECT account, region, 'Username', username, time, rowid, time, rowid FROM cloudtrail_events WHERE username IS NOT NULL
    UNION ALL SELECT account, region, 'AccessKeyId', access_key_id, time, rowid, time, rowid FROM cloudtrail_events WHERE access_key_id IS NOT NULL
    UNION ALL SELECT r.account, r.region, CASE r.kind WHEN 'type' THEN 'ResourceType' ELSE 'ResourceName' END, r.value, e.time, e.rowid, e.time, e.rowid
      FROM cloudtrail_event_resources r JOIN cloudtrail_events e ON e.account = r.account AND e.region = r.region AND e.time = r.time AND e.id = r.id;
  DROP TABLE cloudtrail_event_resources;
  DROP INDEX cloudtrail_events_by_time;
  DROP INDEX cloudtrail_events_by_id;
  DROP INDEX cloudtrail_events_by_name;
  DROP INDEX cloudtrail_events_by_source;
  DROP INDEX cloudtrail_events_by_username;
  DROP INDEX cloudtrail_events_by_access_key;
  DROP INDEX cloudtrail_events_by_read_only;`;

/**
 * The schema of an events file (event-log-sqlite-file.ts), version 1: the log's tables
 * as the store file's migrations leave them (run on the empty file), and the outbox.
 */
export const SQLITE_EVENTS_FILE_SCHEMA = `${SQLITE_EVENT_LOG_MIGRATION}
  ${SQLITE_EVENT_LOG_POSTINGS_MIGRATION}
  CREATE TABLE event_outbox (
    key    TEXT PRIMARY KEY,
    record TEXT NOT NULL -- JSON
  ) WITHOUT ROWID;`;

export const SQLITE_EVENT_LOG_WIPE = 'DELETE FROM cloudtrail_events; DELETE FROM cloudtrail_event_postings;';

/** At most this many events share a chunk (and so a posting): a posting's scan stays short. */
const CHUNK = 64;
/** Rows (events, then postings) one delete step looks at: a few milliseconds of work. */
const DELETE_STEP = 2000;
/** The posting key of "any event". */
const ANY = '*';

/** Where the events with one attribute value lie in a chunk. */
interface Posting {
  key: string;
  value: string;
  minTime: number;
  maxTime: number;
  firstRow: number;
  lastRow: number;
}

interface EventRow extends EventRowColumns {
  rowid: number;
  time: number;
}

export class SqliteEventLog implements SyncEventLog {
  readonly #db: DatabaseSync;
  readonly #statements: PreparedStatements;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#statements = new PreparedStatements(db);
  }

  /** Runs inside the caller's transaction (so the rowids of a chunk are consecutive). */
  append(events: readonly LoggedEvent[]): void {
    for (const chunk of chunks(events)) this.#appendChunk(chunk);
  }

  #appendChunk(chunk: readonly LoggedEvent[]): void {
    const insertEvent = this.#statements.get(
      `INSERT INTO cloudtrail_events (account, region, time, id, event_name, event_source, username, access_key_id, read_only, resources, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Per key, the chunk's postings by value; calls come in runs, so most events find theirs.
    const postings = new Map<string, Map<string, Posting>>();
    const post = (key: string, value: string, time: number, row: number) => {
      let byValue = postings.get(key);
      if (!byValue) postings.set(key, (byValue = new Map()));
      const posting = byValue.get(value);
      if (!posting) byValue.set(value, { key, value, minTime: time, maxTime: time, firstRow: row, lastRow: row });
      else {
        if (time < posting.minTime) posting.minTime = time;
        if (time > posting.maxTime) posting.maxTime = time;
        posting.lastRow = row;
      }
    };
    for (const e of chunk) {
      const resources = e.resources.length === 0 ? '[]' : JSON.stringify(e.resources);
      const { lastInsertRowid } = insertEvent.run(e.account, e.region, e.time, e.id, e.eventName, e.eventSource, e.username ?? null, e.accessKeyId ?? null, String(e.readOnly), resources, e.record);
      const row = Number(lastInsertRowid);
      post(ANY, ANY, e.time, row);
      // An id that carries the event's time is found through that time's '*' postings instead.
      if (timeInId(e.id) !== e.time) post('EventId', e.id, e.time, row);
      post('EventName', e.eventName, e.time, row);
      post('EventSource', e.eventSource, e.time, row);
      post('ReadOnly', String(e.readOnly), e.time, row);
      if (e.username !== undefined) post('Username', e.username, e.time, row);
      if (e.accessKeyId !== undefined) post('AccessKeyId', e.accessKeyId, e.time, row);
      for (const { type, name } of e.resources) {
        if (type !== undefined) post('ResourceType', type, e.time, row);
        post('ResourceName', name, e.time, row);
      }
    }
    const insertPosting = this.#statements.get(
      'INSERT INTO cloudtrail_event_postings (account, region, key, value, max_time, first_row, min_time, last_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const { account, region } = chunk[0];
    for (const byValue of postings.values()) {
      for (const p of byValue.values()) insertPosting.run(account, region, p.key, p.value, p.maxTime, p.firstRow, p.minTime, p.lastRow);
    }
  }

  query(query: EventLogQuery): EventLogPage {
    const { attribute, limit } = query;
    // The best limit + 1 events so far, newest first: one more than a page says whether a next page exists.
    let found = this.#scan(attribute?.key ?? ANY, attribute?.value ?? ANY, query, []);
    const idTime = attribute?.key === 'EventId' ? timeInId(attribute.value) : undefined;
    if (idTime !== undefined && idTime >= query.start && idTime <= query.end) {
      found = this.#scan(ANY, ANY, { ...query, start: idTime, end: idTime }, found);
    }
    const record = this.#statements.get('SELECT record FROM cloudtrail_events WHERE rowid = ?');
    const events = found.map(({ rowid, ...event }) => ({ ...event, record: (record.get(rowid) as { record: string }).record }));
    return toPage(events, limit);
  }

  /** Adds to `found` the query's events among the postings of key = value, keeping the best limit + 1. */
  #scan(key: string, value: string, query: EventLogQuery, found: FoundEvent[]): FoundEvent[] {
    const { before, limit } = query;
    const conditions = ['account = ?', 'region = ?', 'key = ?', 'value = ?', 'max_time >= ?', 'min_time <= ?'];
    const parameters = [query.account, query.region, key, value, query.start, query.end];
    if (before) {
      conditions.push('min_time <= ?');
      parameters.push(before.time);
    }
    const postings = this.#statements.get(
      `SELECT max_time, first_row, last_row FROM cloudtrail_event_postings WHERE ${conditions.join(' AND ')} ORDER BY max_time DESC, first_row DESC`,
    );
    const rows = this.#statements.get(
      'SELECT rowid, account, region, time, id, event_name, event_source, username, access_key_id, read_only, resources FROM cloudtrail_events WHERE rowid BETWEEN ? AND ?',
    );
    for (const posting of postings.iterate(...parameters) as Iterable<{ max_time: number; first_row: number; last_row: number }>) {
      // Later postings hold nothing newer than this one's max_time: none can beat a full page's last event.
      if (found.length > limit && posting.max_time < found[limit].time) break;
      for (const row of rows.all(posting.first_row, posting.last_row) as unknown as EventRow[]) {
        const event = toEvent(row);
        if (matches(event, query)) found.push(event);
      }
      found = found.sort(compareNewestFirst).slice(0, limit + 1);
    }
    return found;
  }

  /** One bounded step of deleting the events older than `timeMs` and the postings left with none. */
  deleteBefore(timeMs: number, from: DeleteCursor | undefined): DeleteStep {
    const position = (from ?? { afterRow: 0 }) as DeletePosition;
    return 'afterRow' in position ? this.#deleteEvents(timeMs, position.afterRow) : this.#deletePostings(timeMs, position.afterPosting);
  }

  #deleteEvents(timeMs: number, afterRow: number): DeleteStep {
    const { last } = this.#statements.get(
      'SELECT max(rowid) AS last FROM (SELECT rowid FROM cloudtrail_events WHERE rowid > ? ORDER BY rowid LIMIT ?)',
    ).get(afterRow, DELETE_STEP) as { last: number | null };
    if (last === null) return { deleted: 0, next: { afterPosting: null } satisfies DeletePosition };
    const { changes } = this.#statements.get(
      'DELETE FROM cloudtrail_events WHERE rowid > ? AND rowid <= ? AND time < ? AND rowid < (SELECT max(rowid) FROM cloudtrail_events)',
    ).run(afterRow, last, timeMs);
    return { deleted: Number(changes), next: { afterRow: last } satisfies DeletePosition };
  }

  #deletePostings(timeMs: number, afterPosting: PostingKey | null): DeleteStep {
    const columns = 'account, region, key, value, max_time, first_row';
    const select = `SELECT ${columns}, last_row FROM cloudtrail_event_postings`;
    const keys = (
      afterPosting
        ? this.#statements.get(`${select} WHERE (${columns}) > (?, ?, ?, ?, ?, ?) ORDER BY ${columns} LIMIT ?`).all(...afterPosting, DELETE_STEP)
        : this.#statements.get(`${select} ORDER BY ${columns} LIMIT ?`).all(DELETE_STEP)
    ) as unknown as { account: string; region: string; key: string; value: string; max_time: number; first_row: number; last_row: number }[];
    // The kept highest row keeps its postings.
    const { highest } = this.#statements.get('SELECT max(rowid) AS highest FROM cloudtrail_events').get() as { highest: number | null };
    const remove = this.#statements.get(`DELETE FROM cloudtrail_event_postings WHERE (${columns}) = (?, ?, ?, ?, ?, ?)`);
    for (const p of keys) {
      if (p.max_time < timeMs && (highest === null || p.last_row < highest)) remove.run(p.account, p.region, p.key, p.value, p.max_time, p.first_row);
    }
    const last = keys.at(-1);
    // (deleteBefore counts events, not postings.)
    return { deleted: 0, ...(keys.length === DELETE_STEP && last && { next: { afterPosting: [last.account, last.region, last.key, last.value, last.max_time, last.first_row] } }) };
  }

}

/** The events in runs of one account and region, at most CHUNK long, in their order. */
function chunks(events: readonly LoggedEvent[]): LoggedEvent[][] {
  const byPlace = new Map<string, LoggedEvent[][]>();
  for (const e of events) {
    const place = `${e.account}/${e.region}`;
    const runs = byPlace.get(place) ?? [];
    if (runs.length === 0) byPlace.set(place, runs);
    const last = runs[runs.length - 1];
    if (last && last.length < CHUNK) last.push(e);
    else runs.push([e]);
  }
  return [...byPlace.values()].flat();
}

/** The query's conditions that a posting's row range does not settle by itself. */
function matches(event: LoggedEvent, { account, region, attribute, start, end, before }: EventLogQuery): boolean {
  return (
    event.account === account &&
    event.region === region &&
    event.time >= start &&
    event.time <= end &&
    (!before || compareNewestFirst(before, event) < 0) &&
    (!attribute || attributeValues(event, attribute.key).includes(attribute.value))
  );
}

type FoundEvent = LoggedEvent & { rowid: number };

/** A posting's primary key: account, region, key, value, max_time, first_row. */
type PostingKey = [string, string, string, string, number, number];

/** Where a delete step goes on: after this event rowid, or after this posting (in key order). */
type DeletePosition = { afterRow: number } | { afterPosting: PostingKey | null };

/**
 * The time in ms a version 7 UUID starts with (its first 48 bits), if `id` is one.
 * Recorded events' ids are (see services/cloudtrail/recorder.ts).
 */
function timeInId(id: string): number | undefined {
  return UUID_V7.test(id) ? parseInt(id.slice(0, 8) + id.slice(9, 13), 16) : undefined;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A row as an event, without its record (read only for the events a page returns). */
function toEvent(row: EventRow): FoundEvent {
  return { ...eventOfRow(row, ''), rowid: row.rowid };
}
