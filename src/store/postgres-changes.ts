// Change notices between the nodes on one database, with LISTEN/NOTIFY: one dedicated
// connection per store listens on the schema's channel; a notice's payload is its
// topic. NOTIFY is delivered when its transaction commits, to every listening
// connection, the sender's own included.
//
// If the listening connection drops, notices sent meanwhile are lost; so after it
// reconnects every listener is called once, as if each topic had changed.
import pg from 'pg';
import { quoteIdentifier } from './postgres-schema.ts';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;
/** PostgreSQL refuses payloads of 8000 bytes or more. */
const MAX_TOPIC_BYTES = 1000;

export function changeChannel(schema: string): string {
  return `bulwark_changes.${schema}`;
}

export function checkTopic(topic: unknown): string {
  if (typeof topic !== 'string' || topic === '') throw new TypeError('a change topic must be a non-empty string');
  if (Buffer.byteLength(topic) > MAX_TOPIC_BYTES || topic.includes('\0') || !topic.isWellFormed()) {
    throw new RangeError(`a change topic must be well-formed text without NUL, at most ${MAX_TOPIC_BYTES} bytes`);
  }
  return topic;
}

export class ChangeFeed {
  readonly #config: pg.ClientConfig;
  readonly #channel: string;
  readonly #listeners = new Map<string, Set<() => void>>();
  #client: pg.Client | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(config: pg.ClientConfig, channel: string) {
    this.#config = config;
    this.#channel = channel;
  }

  /** Resolves once the channel is listened to, so no notice sent after it is missed. */
  static async open(config: pg.ClientConfig, channel: string): Promise<ChangeFeed> {
    const feed = new ChangeFeed(config, channel);
    await feed.#connect();
    return feed;
  }

  on(topic: string, listener: () => void): () => void {
    checkTopic(topic);
    let set = this.#listeners.get(topic);
    if (!set) this.#listeners.set(topic, (set = new Set()));
    const entry = () => listener(); // its own identity, so one listener can subscribe twice
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#listeners.get(topic) === set) this.#listeners.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#listeners.clear();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#config);
    // A broken connection reports 'error' and then 'end'; 'end' is where we recover.
    client.on('error', () => {});
    client.on('notification', ({ channel, payload }) => {
      if (channel === this.#channel && payload) this.#emit(this.#listeners.get(payload));
    });
    client.on('end', () => {
      if (this.#client === client) this.#client = undefined;
      if (!this.#closed) this.#retry(FIRST_RETRY_MS);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(this.#channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
  }

  #retry(delay: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#connect().then(
        () => {
          // Whatever changed while we were not listening is unknown: say everything did.
          for (const set of this.#listeners.values()) this.#emit(set);
        },
        () => {
          if (!this.#closed) this.#retry(Math.min(delay * 2, LAST_RETRY_MS));
        },
      );
    }, delay);
    this.#retryTimer.unref();
  }

  #emit(listeners: Set<() => void> | undefined): void {
    for (const listener of [...(listeners ?? [])]) {
      try {
        listener();
      } catch (error) {
        // A listener's failure must not stop the others, nor the feed.
        process.emitWarning(`a store change listener threw: ${(error as Error)?.stack ?? error}`);
      }
    }
  }
}
