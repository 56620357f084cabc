/**
 * How a server that cannot start, or must stop, says so: one log line in Apache 3.8's layout and
 * the exit code Apache's ZooKeeperServerMain uses (its ExitCode), never a runtime stack trace.
 *
 * @module
 */
import { ConfigError } from "../../zk/config/mod.ts";
import { DataDirError, RecoveryError } from "../../zk/persist/recovery.ts";
import type { Logger } from "../../zk/server/log.ts";

/** What to log and how to exit for an error that ends the server. */
export interface Failure {
  message: string;
  /** Apache's ExitCode: 1 unexpected error, 2 invalid invocation (config), 3 datadir. */
  code: number;
}

/**
 * The line and exit code for `e`.
 *
 * @example
 * ```ts
 * describeFailure(new Error("boom")); // { message: "Unexpected exception, exiting abnormally: boom", code: 1 }
 * ```
 */
export function describeFailure(e: unknown): Failure {
  const text = e instanceof Error ? e.message : String(e);
  if (e instanceof ConfigError) {
    return { message: `Invalid config, exiting abnormally: ${text}`, code: 2 };
  }
  if (e instanceof DataDirError) {
    return { message: `Unable to access datadir, exiting abnormally: ${text}`, code: 3 };
  }
  if (e instanceof RecoveryError) {
    return { message: `Unable to load database on disk, exiting abnormally: ${text}`, code: 1 };
  }
  return { message: `Unexpected exception, exiting abnormally: ${text}`, code: 1 };
}

const WHERE = "main:ZooKeeperServerMain";

/** Logs the failure's one line (and, for a bad config, tells stderr as Apache does); its code. */
export function reportFailure(log: Logger, e: unknown): number {
  const f = describeFailure(e);
  log.error(WHERE, f.message);
  if (e instanceof ConfigError) console.error(f.message);
  return f.code;
}

/**
 * From here on an error nobody caught (a rejected promise, a throw in a timer) ends the process
 * the same way: one ERROR line and exit 1, instead of Deno's "Uncaught" trace.
 */
export function exitOnUncaught(log: Logger): void {
  const fail = (ev: Event, e: unknown) => {
    ev.preventDefault();
    Deno.exit(reportFailure(log, e));
  };
  globalThis.addEventListener("unhandledrejection", (ev) => fail(ev, ev.reason));
  globalThis.addEventListener("error", (ev) => fail(ev, ev.error));
}
