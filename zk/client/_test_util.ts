/** Test helpers: collecting watcher events and waiting for them with a timeout. */
import assert from "node:assert/strict";
import { ZkError } from "../jute/mod.ts";
import type { WatchedEvent, Watcher } from "./types.ts";

/** A watcher that records events so a test can await them in order. */
export class EventLog {
  readonly events: WatchedEvent[] = [];
  #waiters: Array<() => void> = [];
  /** Pass this as the watcher. */
  readonly watcher: Watcher = (e) => {
    this.events.push(e);
    for (const w of this.#waiters.splice(0)) w();
  };

  /** Waits until an event matching `pred` has been recorded; returns it. */
  async waitFor(
    pred: (e: WatchedEvent) => boolean,
    timeoutMs = 10000,
  ): Promise<WatchedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no matching event within ${timeoutMs}ms; got ${JSON.stringify(this.events)}`,
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  /** Types of the recorded events for `path`. */
  typesFor(path: string | null): number[] {
    return this.events.filter((e) => e.path === path).map((e) => e.type);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` until true or throws after `timeoutMs`. */
export async function eventually(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Asserts that `p` rejects with a ZkError of `code` (and `path` when given). */
export async function rejectsWith(p: Promise<unknown>, code: number, path?: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ZkError, `expected ZkError, got ${e}`);
    assert.equal(e.code, code, `expected code ${code}, got ${e.code} (${e.message})`);
    if (path !== undefined) assert.equal(e.path, path);
    return true;
  });
}
