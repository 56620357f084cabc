/** Small server words: ruok, isro, conf, dirs, gtmk, stmk, hash (Apache 3.8.0's output). */
import type { ServerView } from "../server/view.ts";

/**
 * ZooTrace's default text trace mask (client requests, client pings and server packet traces,
 * 0b100110010). herd has no trace logging, so gtmk always reports the default.
 */
export const DEFAULT_TRACE_MASK = 306;

/** `ruok`: "imok", no newline. */
export function ruok(): string {
  return "imok";
}

/** `isro`: "rw", or "ro" in read-only mode; no newline. */
export function isro(v: ServerView): string {
  return v.mode === "read-only" ? "ro" : "rw";
}

/**
 * `conf`: one `key=value` line per setting (ZooKeeperServer.dumpConf order).
 *
 * @example
 * ```ts
 * conf(view).split("\n")[0]; // "clientPort=2181"
 * ```
 */
export function conf(v: ServerView): string {
  let out = "";
  for (const [k, val] of Object.entries(v.conf())) out += `${k}=${val}\n`;
  return out;
}

/**
 * `dirs`: Apache 3.8.0 prints the txn log directory's bytes as `datadir_size` and the snapshot
 * directory's as `logdir_size` (see ServerView.dataDirSize); herd prints the same.
 */
export function dirs(v: ServerView): string {
  return `datadir_size: ${v.dataDirSize()}\nlogdir_size: ${v.dataLogSize()}\n`;
}

/** `gtmk`: the trace mask as a decimal long, no newline. */
export function gtmk(): string {
  return String(DEFAULT_TRACE_MASK);
}

/**
 * `stmk`: Apache reads an 8-byte mask after the word and echoes it. The word reaches herd without
 * those bytes, and herd has no trace logging to set, so it answers as Apache does when the mask is
 * missing (`echo stmk | nc`): with nothing.
 */
export function stmk(): string {
  return "";
}

/**
 * `hash`: Apache prints its recent data-tree digests (`<zxid hex>: <digest>` lines). herd keeps no
 * digest log, so the list is empty, as on an Apache server with no digests recorded yet.
 */
export function hash(): string {
  return "";
}
