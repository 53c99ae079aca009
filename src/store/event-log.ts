// An append-only log of recorded API events (CloudTrail), beside the document store.
// Documents are versioned, JSON-indexed and transactional; events are none of that: a
// batch is appended in one transaction (one INSERT per event and per resource, no
// version counter), never changed, and read back newest first by account, region,
// one lookup attribute and a time range through real SQL indexes. An event may also
// go to the log's outbox: its record is put there in the batch's transaction, so a
// consumer (trail delivery) gets exactly the events the log got, crash or not, and
// clears what it has handled. Where the log shares its database with the documents
// (memory, SQLite in memory, PostgreSQL) the outbox is a document collection; an
// SQLite file keeps log and outbox in a file of their own (event-log-sqlite-file.ts).
//
// Order: newest first, ties (same millisecond) by id, descending. A page's `next` is
// the last event's (time, id): pass it as `before` for the page after.
import { checkName } from './keys.ts';
import type { SyncEngine } from './serialized.ts';
import type { Store } from './store.ts';

/** What an event can be looked up by (LookupEvents' attribute keys). */
export const EVENT_LOG_ATTRIBUTES = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
export type EventLogAttribute = (typeof EVENT_LOG_ATTRIBUTES)[number];

export interface LoggedEvent {
  account: string;
  region: string;
  /** Epoch milliseconds. */
  time: number;
  /** Unique per event. */
  id: string;
  eventName: string;
  eventSource: string;
  username?: string;
  accessKeyId?: string;
  readOnly: boolean;
  resources: { type?: string; name: string }[];
  /** The whole record, as JSON text (serialized once by the writer, given back as is). */
  record: string;
  /** Also put the record in the outbox under this key, in the append's transaction (never read back from the log). */
  outboxKey?: string;
}

/** An outbox entry: the key it was appended with, and the record, parsed. */
export interface OutboxEntry {
  key: string;
  record: unknown;
}

/** The outbox's collection where it is documents (the name it had when CloudTrail wrote it there itself). */
export const OUTBOX_COLLECTION = 'cloudtrail.outbox';

export interface EventLogCursor {
  time: number;
  id: string;
}

export interface EventLogQuery {
  account: string;
  region: string;
  attribute?: { key: EventLogAttribute; value: string };
  /** Inclusive bounds, epoch ms. */
  start: number;
  end: number;
  /** At most this many events (a positive integer). */
  limit: number;
  /** Only events after this one in newest-first order: the previous page's `next`. */
  before?: EventLogCursor;
}

export interface EventLogPage {
  events: LoggedEvent[];
  /** Present when more events may follow. */
  next?: EventLogCursor;
}

export interface EventLog {
  /** Appends the events, and puts their outbox entries, in one transaction: all or none. */
  append(events: readonly LoggedEvent[]): Promise<void>;
  /** The first `limit` outbox entries, in key order. */
  outbox(limit: number): Promise<OutboxEntry[]>;
  /** Removes these outbox entries (handled); keys not there are ignored. */
  clearOutbox(keys: readonly string[]): Promise<void>;
  /** A page of matching events, newest first. */
  query(query: EventLogQuery): Promise<EventLogPage>;
  /**
   * Deletes the events older than `timeMs` (epoch ms), with whatever indexes them;
   * resolves to how many. The outbox keeps its entries until they are cleared.
   */
  deleteBefore(timeMs: number): Promise<number>;
}

/** Where a bounded delete step stopped: give it to the next step (opaque to callers). */
export type DeleteCursor = unknown;

/** One bounded step of deleteBefore: the events it deleted, and where to go on (none when done). */
export interface DeleteStep {
  deleted: number;
  next?: DeleteCursor;
}

/** Runs delete steps until done, each a call of its own (a transaction, a turn of the event loop). */
export async function deleteInSteps(step: (from: DeleteCursor | undefined) => Promise<DeleteStep>): Promise<number> {
  let total = 0;
  let from: DeleteCursor | undefined;
  do {
    const { deleted, next } = await step(from);
    total += deleted;
    from = next;
  } while (from !== undefined);
  return total;
}

export function checkDeleteTime(timeMs: number): void {
  if (!Number.isSafeInteger(timeMs)) throw new RangeError(`event log delete time must be an integer of epoch ms, not ${timeMs}`);
}

/** The attribute columns of the events table; resource attributes live in the resources table. */
export const ATTRIBUTE_COLUMNS: Partial<Record<EventLogAttribute, string>> = {
  EventId: 'id',
  EventName: 'event_name',
  ReadOnly: 'read_only',
  Username: 'username',
  EventSource: 'event_source',
  AccessKeyId: 'access_key_id',
};

/** The resources table's `kind` for the two resource attributes. */
export const RESOURCE_KINDS: Partial<Record<EventLogAttribute, string>> = { ResourceType: 'type', ResourceName: 'name' };

/** An events table row's columns, as both SQL logs name them (PostgreSQL gives the bigint `time` as text). */
export interface EventRowColumns {
  account: string;
  region: string;
  time: number | string;
  id: string;
  event_name: string;
  event_source: string;
  username: string | null;
  access_key_id: string | null;
  read_only: string;
  resources: string;
}

/** An events table row as an event, with `record` as its record. */
export function eventOfRow(row: EventRowColumns, record: string): LoggedEvent {
  return {
    account: row.account,
    region: row.region,
    time: Number(row.time),
    id: row.id,
    eventName: row.event_name,
    eventSource: row.event_source,
    ...(row.username !== null && { username: row.username }),
    ...(row.access_key_id !== null && { accessKeyId: row.access_key_id }),
    readOnly: row.read_only === 'true',
    resources: JSON.parse(row.resources) as LoggedEvent['resources'],
    record,
  };
}

