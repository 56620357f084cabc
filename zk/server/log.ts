/**
 * Log lines in Apache ZooKeeper 3.8's log4j layout, so operators' greps and the seed's WARN lines
 * match: `2026-11-25 00:39:48,449 [myid:] - WARN  [thread:Class@line] - message`.
 */
export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";

const order: Record<Level, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

export interface LogSink {
  (line: string): void;
}

// Lines wait here as UTF-8, not as strings: joining a turn's lines into one string for
// console.log made strings that survived scavenges (the largest share of what session churn
// promoted), and console.log adds its own work per call.
const encoder = new TextEncoder();
let out = new Uint8Array(64 * 1024);
let outLen = 0;
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/** Writes the lines `stdoutSink` holds. Runs on its own shortly after they are logged, and at exit. */
export function flushLog(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  let off = 0;
  try {
    while (off < outLen) off += Deno.stdout.writeSync(out.subarray(off, outLen));
  } catch { /* stdout closed: the lines have nowhere to go */ }
  outLen = 0;
}

globalThis.addEventListener("unload", flushLog);

/**
 * The default sink: stdout, with the lines logged in one turn of the event loop written together.
 * A busy server logs a line or two per session; a write per line cost ~15% of session churn.
 */
export const stdoutSink: LogSink = (line) => {
  // Up to 3 bytes per UTF-16 unit, and the newline.
  const most = line.length * 3 + 1;
  if (outLen + most > out.length) {
    flushLog();
    if (most > out.length) out = new Uint8Array(most);
  }
  outLen += encoder.encodeInto(line, out.subarray(outLen)).written;
  out[outLen++] = 0x0a;
  flushTimer ??= setTimeout(flushLog, 0);
};

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Local-time timestamp as log4j's ISO8601 layout prints it. */
export function logTimestamp(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${
    pad(d.getMinutes())
  }:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

let stampMs = -1;
let stamp = "";

/** logTimestamp() of now, formatted once per millisecond however many lines it is on. */
function nowStamp(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stamp = logTimestamp(new Date(now));
  }
  return stamp;
}

export class Logger {
  constructor(
    public myid = "",
    public level: Level = "INFO",
    public sink: LogSink = stdoutSink,
  ) {}

  /** `where` is Apache's `thread:Class@line`, e.g. `SyncThread:0:DataTree@301`. */
  log(level: Level, where: string, msg: string): void {
    if (order[level] < order[this.level]) return;
    this.sink(`${nowStamp()} [myid:${this.myid}] - ${level.padEnd(5)} [${where}] - ${msg}`);
  }
  info(where: string, msg: string): void {
    this.log("INFO", where, msg);
  }
  warn(where: string, msg: string): void {
    this.log("WARN", where, msg);
  }
  error(where: string, msg: string): void {
    this.log("ERROR", where, msg);
  }
}
