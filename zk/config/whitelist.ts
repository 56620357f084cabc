/** The four-letter words Apache ZooKeeper 3.8 answers, when whitelisted. */
export const FOUR_LETTER_WORDS: ReadonlySet<string> = new Set([
  "conf",
  "cons",
  "crst",
  "dirs",
  "dump",
  "envi",
  "gtmk",
  "hash",
  "isro",
  "mntr",
  "ruok",
  "srst",
  "srvr",
  "stat",
  "stmk",
  "wchc",
  "wchp",
  "wchs",
]);

/** `4lw.commands.whitelist`: the set of enabled words, or `"*"` for every word. */
export type FourLetterWordsWhitelist = ReadonlySet<string> | "*";

/** A parsed whitelist, and the listed words ZooKeeper does not know (likely typos). */
export interface ParsedWhitelist {
  whitelist: FourLetterWordsWhitelist;
  unknown: string[];
}

/**
 * Parses `zookeeper.4lw.commands.whitelist` as Apache 3.8 does: comma-separated words, each
 * trimmed, empty ones skipped, a `*` anywhere enables every word. `srvr` is always enabled
 * (zkServer.sh status needs it), and `isro` too under `-Dreadonlymode.enabled=true`. Unset, only
 * `srvr` is enabled. Words are case-sensitive, as in Apache.
 *
 * @example
 * ```ts
 * import { parseFourLetterWordsWhitelist } from "./mod.ts";
 * const { whitelist } = parseFourLetterWordsWhitelist("stat, ruok, conf, isro");
 * // Set { "stat", "ruok", "conf", "isro", "srvr" }
 * parseFourLetterWordsWhitelist("*").whitelist; // "*"
 * ```
 */
export function parseFourLetterWordsWhitelist(
  value: string | undefined,
  readOnlyModeEnabled = false,
): ParsedWhitelist {
  const words = new Set<string>();
  const unknown: string[] = [];
  for (const raw of value?.split(",") ?? []) {
    const word = raw.trim();
    if (word === "*") return { whitelist: "*", unknown: [] };
    if (word === "") continue;
    words.add(word);
    if (!FOUR_LETTER_WORDS.has(word)) unknown.push(word);
  }
  if (readOnlyModeEnabled) words.add("isro");
  words.add("srvr");
  return { whitelist: words, unknown };
}

/**
 * Whether the whitelist lets `word` run.
 *
 * @example
 * ```ts
 * import { isFourLetterWordAllowed } from "./mod.ts";
 * isFourLetterWordAllowed(new Set(["srvr"]), "dump"); // false
 * isFourLetterWordAllowed("*", "dump"); // true
 * ```
 */
export function isFourLetterWordAllowed(
  whitelist: FourLetterWordsWhitelist,
  word: string,
): boolean {
  return whitelist === "*" ? FOUR_LETTER_WORDS.has(word) : whitelist.has(word);
}
