// Where recorded events live: the store's append-only event log (store/event-log.ts),
// indexed per lookup attribute, so that "a page of events with this attribute value in
// this time range" is one indexed query. Trail delivery takes events from the log's
// outbox, written in the same transaction as the log:
//
//   outbox                  ACCOUNT/TIME/EVENT_ID -> record, only while a trail of the account logs
import type { Store, Transaction } from '../../store/store.ts';
import { EVENT_LOG_ATTRIBUTES, type EventLog, type EventLogCursor, type LoggedEvent, type OutboxEntry } from '../../store/event-log.ts';
import type { CloudTrailRecord } from './record.ts';

/** ACCOUNT -> { trails: names of the account's trails that are logging }. */
export const LOGGING_ACCOUNTS = 'cloudtrail.logging-accounts';

/** LookupEvents' attribute keys: the event log's. */
export const LOOKUP_ATTRIBUTES = EVENT_LOG_ATTRIBUTES;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTES)[number];

export interface StoredEvent {
  /** Event time in epoch milliseconds (the record's eventTime is to the second). */
  t: number;
  /** LookupEvents' Username. */
  u?: string;
  record: CloudTrailRecord;
}

export interface EventToStore {
  timeMs: number;
  username?: string;
  record: CloudTrailRecord;
}

function eventLogOf(store: Store): EventLog {
  if (!store.eventLog) throw new Error('this store has no event log: CloudTrail recording needs one');
  return store.eventLog();
}

function toLoggedEvent(event: EventToStore, delivered: boolean): LoggedEvent {
  const { record } = event;
  return {
    account: record.recipientAccountId,
    region: record.awsRegion,
    time: event.timeMs,
    id: record.eventID,
    eventName: record.eventName,
    eventSource: record.eventSource,
    ...(event.username && { username: event.username }),
    ...(record.userIdentity.accessKeyId && { accessKeyId: record.userIdentity.accessKeyId }),
    readOnly: record.readOnly,
    resources: (record.resources ?? []).map((r) => ({ ...(r.type && { type: r.type }), name: r.ARN })),
    record: JSON.stringify(record),
    ...(delivered && { outboxKey: `${record.recipientAccountId}/${String(event.timeMs).padStart(13, '0')}/${record.eventID}` }),
  };
}

/** Change notices between nodes for the logging markers (PostgreSQL). */
const LOGGING_TOPIC = 'cloudtrail.logging';

/**
 * Which accounts have a logging trail, as the markers say, remembered: recording asks
 * for every batch, and on PostgreSQL each read is a round trip. Every change of a
 * marker is followed, once committed, by loggingMarkersChanged (here, then on the
 * other nodes through a change notice), which forgets them all. A read that was under
 * way when they were forgotten is not remembered (it may have read the old marker).
 */
class LoggingAccounts {
  readonly #store: Store;
  readonly #known = new Map<string, boolean>();
  #generation = 0;

  constructor(store: Store) {
    this.#store = store;
    store.onChange?.(LOGGING_TOPIC, () => this.forget());
  }

  async isLogging(account: string): Promise<boolean> {
    const known = this.#known.get(account);
    if (known !== undefined) return known;
    const generation = this.#generation;
    const marker = await this.#store.get<{ trails: string[] }>(LOGGING_ACCOUNTS, account);
    const logging = (marker?.trails.length ?? 0) > 0;
    if (generation === this.#generation) this.#known.set(account, logging);
    return logging;
  }

  forget(): void {
    this.#generation++;
    this.#known.clear();
  }
}

const loggingAccounts = new WeakMap<Store, LoggingAccounts>();

function loggingAccountsOf(store: Store): LoggingAccounts {
  let accounts = loggingAccounts.get(store);
  if (!accounts) loggingAccounts.set(store, (accounts = new LoggingAccounts(store)));
  return accounts;
}

/** To call once a change of logging markers is committed: recording reads them afresh, here and on other nodes. */
export async function loggingMarkersChanged(store: Store): Promise<void> {
  loggingAccountsOf(store).forget();
  // A notice is a hint: if it cannot be sent, other nodes learn of the change when their store reconnects.
  await store.notify?.(LOGGING_TOPIC).catch(() => {});
}

/** Runs `work` as a transaction that changes logging markers, then tells recording. */
export async function changingLoggingMarkers<R>(store: Store, work: (tx: Transaction) => Promise<R>): Promise<R> {
  const result = await store.transaction(work);
  await loggingMarkersChanged(store);
  return result;
}

/**
 * Appends the events to the log and, for accounts with a logging trail, to the
 * delivery outbox, in one transaction: an event is in both or in neither.
 */
export async function storeEvents(store: Store, events: readonly EventToStore[]): Promise<void> {
  const accounts = loggingAccountsOf(store);
  const logging = new Map<string, boolean>();
  for (const account of new Set(events.map((e) => e.record.recipientAccountId))) logging.set(account, await accounts.isLogging(account));
  // Returned, not awaited: this frame (and the records in it) need not live until the commit.
  return eventLogOf(store).append(events.map((e) => toLoggedEvent(e, logging.get(e.record.recipientAccountId)!)));
}

/** The oldest undelivered events (at most `limit`), each with its account. */
export async function undeliveredEvents(store: Store, limit: number): Promise<{ key: string; account: string; record: CloudTrailRecord }[]> {
  const entries: OutboxEntry[] = await eventLogOf(store).outbox(limit);
  return entries.map(({ key, record }) => ({ key, account: key.slice(0, key.indexOf('/')), record: record as CloudTrailRecord }));
}

/** Takes delivered events (the keys undeliveredEvents gave) out of the outbox. */
export function markDelivered(store: Store, keys: readonly string[]): Promise<void> {
  return eventLogOf(store).clearOutbox(keys);
}

export interface EventQuery {
  account: string;
  region: string;
  attribute?: { key: LookupAttributeKey; value: string };
  /** Inclusive bounds, epoch ms. */
  startMs: number;
  endMs: number;
  limit: number;
  /** Continue after this position: the `next` of the previous page. */
  after?: string;
}

export interface EventPage {
  events: StoredEvent[];
  /** Where the next page starts, when there may be more. */
  next?: string;
}

/** A page of events, newest first. */
export async function queryEvents(store: Store, query: EventQuery): Promise<EventPage> {
  const page = await eventLogOf(store).query({
    account: query.account,
    region: query.region,
    ...(query.attribute && { attribute: query.attribute }),
    start: query.startMs,
    end: query.endMs,
    limit: query.limit,
    ...(query.after !== undefined && { before: parsePosition(query.after) }),
  });
  const events = page.events.map((e): StoredEvent => ({ t: e.time, ...(e.username && { u: e.username }), record: JSON.parse(e.record) as CloudTrailRecord }));
  return { events, ...(page.next && { next: `${page.next.time}/${page.next.id}` }) };
}

/** A position written by queryEvents ("TIME/ID"); anything else reads as the start. */
function parsePosition(position: string): EventLogCursor | undefined {
  const slash = position.indexOf('/');
  const time = Number(position.slice(0, slash));
  return slash > 0 && Number.isSafeInteger(time) ? { time, id: position.slice(slash + 1) } : undefined;
}
