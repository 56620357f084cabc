/**
 * How a server that cannot start, or must stop, says so: one log line in Apache 3.8's layout, at
 * the class@line Apache logs it from, and the exit code Apache's ZooKeeperServerMain uses (its
 * ExitCode), never a runtime stack trace.
 *
 * @module
 */
import { ConfigError } from "../../zk/config/mod.ts";
import { DataDirError, RecoveryError } from "../../zk/persist/recovery.ts";
import type { Logger } from "../../internal/log.ts";

/** The AdminServer asked for cannot start (its port taken, say). */
export class AdminServerError extends Error {
  override name = "AdminServerError";
}

/** What to log and how to exit for an error that ends the server. */
export interface Failure {
  /** Apache's thread:Class@line for the line (ZooKeeperServerMain.main's catch blocks, 3.8.0). */
  where: string;
  message: string;
  /** Apache's ExitCode: 1 unexpected error, 2 invalid config, 3 datadir, 4 AdminServer. */
  code: number;
}

const MAIN = "main:ZooKeeperServerMain";

/**
 * The line and exit code for `e`.
 *
 * @example
 * ```ts
 * describeFailure(new Error("boom")).code; // 1
 * ```
 */
export function describeFailure(e: unknown): Failure {
  const text = e instanceof Error ? e.message : String(e);
  if (e instanceof ConfigError) {
    return { where: `${MAIN}@76`, message: `Invalid config, exiting abnormally: ${text}`, code: 2 };
  }
  if (e instanceof DataDirError) {
    const message = `Unable to access datadir, exiting abnormally: ${text}`;
    return { where: `${MAIN}@81`, message, code: 3 };
  }
  if (e instanceof AdminServerError) {
    const message = `Unable to start AdminServer, exiting abnormally: ${text}`;
    return { where: `${MAIN}@86`, message, code: 4 };
  }
  // Apache's damaged-dataDir IOException ends here too ("CRC check failed"), exit 1.
  const why = e instanceof RecoveryError ? `Unable to load database on disk: ${text}` : text;
  return {
    where: `${MAIN}@91`,
    message: `Unexpected exception, exiting abnormally: ${why}`,
    code: 1,
  };
}

/** Logs the failure's one line (and, for a bad config, tells stderr as Apache does); its code. */
export function reportFailure(log: Logger, e: unknown): number {
  const f = describeFailure(e);
  log.error(f.where, f.message);
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
