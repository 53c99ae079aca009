// Structured logging: one JSON object per line on stdout, filtered by level.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export class Logger {
  readonly level: LogLevel;
  readonly #threshold: number;
  readonly #write: (line: string) => void;

  constructor(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)) {
    this.level = level;
    this.#threshold = rank[level];
    this.#write = write;
  }

  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return rank[level] >= this.#threshold;
  }

  log(level: Exclude<LogLevel, 'silent'>, msg: string, fields: Record<string, unknown> = {}): void {
    if (rank[level] < this.#threshold) return;
    this.#write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
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
