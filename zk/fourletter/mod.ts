/**
 * Four-letter words: one function per word over a read-only ServerView, shared by the client
 * port and the admin app.
 *
 * @example
 * ```ts
 * import { runFourLetterWord } from "./mod.ts";
 * const reply = runFourLetterWord("ruok", view); // "imok"
 * ```
 * @module
 */
export {
  type Caller,
  FOUR_LETTER_WORDS,
  fourLetterCode,
  isWordEnabled,
  replyPackets,
  runFourLetterWord,
  type Word,
} from "./words.ts";
export { connectionLine, cons, crst, interestOps, srst, srvr, stat } from "./stats_words.ts";
export { conf, DEFAULT_TRACE_MASK, dirs, gtmk, hash, isro, ruok, stmk } from "./server_words.ts";
export {
  dump,
  ephemeralsBySession,
  sessionExpiryMap,
  SESSIONLESS_CNXN_TIMEOUT,
} from "./session_words.ts";
export {
  watchesByPath,
  watchesByPathReport,
  watchesBySession,
  watchesBySessionReport,
  watchSummary,
  wchc,
  wchp,
  wchs,
} from "./watch_words.ts";
export { envi, environmentEntries } from "./environment.ts";
export { type ProcessInfo, processInfo } from "./process_info.ts";
export { localHostName, resolveLocalHostName } from "./host_name.ts";
export {
  type MetricKind,
  mntr,
  type MonitorEntry,
  type MonitorValue,
  monitorValues,
} from "./monitor.ts";
export { avg4, JavaDouble, javaDouble, javaHex } from "./_java_format.ts";
export { copiedCapacity, javaLongOrder, javaStringOrder } from "./_java_order.ts";
