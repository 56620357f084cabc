/**
 * The results table (herd, Apache, herd/Apache) for the terminal and for BENCHMARKS.md, and the
 * description of the machine it was measured on.
 */
import { javaVersion, type TargetName } from "./targets.ts";

/** One row: a measured quantity for each server that ran. */
export interface Row {
  figure: string;
  unit: string;
  /** Whether a larger number is the better one (throughput) or a smaller one (latency, memory). */
  higherIsBetter: boolean;
  values: Partial<Record<TargetName, number>>;
}

/** Collects rows in the order they were measured, merging the two servers' values. */
export class Results {
  readonly rows: Row[] = [];

  /**
   * Records `value` for `target` on the row named `figure` in `unit`; when a figure is measured in several
   * rounds the best value is kept (the round least disturbed by anything else on the machine).
   */
  add(target: TargetName, figure: string, unit: string, higherIsBetter: boolean, value: number) {
    let row = this.rows.find((r) => r.figure === figure && r.unit === unit);
    if (!row) {
      row = { figure, unit, higherIsBetter, values: {} };
      this.rows.push(row);
    }
    const old = row.values[target];
    const better = old === undefined || Number.isNaN(old) ||
      (higherIsBetter ? value > old : value < old);
    if (better) row.values[target] = value;
  }
}

function fmt(v: number | undefined, unit: string): string {
  if (v === undefined) return "–";
  if (Number.isNaN(v)) return "n/a"; // measured, but the server could not do it (see the notes)
  if (unit === "ms") return v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0);
  if (unit === "s") return v < 10 ? v.toFixed(2) : v.toFixed(1);
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString("en-US");
  return v.toFixed(1);
}

/** Ratio and who is ahead, from herd's side. */
function compare(row: Row): [string, string] {
  const h = row.values.herd;
  const a = row.values.apache;
  if (h === undefined || a === undefined || !(a > 0) || Number.isNaN(h)) return ["–", ""];
  const ratio = h / a;
  const ahead = row.higherIsBetter ? h >= a : h <= a;
  return [`${ratio.toFixed(2)}×`, ahead ? "herd ahead" : "herd behind"];
}

