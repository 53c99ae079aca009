// Where call events go. A subscriber that must not lose an event (CloudTrail) is
// durable: the call's answer waits until it has the event safely, and if it cannot take
// it, publish rejects so the call is not acknowledged. The others are told in the
// background; their failures are only logged.
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

  /** Resolves once every durable subscriber has the event; rejects if one could not take it. */
  async publish(event: CallEvent): Promise<void> {
    const durable: Promise<void>[] = [];
    for (const subscriber of this.#subscribers) {
      const delivered = Promise.resolve()
        .then(() => subscriber.receive(event))
        .catch((error) => {
          this.#logger.error('event subscriber failed', { subscriber: subscriber.name, requestId: event.requestId, error: (error as Error)?.stack ?? String(error) });
          if (subscriber.durable) throw new EventNotDelivered(subscriber.name, error);
        });
      if (subscriber.durable) durable.push(delivered);
    }
    if (durable.length > 0) await Promise.all(durable);
  }
}

/** A durable subscriber could not take an event: the call it describes must not be acknowledged. */
export class EventNotDelivered extends Error {
  constructor(subscriber: string, cause: unknown) {
    super(`the ${subscriber} subscriber could not take the event`, { cause });
  }
}
