/**
 * The four-letter words Apache ZooKeeper 3.8 answers on the client port, and the whitelist check.
 */
import type { ServerView } from "../server/view.ts";

type Word = (v: ServerView, caller?: unknown) => string;

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

function srvr(v: ServerView, withClients: boolean): string {
  const st = v.stats();
  let out = `Zookeeper version: ${v.version}\n`;
  if (withClients) {
    out += "Clients:\n";
    for (const c of v.connections()) {
      out +=
        ` ${c.remote}[1](queued=${c.queued},recved=${c.packetsReceived},sent=${c.packetsSent})\n`;
    }
    out += "\n";
  }
  out += `Latency min/avg/max: ${st.minLatency}/${fmtAvg(st.avgLatency)}/${st.maxLatency}\n`;
  out += `Received: ${st.packetsReceived}\nSent: ${st.packetsSent}\n`;
  out += `Connections: ${v.connections().length}\nOutstanding: ${st.outstanding}\n`;
  out += `Zxid: ${hex(v.lastZxid())}\nMode: ${v.mode}\nNode count: ${v.nodeCount()}\n`;
  return out;
}

/** Java prints a double: 0.0, 1.4393 (four decimals, trailing zeros dropped). */
export function fmtAvg(x: number): string {
  const r = Math.round(x * 10000) / 10000;
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

const words: Record<string, Word> = {
  ruok: () => "imok",
  srvr: (v) => srvr(v, false),
  stat: (v) => srvr(v, true),
  isro: () => "rw",
};

/** Every word Apache knows (so an unlisted known word gets the whitelist message). */
export const FOUR_LETTER_WORDS = new Set([
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

const byCode = new Map<number, string>();
for (const w of FOUR_LETTER_WORDS) {
  byCode.set(
    (w.charCodeAt(0) << 24) | (w.charCodeAt(1) << 16) | (w.charCodeAt(2) << 8) | w.charCodeAt(3),
    w,
  );
}

/** The word whose ASCII bytes, read as a big-endian int, are `code`; null if none. */
export function fourLetterCode(code: number): string | null {
  return byCode.get(code) ?? null;
}

/** Runs a word, or answers Apache's whitelist rejection. */
export function runFourLetterWord(word: string, v: ServerView, caller?: unknown): string {
  const wl = v.fourLetterWhitelist;
  if (wl !== "*" && !wl.has(word)) {
    return `${word} is not executed because it is not in the whitelist.\n`;
  }
  const fn = words[word];
  if (!fn) return `${word} is not executed because it is not in the whitelist.\n`;
  return fn(v, caller);
}
