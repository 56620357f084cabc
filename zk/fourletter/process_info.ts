/**
 * The process facts behind mntr's file descriptor counts and `/metrics`' `process_*` series, read
 * when someone asks (never on a timer). On Linux they come from /proc/self, as the JVM's
 * UnixOperatingSystemMXBean and the Prometheus Java client read them; Deno 2 lets a program read
 * /proc/self only when it runs with --allow-all, so with narrower permissions the file descriptor
 * counts are -1 (what Apache prints where its MXBean cannot tell) and the virtual memory size is
 * unknown, while resident memory, CPU time and the start time come from Deno's own counters.
 */
import process from "node:process";

/** One reading of this process's resources; -1 where the platform or permissions do not tell. */
export interface ProcessInfo {
  /** Entries in /proc/self/fd. */
  openFileDescriptors: number;
  /** The soft `Max open files` limit (RLIMIT_NOFILE). */
  maxFileDescriptors: number;
  /** Resident set size in bytes. */
  residentMemoryBytes: number;
  /** Virtual memory size in bytes (VmSize). */
  virtualMemoryBytes: number;
  /** User plus system CPU time, in seconds. */
  cpuSeconds: number;
  /** When the process started, in seconds since the Unix epoch. */
  startTimeSeconds: number;
}

function attempt<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** `Max open files  20000  20000  files` → 20000 (the soft limit); -1 if unlimited or absent. */
export function softFileLimit(limits: string): number {
  const line = limits.split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.substring("Max open files".length).trim().split(/\s+/)[0];
  return soft && /^\d+$/.test(soft) ? Number(soft) : -1;
}

/** A `VmSize:   123456 kB` line of /proc/self/status, in bytes; -1 if absent. */
export function statusBytes(status: string, key: string): number {
  const m = new RegExp(`^${key}:\\s*(\\d+)\\s*kB`, "m").exec(status);
  return m ? Number(m[1]) * 1024 : -1;
}

/**
 * Reads this process's resources now.
 *
 * @example
 * ```ts
 * const p = processInfo();
 * p.residentMemoryBytes > 0; // true
 * ```
 */
export function processInfo(): ProcessInfo {
  const open = attempt(() => {
    let n = 0;
    for (const _ of Deno.readDirSync("/proc/self/fd")) n++;
    // The directory handle being read is one of the entries; the JVM's count excludes its own.
    return n - 1;
  }, -1);
  const max = attempt(() => softFileLimit(Deno.readTextFileSync("/proc/self/limits")), -1);
  const status = attempt(() => Deno.readTextFileSync("/proc/self/status"), "");
  const rss = statusBytes(status, "VmRSS");
  const cpu = process.cpuUsage();
  return {
    openFileDescriptors: open,
    maxFileDescriptors: max,
    residentMemoryBytes: rss > 0 ? rss : Deno.memoryUsage().rss,
    virtualMemoryBytes: statusBytes(status, "VmSize"),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    // Whole ms, as the JVM's RuntimeMXBean.getStartTime() that the Prometheus client divides.
    startTimeSeconds: Math.round(performance.timeOrigin) / 1000,
  };
}
