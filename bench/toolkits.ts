/**
 * The persistence toolkits side by side: herd's zk-snapshot and zk-txnlog against Apache's
 * SnapshotFormatter and TxnLogToolkit (what zkSnapshotToolkit.sh and zkTxnLogToolkit.sh run),
 * each printing the same generated snapshot and txn log into a file, as an operator would
 * (`zkSnapshotToolkit.sh snapshot.… > dump.txt`). The time is the whole process: start-up,
 * reading, printing. Both outputs are compared afterwards: a fast wrong answer is no figure.
 */
import { APACHE_JARS } from "./targets.ts";
import type { Results } from "./report.ts";
import type { TargetName } from "./targets.ts";
import { type ToolkitData, writeToolkitData } from "./toolkit_data.ts";

/** One toolkit figure: which file, and each side's command. */
interface Toolkit {
  figure: (d: ToolkitData) => string;
  file: (d: ToolkitData) => string;
  herd: string;
  apache: string;
}

const TOOLKITS: Toolkit[] = [
  {
    figure: (d) => `snapshot toolkit, ${count(d.znodes)} znodes (${mb(d.snapshot)} MB)`,
    file: (d) => d.snapshot,
    herd: "zk-snapshot",
    apache: "org.apache.zookeeper.server.SnapshotFormatter",
  },
  {
    figure: (d) => `txn log toolkit, ${count(d.txns)} txns`,
    file: (d) => d.log,
    herd: "zk-txnlog",
    apache: "org.apache.zookeeper.server.persistence.TxnLogToolkit",
  },
];

const count = (n: number) => n >= 1000 ? `${Math.round(n / 1000)}k` : `${n}`;
const mb = (path: string) => Math.round(Deno.statSync(path).size / 1e6);

/** The same zone and UTF-8 output on both sides, so the outputs can be compared byte for byte. */
const ENV = { TZ: "UTC", LC_ALL: "C.UTF-8", LANG: "C.UTF-8" };

function command(name: TargetName, tool: Toolkit, file: string): string[] {
  if (name === "apache") return ["java", "-cp", APACHE_JARS.join(":"), tool.apache, file];
  const main = new URL(`../tools/${tool.herd}/main.ts`, import.meta.url).pathname;
  // The permissions of the deno.json task of the same name.
  const perms = tool.herd === "zk-txnlog" ? ["--allow-read", "--allow-write"] : ["--allow-read"];
  return [Deno.execPath(), "run", ...perms, main, file];
}

/** Runs `argv` with stdout into `outFile`; the wall time in seconds. */
async function timed(argv: string[], outFile: string): Promise<number> {
  const t0 = performance.now();
  // Deno.Command cannot send stdout to a file: the shell does it, then becomes the tool.
  const r = await new Deno.Command("sh", {
    args: ["-c", 'exec "$0" "$@" > "$HERD_BENCH_OUT"', ...argv],
    env: { ...ENV, HERD_BENCH_OUT: outFile },
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) {
    const err = new TextDecoder().decode(r.stderr).slice(-2000);
    throw new Error(`${argv.slice(0, 1).join(" ")} … exited with ${r.code}: ${err}`);
  }
  return seconds;
}

/** Where two files first differ, or null when they are the same. */
async function firstDifference(a: string, b: string): Promise<number | null> {
  const [x, y] = await Promise.all([Deno.readFile(a), Deno.readFile(b)]);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? null : n;
}

/**
 * Generates the data (~200k znodes, ~100k txns), then runs each toolkit of each side `rounds`
 * times, sides alternating, keeping the best time; notes any output that differs from Apache's.
 */
export async function benchToolkits(
  names: TargetName[],
  rounds: number,
  results: Results,
  notes: string[],
  say: (line: string) => void,
  sizes: Parameters<typeof writeToolkitData>[1] = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "herd-bench-toolkits-" });
  try {
    say(`\n== toolkits: writing a dataDir to print`);
    const data = await writeToolkitData(dir, sizes);
    say(`   ${data.snapshot} (${data.znodes} znodes), ${data.log} (${data.txns} txns)`);
    for (const tool of TOOLKITS) {
      const figure = tool.figure(data);
      for (let round = 1; round <= rounds; round++) {
        for (const name of names) {
          const out = `${dir}/${name}-${tool.herd}.out`;
          const s = await timed(command(name, tool, tool.file(data)), out);
          results.add(name, figure, "s", false, s);
          say(`   ${figure}, ${name} round ${round}: ${s.toFixed(2)} s`);
        }
      }
      if (names.length === 2) {
        const at = await firstDifference(
          `${dir}/herd-${tool.herd}.out`,
          `${dir}/apache-${tool.herd}.out`,
        );
        if (at !== null) {
          say(`   !! herd's ${tool.herd} output differs from Apache's at byte ${at}`);
          notes.push(`herd's ${tool.herd} printed something else than Apache's (byte ${at}).`);
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
