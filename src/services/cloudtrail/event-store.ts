// Where recorded events live, laid out for LookupEvents on top of the plain document
// store: one collection of records in newest-first order, and one index collection
// with a key per lookup attribute value, so that "a page of events with this
// attribute value in this time range" is one ordered range scan plus a get per event.
//
//   cloudtrail.events       ACCOUNT/REGION/INVERTED_TIME/EVENT_ID                 -> StoredEvent
//   cloudtrail.event-index  ACCOUNT/REGION/ATTRIBUTE/VALUE/INVERTED_TIME/EVENT_ID -> 0
//   cloudtrail.outbox       ACCOUNT/TIME/EVENT_ID -> record, only while a trail of the account logs
//
// INVERTED_TIME is 13 digits of (MAX - epoch ms), so keys sort newest first. VALUE is
// escaped so that a '/' inside a value (ARNs) cannot run into the next key part.
import type { Documents, Store } from '../../store/store.ts';
import type { CloudTrailRecord } from './record.ts';

export const EVENTS = 'cloudtrail.events';
export const EVENT_INDEX = 'cloudtrail.event-index';
export const OUTBOX = 'cloudtrail.outbox';
/** ACCOUNT -> { trails: names of the account's trails that are logging }. */
export const LOGGING_ACCOUNTS = 'cloudtrail.logging-accounts';

export const LOOKUP_ATTRIBUTES = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
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

const MAX_TIME = 9_999_999_999_999;

export function invertedTime(ms: number): string {
  return String(MAX_TIME - Math.max(0, Math.min(MAX_TIME, Math.floor(ms)))).padStart(13, '0');
}

export function escapeValue(value: string): string {
  return value.replace(/%/g, '%25').replace(/\//g, '%2F');
}

export function eventKey(account: string, region: string, timeMs: number, eventId: string): string {
  return `${account}/${region}/${invertedTime(timeMs)}/${eventId}`;
}

export function indexPrefix(account: string, region: string, attribute: LookupAttributeKey, value: string): string {
  return `${account}/${region}/${attribute}/${escapeValue(value)}/`;
}

/** Every (attribute, value) pair a record can be looked up by. */
export function lookupValues(event: EventToStore): [LookupAttributeKey, string][] {
  const { record } = event;
  const pairs: [LookupAttributeKey, string][] = [
    ['EventId', record.eventID],
    ['EventName', record.eventName],
    ['ReadOnly', String(record.readOnly)],
    ['EventSource', record.eventSource],
  ];
  if (event.username) pairs.push(['Username', event.username]);
  if (record.userIdentity.accessKeyId) pairs.push(['AccessKeyId', record.userIdentity.accessKeyId]);
  for (const resource of record.resources ?? []) {
    if (resource.type) pairs.push(['ResourceType', resource.type]);
    pairs.push(['ResourceName', resource.ARN]);
  }
  return pairs;
}

/** Writes events and their index entries (inside the caller's transaction). */
export async function writeEvents(tx: Documents, events: readonly EventToStore[]): Promise<void> {
  const loggingByAccount = new Map<string, boolean>();
  for (const event of events) {
    const { record } = event;
    const account = record.recipientAccountId;
    const region = record.awsRegion;
    const inverted = invertedTime(event.timeMs);
    const stored: StoredEvent = { t: event.timeMs, record, ...(event.username && { u: event.username }) };
    await tx.put(EVENTS, `${account}/${region}/${inverted}/${record.eventID}`, stored);
    for (const [attribute, value] of lookupValues(event)) {
      await tx.put(EVENT_INDEX, `${account}/${region}/${attribute}/${escapeValue(value)}/${inverted}/${record.eventID}`, 0);
    }
    let logging = loggingByAccount.get(account);
    if (logging === undefined) {
      const marker = await tx.get<{ trails: string[] }>(LOGGING_ACCOUNTS, account);
      logging = (marker?.trails.length ?? 0) > 0;
      loggingByAccount.set(account, logging);
    }
    if (logging) await tx.put(OUTBOX, `${account}/${String(event.timeMs).padStart(13, '0')}/${record.eventID}`, record);
  }
}

export interface EventQuery {
  account: string;
  region: string;
  attribute?: { key: LookupAttributeKey; value: string };
  /** Inclusive bounds, epoch ms. */
  startMs: number;
  endMs: number;
  limit: number;
  /** Continue after this key (of the scanned collection). */
  after?: string;
}

export interface EventPage {
  events: StoredEvent[];
  /** Where the next page starts, when there may be more. */
  next?: string;
}

/** A page of events, newest first, from one range scan. */
export async function queryEvents(store: Documents, query: EventQuery): Promise<EventPage> {
  const collection = query.attribute ? EVENT_INDEX : EVENTS;
  const prefix = query.attribute
    ? indexPrefix(query.account, query.region, query.attribute.key, query.attribute.value)
    : `${query.account}/${query.region}/`;
  const oldest = invertedTime(query.startMs);
  // Keys `prefix + invertedTime(end)/...` sort after `prefix + invertedTime(end)`: the end is inclusive.
  const newestStart = prefix + invertedTime(query.endMs);
  const after = query.after && query.after > newestStart ? query.after : newestStart;
  const page = await store.list(collection, { prefix, after, limit: query.limit + 1 });
  const keys: string[] = [];
  for (const item of page.items) {
    const rest = item.key.slice(prefix.length);
    if (rest.slice(0, 13) > oldest) break; // older than the start time
    keys.push(rest);
  }
  const more = keys.length > query.limit;
  const taken = keys.slice(0, query.limit);
  const events: StoredEvent[] = [];
  for (const rest of taken) {
    const stored = await store.get<StoredEvent>(EVENTS, `${query.account}/${query.region}/${rest}`);
    if (stored) events.push(stored);
  }
  return { events, ...(more && { next: prefix + taken[taken.length - 1] }) };
}

/** Stored events are written in batches; this is the one writer's entry point. */
export async function storeEvents(store: Store, events: readonly EventToStore[]): Promise<void> {
  await store.transaction((tx) => writeEvents(tx, events));
}
