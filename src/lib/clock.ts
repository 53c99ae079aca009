// Bulwark's notion of time. Tests move it forward (POST /_bulwark/clock) so that
// credential expiry, key rotation and deletion windows can be exercised without
// waiting; every component reads time from here, never from Date.now() directly.

export class Clock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.#offsetMs;
  }

  /** How far Bulwark's clock runs ahead of the machine's, in milliseconds. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves time forward; time never goes back, as on AWS. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.#offsetMs += ms;
  }

  /** Restores an offset saved earlier (from the store, at start-up). */
  restore(offsetMs: number): void {
    this.#offsetMs = Math.max(0, offsetMs);
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
