// Structured logging: one JSON object per line on stdout, filtered by level. Lines are
// written once per event-loop turn rather than one syscall each (stdout to a file or
// pipe is synchronous), and flushed at exit.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export class Logger {
  readonly level: LogLevel;
  readonly #threshold: number;
  readonly #write: (line: string) => void;

  readonly #pending: string[] = [];
  #flushScheduled = false;

  constructor(level: LogLevel, write: (text: string) => void = (text) => process.stdout.write(text)) {
    this.level = level;
    this.#threshold = rank[level];
    this.#write = write;
  }

  /** Writes what is buffered now (the process may be about to exit). */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending.length = 0;
    this.#write(text);
  }

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return rank[level] >= this.#threshold;
  }

  log(level: Exclude<LogLevel, 'silent'>, msg: string, fields: Record<string, unknown> = {}): void {
    if (rank[level] < this.#threshold) return;
    this.#pending.push(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields);
  }
}
