// The durable subscriber that records every call. Writes are group-committed: while one
// transaction is being written (or the event loop is reading requests), arriving events
// queue up and go together in the next one, and each caller's answer waits for the transaction holding its event. Under load
// this turns N calls into a handful of commits (one fsync each) instead of N.
// It is subscribed only with --cloudtrail-recording on (BULWARK_CLOUDTRAIL_RECORDING).
import type { CallEvent } from '../../events/call-event.ts';
import type { Subscriber } from '../../events/bus.ts';
import type { Store } from '../../store/store.ts';
import { storeEvents, type EventToStore } from './event-store.ts';
import { toCloudTrailRecord, usernameOf } from './record.ts';

interface Waiting {
  event: EventToStore;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Batches writes: one in flight at a time, the rest wait for the next. */
export class GroupCommitWriter {
  readonly #write: (events: EventToStore[]) => Promise<void>;
  #queue: Waiting[] = [];
  #inFlight: Promise<void> | undefined;

  constructor(write: (events: EventToStore[]) => Promise<void>) {
    this.#write = write;
  }

  /** Resolves once the event's batch is committed. */
  add(event: EventToStore): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ event, resolve, reject });
      this.#inFlight ??= this.#drain();
    });
  }

  /** Resolves when everything queued so far is written. */
  async idle(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  async #drain(): Promise<void> {
    // Before each batch, let the event loop read what has arrived (setImmediate runs
    // after I/O): those calls' events join the batch. An SQLite commit is synchronous,
    // so without this turn a batch would only ever hold one tick's worth of events.
    for (;;) {
      await nextTurn();
      if (this.#queue.length === 0) break;
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#write(batch.map((w) => w.event));
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.#inFlight = undefined;
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
      const record = toCloudTrailRecord(event, defaultAccountId);
      return writer.add({ timeMs: event.eventTime.getTime(), username: usernameOf(event.principal), record });
    },
  };
}
