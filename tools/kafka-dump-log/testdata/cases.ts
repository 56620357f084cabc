/**
 * The dump-log cases recorded from Apache 2.8.2 (`expected/<name>.txt`) and how a run of either
 * tool is made and compared: each run gets its own copy of `inputs/` (dumping an index can create
 * files, as Apache's does), paths under that copy print as `<dir>`, and the JVM's stack frames
 * (`\tat …`, `... N more`) are dropped, since herd prints the exception lines without them.
 *
 * @module
 */
import { cpSync } from "node:fs";

/** One invocation: its name and the tool's arguments (paths relative to `inputs/`). */
export interface DumpCase {
  name: string;
  args: string[];
}

const herd = (dir: string) =>
  ["00000000000000000000", "00000000000000000049"]
    .flatMap((b) => [`${dir}/${b}.log`, `${dir}/${b}.index`, `${dir}/${b}.timeindex`]).join(",");

/** The cases. */
export const CASES: DumpCase[] = [
  { name: "herd-shallow", args: ["--files", herd("herd-0")] },
  { name: "herd-deep", args: ["--deep-iteration", "--files", herd("herd-0")] },
  { name: "herd-print", args: ["--print-data-log", "--files", herd("herd-0")] },
  {
    name: "herd-skip-metadata",
    args: ["--print-data-log", "--skip-record-metadata", "--files", herd("herd-0")],
  },
  { name: "herd-sanity", args: ["--index-sanity-check", "--files", herd("herd-0")] },
  { name: "herd-verify", args: ["--verify-index-only", "--files", herd("herd-0")] },
  {
    name: "herd-max-message-size",
    args: ["--max-message-size", "100", "--files", "herd-0/00000000000000000000.index"],
  },
  {
    name: "apache-log",
    args: [
      "--print-data-log",
      "--files",
      "apache-log/00000000000000000000.log,apache-log/00000000000000000060.log,apache-log/00000000000000000000.index,apache-log/00000000000000000000.timeindex,apache-log/00000000000000000060.snapshot,apache-log/00000000000000000090.snapshot",
    ],
  },
  {
    name: "apache-pid",
    args: [
      "--deep-iteration",
      "--files",
      "apache-pid/00000000000000000000.log,apache-pid/00000000000000000019.log,apache-pid/00000000000000000031.log,apache-pid/00000000000000000019.snapshot,apache-pid/00000000000000000031.snapshot,apache-pid/00000000000000000038.snapshot,apache-pid/00000000000000000031.txnindex,apache-pid/leader-epoch-checkpoint",
    ],
  },
  {
    name: "apache-txnlog",
    args: ["--transaction-log-decoder", "--files", "apache-txnlog/00000000000000000000.log"],
  },
  {
    name: "apache-offsets",
    args: ["--offsets-decoder", "--files", "apache-offsets/00000000000000000000.log"],
  },
  {
    name: "offsets-decoder",
    args: ["--offsets-decoder", "--files", "offsets/00000000000000000000.log"],
  },
  {
    name: "offsets-as-strings",
    args: [
      "--print-data-log",
      "--skip-record-metadata",
      "--files",
      "offsets/00000000000000000000.log",
    ],
  },
  {
    name: "txnlog-decoder",
    args: ["--transaction-log-decoder", "--files", "txnlog/00000000000000000000.log"],
  },
  {
    name: "wrong-decoder",
    args: ["--transaction-log-decoder", "--files", "offsets/00000000000000000000.log"],
  },
  { name: "bad-size", args: ["--deep-iteration", "--files", "bad-size/00000000000000000000.log"] },
  { name: "tail", args: ["--print-data-log", "--files", "tail/00000000000000000010.log"] },
  {
    name: "mixed",
    args: [
      "--print-data-log",
      "--files",
      "mixed/00000000000000000200.log,mixed/00000000000000000200.index,mixed/00000000000000000200.timeindex",
    ],
  },
  {
    name: "mixed-verify",
    args: [
      "--verify-index-only",
      "--files",
      "mixed/00000000000000000200.index,mixed/00000000000000000200.timeindex",
    ],
  },
  { name: "legacy", args: ["--print-data-log", "--files", "legacy/00000000000000000300.log"] },
  {
    name: "sanity-torn-index",
    args: ["--index-sanity-check", "--files", "sanity/00000000000000000400.index"],
  },
  {
    name: "sanity-index-back",
    args: ["--index-sanity-check", "--files", "sanity/00000000000000000401.index"],
  },
  {
    name: "sanity-time-back",
    args: ["--index-sanity-check", "--files", "sanity/00000000000000000400.timeindex"],
  },
  {
    name: "sanity-time-torn",
    args: ["--index-sanity-check", "--files", "sanity/00000000000000000401.timeindex"],
  },
  {
    name: "snapshots",
    args: [
      "--files",
      "state/00000000000000000500.snapshot,state/00000000000000000501.snapshot,state/00000000000000000502.snapshot,state/00000000000000000503.snapshot,state/00000000000000000700.txnindex",
    ],
  },
  { name: "missing-index", args: ["--files", "herd-0/00000000000000000099.index"] },
  { name: "missing-log", args: ["--files", "state/00000000000000000700.index"] },
  {
    name: "missing-snapshot",
    args: ["--files", "state/00000000000000000999.snapshot,state/00000000000000000999.txnindex"],
  },
  {
    name: "unknown-and-bad-names",
    args: ["--files", "state/x.json,herd-0/leader-epoch-checkpoint"],
  },
  { name: "bad-number-name", args: ["--files", "state/abc.log"] },
  { name: "empty-files", args: ["--files", ""] },
  { name: "no-files", args: ["--deep-iteration"] },
  { name: "no-args", args: [] },
  { name: "help", args: ["--help"] },
  { name: "version", args: ["--version"] },
  { name: "unknown-option", args: ["--bogus"] },
  { name: "missing-argument", args: ["--files"] },
  {
    name: "bad-max-message-size",
    args: ["--max-message-size", "1k", "--files", "herd-0/00000000000000000000.log"],
  },
  {
    name: "custom-decoder",
    args: [
      "--value-decoder-class",
      "com.example.Decoder",
      "--files",
      "herd-0/00000000000000000000.log",
    ],
  },
];

