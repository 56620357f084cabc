/**
 * Log lines in Apache ZooKeeper 3.8's log4j layout, so operators' greps and the seed's WARN lines
 * match: `2026-11-25 00:39:48,449 [myid:] - WARN  [thread:Class@line] - message`.
 */
export type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";

const order: Record<Level, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

export interface LogSink {
  (line: string): void;
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

export class Logger {
  constructor(
    public myid = "",
    public level: Level = "INFO",
    public sink: LogSink = (line) => console.log(line),
  ) {}

  /** `where` is Apache's `thread:Class@line`, e.g. `SyncThread:0:DataTree@301`. */
  log(level: Level, where: string, msg: string): void {
    if (order[level] < order[this.level]) return;
    this.sink(`${logTimestamp()} [myid:${this.myid}] - ${level.padEnd(5)} [${where}] - ${msg}`);
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