/** A Markdown table with its columns padded, `right[i]` aligning column i to the right. */
export function gridTable(head: string[], body: string[][], right: boolean[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    `| ${
      cells.map((c, i) => right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join(" | ")
    } |`;
  const rule = `|${
    widths.map((w, i) => right[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2)).join("|")
  }|`;
  return [line(head), rule, ...body.map(line)].join("\n");
}

/** The table as Markdown (it reads fine in a terminal too); `apache` heads Apache's column. */
export function markdownTable(results: Results, apache = "Apache 3.8.0"): string {
  const head = ["Figure", "Unit", "herd", apache, "herd/Apache", ""];
  const body = results.rows.map((r) => {
    const [ratio, verdict] = compare(r);
    return [
      r.figure,
      r.unit,
      fmt(r.values.herd, r.unit),
      fmt(r.values.apache, r.unit),
      ratio,
      verdict,
    ];
  });
  return gridTable(head, body, [false, false, true, true, true, false]);
}

/** Rows where herd is behind, as short phrases. */
export function herdBehind(results: Results): string[] {
  return results.rows.filter((r) => compare(r)[1] === "herd behind").map((r) =>
    `${r.figure} (${fmt(r.values.herd, r.unit)} vs ${fmt(r.values.apache, r.unit)} ${r.unit})`
  );
}

async function firstMatch(file: string, re: RegExp): Promise<string | undefined> {
  try {
    return re.exec(await Deno.readTextFile(file))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** nproc, CPU model, memory, kernel, Deno and Java versions, load average and the date. */
export async function machineLine(): Promise<string> {
  const cpu = await firstMatch("/proc/cpuinfo", /model name\s*:\s*(.*)/) ?? "unknown CPU";
  const memKb = Number(await firstMatch("/proc/meminfo", /MemTotal:\s*(\d+) kB/) ?? NaN);
  const kernel = await firstMatch("/proc/sys/kernel/osrelease", /(.*)/) ?? Deno.osRelease();
  const load = await firstMatch("/proc/loadavg", /^(\S+ \S+ \S+)/) ?? "?";
  const java = (await javaVersion()) ?? "no Java";
  return [
    `${navigator.hardwareConcurrency} cores (nproc)`,
    cpu,
    `${(memKb / 1024 / 1024).toFixed(1)} GiB RAM`,
    `Linux ${kernel}`,
    `Deno ${Deno.version.deno}`,
    java,
    `load average ${load} at start`,
    new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  ].join(" · ");
}

/** BENCHMARKS.md's ZooKeeper section: how it was run, the machine, the table and the notes. */
export function zookeeperSection(opts: {
  machine: string;
  command: string;
  table: string;
  notes: string[];
}): string {
  return `## ZooKeeper: herd vs Apache ZooKeeper 3.8.0

**Machine:** ${opts.machine}

**Command:** \`${opts.command}\`

Both servers run one after the other on this machine from the same zoo.cfg, each in a fresh temp
dataDir: \`tickTime=2000\`, \`clientPortAddress=127.0.0.1\`, \`maxClientCnxns=0\`,
\`admin.enableServer=false\`, \`4lw.commands.whitelist=*\`, forceSync left on (an fsync per group
commit). herd is
\`deno run -A --v8-flags=--no-allocation-site-pretenuring tools/zk-server/main.ts start-foreground zoo.cfg\`
(tools/zk-server/v8_flags.ts); Apache is
\`java -Xmx2g … org.apache.zookeeper.server.ZooKeeperServerMain zoo.cfg\` (Debian's package, no
slf4j binding, so it logs nothing). The load generator speaks the wire protocol itself over
loopback from a separate Deno process: C sessions × K requests in flight, refilled as replies
arrive, each refill one socket write, replies parsed in place. Latency is per request, from the
write of its batch to the read that brought its reply; at 16×64 it is mostly queueing. Session
churn is P loops that each connect, create a session, close it and wait for the server to close
the socket; its latency is that whole cycle, and herd logs its two INFO lines per session (to
/dev/null here) where Apache, without a binding, formats none.

The toolkit figures print one generated dataDir (bench/toolkit_data.ts: a snapshot of ~200k znodes
with 100 bytes of data each, a txn log of ~100k txns) with herd's \`zk-snapshot\` / \`zk-txnlog\`
(\`deno run --allow-read …\`) and Apache's SnapshotFormatter / TxnLogToolkit (\`java -cp …\`, what
zkSnapshotToolkit.sh and zkTxnLogToolkit.sh run), stdout into a file; the time is the whole
process, start-up included, and both outputs are compared byte for byte afterwards.

${opts.table}

${opts.notes.map((n) => `- ${n}`).join("\n")}
`;
}

const TITLE = `# Benchmarks: herd vs Apache ZooKeeper 3.8.0 and Apache Kafka 2.8.2

Written by \`deno task bench\` (bench/main.ts); rerun it to refresh this file. A run of only some
figure groups (\`--groups=kafka\`) rewrites only the sections it measured whole.
`;

/** Which part of BENCHMARKS.md. */
export type Section = "zookeeper" | "kafka";

/**
 * `doc` (BENCHMARKS.md as it was) with `section` replaced by `body`, between the comment markers
 * that delimit it; appended when the section is not there yet, and the title made current.
 */
export function replaceSection(doc: string, section: Section, body: string): string {
  const open = `<!-- bench:${section} -->`;
  const close = `<!-- /bench:${section} -->`;
  const block = `${open}\n\n${body.trim()}\n\n${close}`;
  const first = doc.indexOf("<!-- bench:");
  let rest = first < 0 ? "" : doc.slice(first);
  const a = rest.indexOf(open);
  const b = rest.indexOf(close);
  rest = a >= 0 && b > a
    ? rest.slice(0, a) + block + rest.slice(b + close.length)
    : `${rest.trimEnd()}\n\n${block}`;
  return `${TITLE}\n${rest.trim()}\n`;
}

const HZ = 100; // USER_HZ, the unit of /proc/*/stat times on Linux

async function processTicks(pid: number | "self"): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]); // utime, stime
  } catch {
    return 0;
  }
}

async function machineTicks(): Promise<number> {
  const f = (await Deno.readTextFile("/proc/stat")).split("\n")[0].trim().split(/\s+/).slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy
  return f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3] - f[4];
}

/** Average cores used while a server was benched: by it, by this process, by everything else. */
export interface CpuShare {
  server: number;
  generator: number;
  others: number;
}

/**
 * Measures CPU use between `start` and `stop` from /proc, so a run on a busy machine says so.
 *
 * @example
 * ```ts
 * const m = await CpuMeter.start(pid);
 * // … run figures …
 * const share = await m.stop(); // { server: 0.9, generator: 0.3, others: 0.1 }
 * ```
 */
export class CpuMeter {
  private constructor(
    private readonly pid: number,
    private readonly t0: number,
    private readonly server0: number,
    private readonly self0: number,
    private readonly machine0: number,
  ) {}

  /** Starts measuring; `pid` is the server's. */
  static async start(pid: number): Promise<CpuMeter> {
    return new CpuMeter(
      pid,
      performance.now(),
      await processTicks(pid),
      await processTicks("self"),
      await machineTicks(),
    );
  }

  /** Average cores used since `start`. */
  async stop(): Promise<CpuShare> {
    const secs = (performance.now() - this.t0) / 1000;
    const server = (await processTicks(this.pid) - this.server0) / HZ / secs;
    const generator = (await processTicks("self") - this.self0) / HZ / secs;
    const machine = (await machineTicks() - this.machine0) / HZ / secs;
    return { server, generator, others: Math.max(0, machine - server - generator) };
  }
}
