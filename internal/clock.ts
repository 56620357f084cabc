/**
 * Time as a value the code is given rather than a global it reads, so a test (or the simulator)
 * can set it: `systemClock` for servers, ManualClock for tests of anything that expires, retains
 * or times out (sessions, retention, group rebalances).
 *
 * @module
 */

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now() counts them. */
  now(): number;
}

/**
 * The real time (Date.now()).
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
 * const startedAt = systemClock.now();
 * ```
 */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that moves only when told: tests step it past a deadline instead of sleeping.
 *
 * @example
 * ```ts
 * import { ManualClock } from "./clock.ts";
 * const clock = new ManualClock(1_000);
 * clock.advance(30_000);
 * clock.now(); // 31000
 * ```
 */
export class ManualClock implements Clock {
  constructor(private ms = 0) {}

  now(): number {
    return this.ms;
  }

  /** Moves time forward by `ms` (never back: a clock that goes backwards breaks expiry). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`a clock cannot move by ${ms} ms`);
    this.ms += ms;
  }

  /** Sets the time, which must not be earlier than now. */
  set(ms: number): void {
    if (!(ms >= this.ms)) throw new RangeError(`a clock cannot go back from ${this.ms} to ${ms}`);
    this.ms = ms;
  }
}
