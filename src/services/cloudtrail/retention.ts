// Event history retention: AWS keeps 90 days of events, so the event log drops what
// is older, hourly on Bulwark's clock. Tests move that clock (POST /_bulwark/clock)
// rather than wait, so a short real-time tick checks whether an hour of it has passed.
// The log's delivery outbox keeps its entries (event-store.ts): an undelivered event
// stays there until delivered, whatever the log drops.
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { Store } from '../../store/store.ts';
import { RETENTION_MS } from './lookup.ts';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

export class EventRetention {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Bulwark's time of the last prune; undefined before the first (at start). */
  #lastPrunedAt: number | undefined;

  constructor(store: Store, clock: Clock, logger: Logger) {
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** Prunes now, then whenever a tick finds an hour of Bulwark's clock gone by. */
  start(tickMs: number): void {
    this.#pruneIfDue();
    this.#timer = setInterval(() => this.#pruneIfDue(), tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  #pruneIfDue(): void {
    const now = this.#clock.nowMs();
    if (this.#running || (this.#lastPrunedAt !== undefined && now - this.#lastPrunedAt < PRUNE_EVERY_MS)) return;
    this.#lastPrunedAt = now;
    this.#running = this.prune(now)
      .catch((error) => this.#logger.error('cloudtrail event retention failed', { error: (error as Error).stack }))
      .finally(() => (this.#running = undefined));
  }

  /** Deletes the events older than 90 days before `nowMs`. */
  async prune(nowMs: number): Promise<void> {
    if (!this.#store.eventLog) return;
    const deleted = await this.#store.eventLog().deleteBefore(nowMs - RETENTION_MS);
    if (deleted > 0) this.#logger.debug('cloudtrail events past retention deleted', { deleted });
  }
}
