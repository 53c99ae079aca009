// The durable subscriber that records every call. Writes are group-committed: while one
// transaction is being written (or the event loop is reading requests), arriving events
// queue up and go together in the next one, and each caller's answer waits for the
// transaction holding its event. Under load this turns N calls into a handful of
// commits instead of N. On SQLite a commit skips the fsync and a helper thread
// checkpoints (store/event-log-sqlite-file.ts): a batch costs the event loop
// about 0.1 ms.
// Subscribed unless --cloudtrail-recording is off (BULWARK_CLOUDTRAIL_RECORDING).
import { randomUUID } from 'node:crypto';
import type { CallEvent } from '../../events/call-event.ts';
import type { Subscriber } from '../../events/bus.ts';
import type { Store } from '../../store/store.ts';
import { storeEvents, type EventToStore } from './event-store.ts';
import { toCloudTrailRecord, usernameOf } from './record.ts';

interface Waiting {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Batches writes: what queued during one turn of the event loop goes as one batch,
 * and the next batch leaves once the one before is committed, holding everything that
 * queued meanwhile. Sending batches side by side (up to 4 were tried) makes them
 * small: on PostgreSQL, where a batch is a round trip and a commit on the database,
 * two nodes under a mixed IAM load then paid ~42 % of their throughput for recording,
 * against ~14-25 % one at a time (`npm run bench -- cloudtrail-recording`). On SQLite an
 * append is synchronous, so there it makes no difference.
 */
export class GroupCommitWriter {
  readonly #write: (events: EventToStore[]) => Promise<void>;
  #writing: Promise<void> | undefined;
  // Events and their callers apart: once a batch is handed over, only the callers are
  // kept until it commits, not the records.
  #queue: EventToStore[] = [];
  #waiting: Waiting[] = [];
  #scheduled = false;

  constructor(write: (events: EventToStore[]) => Promise<void>) {
    this.#write = write;
  }

  /** Resolves once the event's batch is committed. */
  add(event: EventToStore): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push(event);
      this.#waiting.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when everything queued so far is written. */
  async idle(): Promise<void> {
    while (this.#queue.length > 0 || this.#writing) {
      await (this.#writing ?? nextTurn());
    }
  }

  // The batch leaves on the next turn (setImmediate runs after I/O): the calls read
  // from the sockets meanwhile join it.
  #schedule(): void {
    if (this.#scheduled || this.#writing) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send(): void {
    if (this.#queue.length === 0) return;
    const events = this.#queue;
    const waiting = this.#waiting;
    this.#queue = [];
    this.#waiting = [];
    // Settles either way (the callers get the failure), so idle() and the next batch never see a rejection.
    this.#writing = this.#write(events)
      .then(
        () => waiting.forEach((w) => w.resolve()),
        (error: unknown) => waiting.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.#writing = undefined;
        if (this.#queue.length > 0) this.#schedule();
      });
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function cloudTrailSubscriber(store: Store, defaultAccountId: string): Subscriber & { writer: GroupCommitWriter } {
  const writer = new GroupCommitWriter((events) => storeEvents(store, events));
  return {
    name: 'cloudtrail',
    durable: true,
    writer,
    receive(event: CallEvent) {
      const timeMs = event.eventTime.getTime();
      const record = toCloudTrailRecord(event, defaultAccountId, timeOrderedEventId(timeMs));
      return writer.add({ timeMs, username: usernameOf(event.principal), record });
    },
  };
}

/**
 * A random UUID whose first 48 bits are the time in ms (UUID version 7): still a GUID
 * as AWS's eventID is, and the log's index by event id grows at its end, as its time
 * indexes do, instead of at a random page per event.
 */
export function timeOrderedEventId(timeMs: number): ReturnType<typeof randomUUID> {
  const time = Math.max(0, Math.floor(timeMs)).toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}` as ReturnType<typeof randomUUID>;
}
