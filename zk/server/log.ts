/**
 * Log lines in Apache ZooKeeper 3.8's log4j layout, so operators' greps and the seed's WARN lines
 * match: `2026-11-25 00:39:48,449 [myid:] - WARN  [thread:Class@line] - message`.
 */
export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";

const order: Record<Level, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

/** Where a Logger's lines go; `level` lets a sink filter per appender, as log4j's thresholds do. */
export interface LogSink {
  (line: string, level: Level): void;
}

// Lines wait here as UTF-8, not as strings: joining a turn's lines into one string for
// console.log made strings that survived scavenges (the largest share of what session churn
// promoted), and console.log adds its own work per call.
const encoder = new TextEncoder();
const buffers = new Set<LineBuffer>();

/**
 * Lines as UTF-8 in one reused buffer, handed to `target` together shortly after they are added
 * (or sooner, when the buffer fills or the owner calls flush). A busy server logs a line or two per
 * session; a write per line cost ~15% of session churn.
 *
 * @example
 * ```ts
 * const seen: string[] = [];
 * const buf = new LineBuffer((bytes) => seen.push(new TextDecoder().decode(bytes)));
 * buf.add("one");
 * buf.add("two");
 * buf.flush(); // seen: ["one\ntwo\n"]
 * ```
 */
export class LineBuffer {
  #out = new Uint8Array(64 * 1024);
  #len = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #flush = () => this.flush();

  /** `target` must take all the bytes it is given, or drop them; it is called synchronously. */
  constructor(private readonly target: (bytes: Uint8Array) => void) {
    buffers.add(this);
  }

  /** Adds `line` and a newline; returns how many bytes that took. */
  add(line: string): number {
    // Up to 3 bytes per UTF-16 unit, and the newline.
    const most = line.length * 3 + 1;
    if (this.#len + most > this.#out.length) {
      this.flush();
      if (most > this.#out.length) this.#out = new Uint8Array(most);
    }
    const start = this.#len;
    this.#len += encoder.encodeInto(line, this.#out.subarray(this.#len)).written;
    this.#out[this.#len++] = 0x0a;
    this.#timer ??= setTimeout(this.#flush, 0);
    return this.#len - start;
  }

  /** Hands what is buffered to the target now. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#len === 0) return;
    const len = this.#len;
    this.#len = 0;
    this.target(this.#out.subarray(0, len));
  }

  /** Flushes, and stops being flushed at exit. */
  close(): void {
    this.flush();
    buffers.delete(this);
  }
}

const stdout = new LineBuffer((bytes) => {
  let off = 0;
  try {
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  } catch { /* stdout closed: the lines have nowhere to go */ }
});

/** Writes every line logged so far. Runs on its own shortly after they are logged, and at exit. */
export function flushLog(): void {
  for (const b of buffers) b.flush();
}

globalThis.addEventListener("unload", flushLog);

/** The default sink, log4j's CONSOLE appender: stdout, a turn's lines written together. */
export const stdoutSink: LogSink = (line) => void stdout.add(line);

let defaultLevel: Level = "INFO";
let defaultSink: LogSink = stdoutSink;

/**
 * The level and sink of every Logger created from now on without its own: how `zk-server`
 * applies ZOO_LOG4J_PROP and the `-Dzookeeper.log.*` flags once for the whole process, as
 * log4j's root logger does for Apache's.
 *
 * @example
 * ```ts
 * setLogDefaults("WARN", (line) => console.error(line));
 * new Logger().info("main:Test", "dropped"); // below WARN
 * ```
 */
export function setLogDefaults(level: Level, sink: LogSink): void {
  defaultLevel = level;
  defaultSink = sink;
}

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

/** Logs in Apache 3.8's layout; `level` and `sink` default to those set by setLogDefaults. */
export class Logger {
  constructor(
    public myid = "",
    public level: Level = defaultLevel,
    public sink: LogSink = defaultSink,
  ) {}

  /** `where` is Apache's `thread:Class@line`, e.g. `SyncThread:0:DataTree@301`. */
  log(level: Level, where: string, msg: string): void {
    if (order[level] < order[this.level]) return;
    this.sink(`${nowStamp()} [myid:${this.myid}] - ${level.padEnd(5)} [${where}] - ${msg}`, level);
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
