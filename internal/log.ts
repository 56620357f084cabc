/**
 * Log lines as Apache's log4j configurations print them, so operators' greps and the seed's WARN
 * lines match: ZooKeeper 3.8's `2026-11-25 00:39:48,449 [myid:] - WARN  [thread:Class@line] -
 * message` by default, Kafka's `[2026-12-07 23:05:30,853] INFO message (logger.name)` with
 * kafkaLayout; buffered sinks for stdout and (rolling_file.ts) files.
 *
 * @module
 */

import { type LoggerLevels, type Threshold, THRESHOLD_RANK as order } from "./logger_levels.ts";

/** The levels herd logs at. */
export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";

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
 * import { LineBuffer } from "./log.ts";
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

/**
 * Turns one event into a line. `stamp` is now in log4j's ISO8601 layout (logTimestamp), `where`
 * what the layout prints as its location (ZooKeeper's `thread:Class@line`, Kafka's logger name),
 * and `myid` the Logger's server id, which only ZooKeeper's layout prints.
 */
export type LogLayout = (
  stamp: string,
  level: Level,
  where: string,
  msg: string,
  myid: string,
) => string;

/**
 * Apache ZooKeeper 3.8's layout, `%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n`:
 * `2026-11-25 00:39:48,449 [myid:1] - WARN  [main:QuorumPeerConfig@174] - message`.
 */
export const zookeeperLayout: LogLayout = (stamp, level, where, msg, myid) =>
  `${stamp} [myid:${myid}] - ${level.padEnd(5)} [${where}] - ${msg}`;

/**
 * Apache Kafka 2.8's layout (its config/log4j.properties: `[%d] %p %m (%c)%n`), with `where` as
 * the logger name: `[2026-12-07 23:05:30,853] INFO [KafkaServer id=0] started
 * (kafka.server.KafkaServer)`. The level is not padded.
 */
export const kafkaLayout: LogLayout = (stamp, level, where, msg) =>
  `[${stamp}] ${level} ${msg} (${where})`;

let defaultLevel: Level = "INFO";
let defaultSink: LogSink = stdoutSink;

/**
 * The level and sink of every Logger created from now on without its own: how `zk-server`
 * applies ZOO_LOG4J_PROP and the `-Dzookeeper.log.*` flags once for the whole process, as
 * log4j's root logger does for Apache's.
 *
 * @example
 * ```ts
 * import { Logger, setLogDefaults } from "./log.ts";
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
export function logTimestamp(d: Date = new Date()): string {
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

/**
 * Logs in `layout` (ZooKeeper 3.8's unless told); `level` and `sink` default to those set by
 * setLogDefaults.
 *
 * @example
 * ```ts
 * import { kafkaLayout, Logger } from "./log.ts";
 * const lines: string[] = [];
 * const log = new Logger("", "INFO", (line) => lines.push(line), kafkaLayout);
 * log.info("kafka.server.KafkaServer", "[KafkaServer id=0] started");
 * // lines[0]: "[2026-12-07 23:05:30,853] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)"
 * ```
 */
export class Logger {
  /**
   * Levels per logger name (`where`), over `level` as the root's; none by default (ZooKeeper's
   * servers), when `level` alone filters.
   */
  levels: LoggerLevels | undefined = undefined;

  constructor(
    /** ZooKeeper's server id, printed by zookeeperLayout as `[myid:1]`; "" until it is known. */
    public myid = "",
    /** The root logger's level. */
    public level: Threshold = defaultLevel,
    public sink: LogSink = defaultSink,
    public layout: LogLayout = zookeeperLayout,
  ) {}

  /** `where` is what the layout prints as the place: `SyncThread:0:DataTree@301`, a logger name. */
  log(level: Level, where: string, msg: string): void {
    const min = this.levels === undefined ? this.level : this.levels.resolved(where) ?? this.level;
    if (order[level] < order[min]) return;
    this.sink(this.layout(nowStamp(), level, where, msg, this.myid), level);
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
