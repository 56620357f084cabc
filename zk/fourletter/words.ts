/**
 * The four-letter words Apache ZooKeeper 3.8 answers on the client port: the dispatcher, the
 * whitelist check and Apache's packet accounting. Each word lives in a themed file.
 */
import type { ServerView } from "../server/view.ts";
import type { Caller } from "./_caller.ts";
import { cons, crst, srst, srvr, stat } from "./stats_words.ts";
import { conf, dirs, gtmk, hash, isro, ruok, stmk } from "./server_words.ts";
import { dump } from "./session_words.ts";
import { wchc, wchp, wchs } from "./watch_words.ts";
import { envi } from "./environment.ts";
import { mntr } from "./monitor.ts";

export type { Caller } from "./_caller.ts";

/** A four-letter word: the reply text for a view of the server and the asking connection. */
export type Word = (v: ServerView, caller?: Caller) => string;

const WORDS = new Map<string, Word>(Object.entries({
  conf,
  cons,
  crst,
  dirs,
  dump,
  envi: (v) => envi(v.version),
  gtmk,
  hash,
  isro,
  mntr,
  ruok,
  srst,
  srvr,
  stat,
  stmk,
  wchc,
  wchp,
  wchs,
}));

/** Every word Apache knows (so an unlisted known word gets the whitelist message). */
export const FOUR_LETTER_WORDS: ReadonlySet<string> = new Set(WORDS.keys());

const byCode = new Map<number, string>();
for (const w of FOUR_LETTER_WORDS) {
  byCode.set(
    (w.charCodeAt(0) << 24) | (w.charCodeAt(1) << 16) | (w.charCodeAt(2) << 8) | w.charCodeAt(3),
    w,
  );
}

/**
 * The word whose ASCII bytes, read as a big-endian int, are `code`; null if none.
 *
 * @example
 * ```ts
 * fourLetterCode(0x72756f6b); // "ruok"
 * ```
 */
export function fourLetterCode(code: number): string | null {
  return byCode.get(code) ?? null;
}

/** Whether the whitelist lets `word` run; `srvr` always runs, since zkServer.sh status needs it. */
export function isWordEnabled(whitelist: ReadonlySet<string> | "*", word: string): boolean {
  return word === "srvr" || whitelist === "*" || whitelist.has(word);
}

/**
 * How many packets Apache counts for a reply: its writer sends in chunks of 8192 characters
 * (a BufferedWriter over a writer that flushes each full buffer), one packet each.
 */
export function replyPackets(reply: string): number {
  return Math.ceil(reply.length / 8192);
}

/**
 * Runs a word, or answers Apache's whitelist rejection. Like Apache, counts the word as a packet
 * received before it runs (so `stat` shows its own connection with `recved=1`) and the reply's
 * chunks as packets sent.
 *
 * @example
 * ```ts
 * runFourLetterWord("ruok", view); // "imok"
 * runFourLetterWord("dump", viewWithWhitelist); // "dump is not executed because it is not in the whitelist.\n"
 * ```
 */
export function runFourLetterWord(word: string, v: ServerView, caller?: Caller): string {
  v.countFourLetterPackets(caller, 1, 0);
  const fn = WORDS.get(word);
  const reply = fn && isWordEnabled(v.fourLetterWhitelist, word)
    ? fn(v, caller)
    : `${word} is not executed because it is not in the whitelist.\n`;
  v.countFourLetterPackets(caller, 0, replyPackets(reply));
  return reply;
}