/** What one run printed. */
export interface DumpRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The text a run is recorded and compared as. */
export function runOutput(r: DumpRun): string {
  return `exit code: ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

const APACHE_CLASS_RUNNER =
  new URL("../../../conformance/apache/bin/kafka-run-class.sh", import.meta.url)
    .pathname;
const HERD_MAIN = new URL("../main.ts", import.meta.url).pathname;

async function runIn(inputs: string, cmd: string, args: string[]): Promise<DumpRun> {
  const dir = await Deno.makeTempDir({ prefix: "herd-dump-log-" });
  try {
    cpSync(inputs, dir, { recursive: true });
    const out = await new Deno.Command(cmd, { args, cwd: dir, stdout: "piped", stderr: "piped" })
      .output();
    const dec = new TextDecoder();
    const clean = (s: string) =>
      s.split(dir).join("<dir>").split("\n")
        .filter((l) => !/^\s+at |^\s+\.\.\. \d+ more$/.test(l)).join("\n");
    return {
      code: out.code,
      stdout: clean(dec.decode(out.stdout)),
      stderr: clean(dec.decode(out.stderr)),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs Apache 2.8.2's DumpLogSegments on a copy of `inputs`. */
export function runApache(inputs: string, args: string[]): Promise<DumpRun> {
  return runIn(inputs, APACHE_CLASS_RUNNER, ["kafka.tools.DumpLogSegments", ...args]);
}

/** Runs herd's kafka-dump-log on a copy of `inputs`. */
export function runHerd(inputs: string, args: string[]): Promise<DumpRun> {
  return runIn(inputs, Deno.execPath(), ["run", "-A", HERD_MAIN, ...args]);
}