/** The distinct (kind, value) resource rows of an event. */
export function resourceRows(event: LoggedEvent): [kind: string, value: string][] {
  const rows = new Map<string, [string, string]>();
  for (const { type, name } of event.resources) {
    if (type !== undefined) rows.set(JSON.stringify(['type', type]), ['type', type]);
    rows.set(JSON.stringify(['name', name]), ['name', name]);
  }
  return [...rows.values()];
}

/** The event's values of an attribute (several for resources). */
export function attributeValues(event: LoggedEvent, key: EventLogAttribute): string[] {
  switch (key) {
    case 'EventId':
      return [event.id];
    case 'EventName':
      return [event.eventName];
    case 'ReadOnly':
      return [String(event.readOnly)];
    case 'Username':
      return event.username === undefined ? [] : [event.username];
    case 'EventSource':
      return [event.eventSource];
    case 'AccessKeyId':
      return event.accessKeyId === undefined ? [] : [event.accessKeyId];
    case 'ResourceType':
      return event.resources.flatMap((r) => (r.type === undefined ? [] : [r.type]));
    case 'ResourceName':
      return event.resources.map((r) => r.name);
  }
}

/** Newest first, then id descending: the log's one order. */
export function compareNewestFirst(a: EventLogCursor, b: EventLogCursor): number {
  if (a.time !== b.time) return b.time - a.time;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function checkQuery(query: EventLogQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError(`event log limit must be a positive integer, not ${query.limit}`);
  if (query.attribute && !EVENT_LOG_ATTRIBUTES.includes(query.attribute.key)) {
    throw new RangeError(`unknown event log attribute ${query.attribute.key}`);
  }
}

/** The page of `limit` from `sorted` (newest first), with `next` when one more matched. */
export function toPage(sorted: LoggedEvent[], limit: number): EventLogPage {
  if (sorted.length <= limit) return { events: sorted };
  const events = sorted.slice(0, limit);
  const last = events[events.length - 1];
  return { events, next: { time: last.time, id: last.id } };
}

/** The events log in memory (the memory store's): arrays, filtered and sorted on demand. */
export class MemoryEventLog implements SyncEventLog {
  #events: LoggedEvent[] = [];

  append(events: readonly LoggedEvent[]): void {
    this.#events.push(...events.map(({ outboxKey: _put, ...e }) => structuredClone(e)));
  }

  query(query: EventLogQuery): EventLogPage {
    const { attribute, before } = query;
    const matching = this.#events.filter(
      (e) =>
        e.account === query.account &&
        e.region === query.region &&
        e.time >= query.start &&
        e.time <= query.end &&
        (!attribute || attributeValues(e, attribute.key).includes(attribute.value)) &&
        (!before || compareNewestFirst(before, e) < 0),
    );
    matching.sort(compareNewestFirst);
    return toPage(matching.slice(0, query.limit + 1).map((e) => structuredClone(e)), query.limit);
  }

  deleteBefore(timeMs: number): DeleteStep {
    const before = this.#events.length;
    this.#events = this.#events.filter((e) => e.time >= timeMs);
    return { deleted: before - this.#events.length };
  }

  clear(): void {
    this.#events = [];
  }
}

/** An event log whose engine works synchronously on the store's own connection. */
export interface SyncEventLog {
  append(events: readonly LoggedEvent[]): void;
  query(query: EventLogQuery): EventLogPage;
  /** One bounded step of deleting the events older than `timeMs`, from where the last step stopped. */
  deleteBefore(timeMs: number, from: DeleteCursor | undefined): DeleteStep;
}

/**
 * Writes a batch inside the engine's open transaction: the outbox documents (the
 * record's JSON text is the document's), then the events.
 */
export function writeBatch(engine: Pick<SyncEngine, 'write' | 'nextVersion'>, log: SyncEventLog, events: readonly LoggedEvent[]): void {
  for (const { outboxKey, record } of events) {
    if (outboxKey !== undefined) engine.write(OUTBOX_COLLECTION, checkName('key', outboxKey), record, engine.nextVersion());
  }
  log.append(events);
}

/** The outbox of a log whose outbox is documents of `store` (OUTBOX_COLLECTION). */
export function documentOutbox(store: Store): Pick<EventLog, 'outbox' | 'clearOutbox'> {
  return {
    outbox: async (limit) => (await store.list(OUTBOX_COLLECTION, { limit })).items.map(({ key, value }) => ({ key, record: value })),
    clearOutbox: (keys) =>
      keys.length === 0
        ? Promise.resolve()
        : store.transaction(async (tx) => {
            for (const key of keys) await tx.delete(OUTBOX_COLLECTION, key);
          }),
  };
}

/**
 * The EventLog of a store whose engine is shared with its documents (memory, SQLite
 * in memory): each call runs as a store transaction, so it takes its turn with the
 * store's other work, commits (or rolls back) on its own, and fails like the store
 * once it is closed.
 */
export function serializedEventLog(store: Store, engine: SyncEngine, log: SyncEventLog): EventLog {
  return {
    append: (events) => (events.length === 0 ? Promise.resolve() : store.transaction(async () => writeBatch(engine, log, events))),
    ...documentOutbox(store),
    query: async (query) => {
      checkQuery(query);
      return store.transaction(async () => log.query(query));
    },
    deleteBefore: async (timeMs) => {
      checkDeleteTime(timeMs);
      return deleteInSteps((from) => store.transaction(async () => log.deleteBefore(timeMs, from)));
    },
  };
}
