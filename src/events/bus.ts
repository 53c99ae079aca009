// Where call events go. A subscriber that must not lose an event (CloudTrail) is
// durable: the call's answer waits until it has the event safely; the others are told
// in the background. A failing subscriber is logged and never fails the call.
import type { Logger } from '../lib/log.ts';
import type { CallEvent } from './call-event.ts';

export interface Subscriber {
  name: string;
  /** Durable subscribers are awaited before the caller gets its answer. */
  durable: boolean;
  receive(event: CallEvent): void | Promise<void>;
}

export class EventBus {
  readonly #subscribers: Subscriber[] = [];
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  subscribe(subscriber: Subscriber): void {
    this.#subscribers.push(subscriber);
  }

  /** Resolves once every durable subscriber has the event. */
  async publish(event: CallEvent): Promise<void> {
    const durable: Promise<void>[] = [];
    for (const subscriber of this.#subscribers) {
      const delivered = Promise.resolve()
        .then(() => subscriber.receive(event))
        .catch((error) =>
          this.#logger.error('event subscriber failed', { subscriber: subscriber.name, requestId: event.requestId, error: (error as Error).stack }),
        );
      if (subscriber.durable) durable.push(delivered);
    }
    if (durable.length > 0) await Promise.all(durable);
  }
}
