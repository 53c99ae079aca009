// Key last usage (GetKeyLastUsage): the last successful cryptographic operation on each
// key, with its time and request id (and, looked up when asked, its CloudTrail event).
// Encrypt and Decrypt are the hot path, so a use only replaces an entry in memory; each
// store's pending uses are written once a second, one document per key (kms.usage),
// and on shutdown. GetKeyLastUsage on the same node sees a use at once; another node
// sharing the database, within a second.
import type { Store } from '../../store/store.ts';
import type { KeyLastUsageTrackingOperation } from '../../protocol/types/kms.ts';
import { queryEvents } from '../cloudtrail/index.ts';
import { keyKey, KMS_COLLECTIONS, type KeyRecord } from './records.ts';

export interface KeyUsage {
  operation: KeyLastUsageTrackingOperation;
  /** ISO time of the call, by Bulwark's clock. */
  timestamp: string;
  requestId: string;
}

const FLUSH_INTERVAL_MS = 1000;

class KeyUsageTracker {
  readonly #store: Store;
  /** Store key of the key → its latest use not yet written. */
  readonly #pending = new Map<string, KeyUsage>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(store: Store) {
    this.#store = store;
  }

  note(storeKey: string, usage: KeyUsage): void {
    this.#pending.set(storeKey, usage);
    this.#timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_INTERVAL_MS).unref();
  }

  async latest(storeKey: string): Promise<KeyUsage | undefined> {
    const pending = this.#pending.get(storeKey);
    if (pending) return pending;
    await this.#flushing; // a use being written is not in memory any more
    return this.#store.get<KeyUsage>(KMS_COLLECTIONS.usage, storeKey);
  }

  /** Writes every pending use; flushes run one after another, so a later use is never overwritten by an earlier one. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending];
    this.#pending.clear();
    const written = this.#flushing.then(() => writeUsages(this.#store, batch));
    // A failed write (the store closed under a timer) loses that batch only.
    this.#flushing = written.catch(() => undefined);
    return written;
  }
}

/**
 * Keeps the later of the stored use and ours: nodes sharing a database flush
 * independently. A key deleted since its use (its usage went with it) gets none back.
 */
async function writeUsages(store: Store, batch: [string, KeyUsage][]): Promise<void> {
  for (const [storeKey, usage] of batch) {
    await store.transaction(async (tx) => {
      if (!(await tx.get(KMS_COLLECTIONS.keys, storeKey))) return;
      const stored = await tx.get<KeyUsage>(KMS_COLLECTIONS.usage, storeKey);
      if (!stored || stored.timestamp <= usage.timestamp) await tx.put(KMS_COLLECTIONS.usage, storeKey, usage);
    });
  }
}

/** One tracker per store (tests run several servers in one process). */
const trackers = new Map<Store, KeyUsageTracker>();

function trackerOf(store: Store): KeyUsageTracker {
  let tracker = trackers.get(store);
  if (!tracker) trackers.set(store, (tracker = new KeyUsageTracker(store)));
  return tracker;
}

/** Records a successful cryptographic operation on a key (memory only; written within a second). */
export function noteKeyUse(store: Store, record: KeyRecord, usage: KeyUsage): void {
  trackerOf(store).note(keyKey(record.accountId, record.region, record.keyId), usage);
}

export function lastKeyUse(store: Store, record: KeyRecord): Promise<KeyUsage | undefined> {
  return trackerOf(store).latest(keyKey(record.accountId, record.region, record.keyId));
}

/** How far before a use its CloudTrail event may be (the event is stamped when the request arrives). */
const EVENT_WINDOW_MS = 10_000;
const EVENT_PAGE = 100;

/**
 * The id of the CloudTrail event the key owner's account recorded for a use, found by
 * its request id among the key's events just before it; undefined when CloudTrail did
 * not record it (recording off, or another account's call, recorded in that account).
 */
export async function cloudTrailEventIdOf(store: Store, record: KeyRecord, usage: KeyUsage): Promise<string | undefined> {
  if (!store.eventLog) return undefined;
  const end = Date.parse(usage.timestamp);
  const query = {
    account: record.accountId, region: record.region, attribute: { key: 'ResourceName' as const, value: record.arn },
    startMs: end - EVENT_WINDOW_MS, endMs: end, limit: EVENT_PAGE,
  };
  for (let after: string | undefined; ;) {
    const page = await queryEvents(store, { ...query, ...(after !== undefined ? { after } : {}) });
    const event = page.events.find((e) => e.record.requestID === usage.requestId);
    if (event) return event.record.eventID;
    if (!page.next) return undefined;
    after = page.next;
  }
}

/** Writes every store's pending uses (a server is stopping, before its store closes). */
export async function flushKeyUses(): Promise<void> {
  for (const [store, tracker] of trackers) {
    trackers.delete(store);
    await tracker.flush().catch(() => undefined); // another server's store may be closed already
  }
}
