/**
 * The suite: every transcript against every target column, a few at a time.
 *
 * Columns: `herd` (herd's server, Apache's clients), `apache` (Apache's server and clients),
 * `herd-cli` (herd's CLIs against Apache's server, for transcripts that use a CLI herd replaces)
 * and `external` (Apache's clients against `--zk`). A transcript a column cannot run is listed
 * with the reason.
 *
 * @module
 */
export type { KafkaSource } from "./kafka.ts";
import { type Deployment, external, type Impl, scripted, standalone } from "./deploy.ts";
import { ensemble } from "./ensemble.ts";
import { execute, type StepResult } from "./execute.ts";
import { tokens } from "./expect.ts";
import { kafkaMissing, type KafkaSource, withKafka } from "./kafka.ts";
import { herdEnsembleMissing } from "./_herd_ensemble.ts";
import type { Step, Transcript } from "./transcript.ts";
import {
  APACHE_TOOLS,
  apacheMissing,
  HERD_KAFKA_BIN,
  HERD_PROVIDES,
  HERD_TOOLS,
  herdKafkaScriptsMissing,
  ncMissing,
  type Toolset,
} from "./tools.ts";

/** A target column of the report. */
export type Column = "herd" | "apache" | "herd-cli" | "external";

/** What to run. */
export interface SuiteOptions {
  /** Which implementations to start (ignored with `zk`). */
  targets: ("herd" | "apache")[];
  /** An external ZooKeeper: `host:port[,host:port…]`. */
  zk?: string;
  /** Where Kafka comes from, for the Kafka transcripts. */
  kafka: KafkaSource;
  /** Run the transcripts marked slow too. */
  slow: boolean;
  /** Only transcripts whose name contains one of these. */
  only: string[];
  /** Runs at a time. */
  jobs: number;
  /** Called as each run finishes (progress). */
  onResult?: (r: RunResult, done: number, total: number) => void;
}

/** One transcript on one column. */
export interface RunResult {
  /** The transcript that ran. */
  transcript: Transcript;
  /** Where it ran. */
  column: Column;
  /** Its outcome (`n/a`: the column does not apply to it). */
  status: "pass" | "fail" | "skip" | "n/a";
  /** Why it was skipped or not applicable, or what stopped it. */
  reason?: string;
  /** Each compared step's outcome. */
  steps: StepResult[];
  /** Wall time, servers included. */
  ms: number;
  /** The server log's last lines, for a failure. */
  logTail?: string;
}

/** The columns a run reports, in order. */
export function columnsFor(opts: Pick<SuiteOptions, "targets" | "zk">): Column[] {
  const herd = opts.targets.includes("herd");
  if (opts.zk) return herd ? ["external", "herd-cli"] : ["external"];
  return [
    ...(herd ? ["herd" as const] : []),
    ...(opts.targets.includes("apache") ? ["apache" as const] : []),
    ...(herd ? ["herd-cli" as const] : []),
  ];
}

function texts(t: Transcript): string[] {
  return [...t.steps, ...t.cleanup].flatMap((s: Step) => [
    ..."command" in s ? [s.command] : [],
    ..."commands" in s ? s.commands : [],
  ]);
}

const usesZkCli = (t: Transcript) =>
  t.steps.some((s) => ["zkcli-open", "zkcli", "setup", "zkcli-batch"].includes(s.kind)) ||
  texts(t).some((c) => tokens(c).includes("zkCli"));

/** How a column would run a transcript, or why it cannot. */
type Plan =
  | { run: true; impl: Impl; tools: Toolset }
  | { run: false; status: "skip" | "n/a"; reason: string };

async function plan(t: Transcript, column: Column, opts: SuiteOptions): Promise<Plan> {
  const skip = (reason: string): Plan => ({ run: false, status: "skip", reason });
  const na = (reason: string): Plan => ({ run: false, status: "n/a", reason });
  const used = new Set(texts(t).flatMap(tokens));
  if (column === "herd-cli" && t.system === "kafka") {
    // herd's Kafka scripts against Apache's broker: only when herd has every script it runs.
    const missing = herdKafkaScriptsMissing(texts(t));
    if (missing.length > 0) return na(`herd has no ${missing.join(", ")} yet`);
  } else if (column === "herd-cli") {
    if (t.server.kind === "none") return na("starts its server with the CLI under test");
    const replaced = HERD_PROVIDES.some((v) => used.has(v)) ||
      (HERD_PROVIDES.includes("zkCli") && usesZkCli(t));
    if (!replaced) return na("uses no CLI herd replaces yet");
  }
  if (t.system === "kafka") {
    const missing = kafkaMissing(opts.kafka, opts.zk !== undefined);
    if (missing) return skip(missing);
  }
  if (column === "external" || (column === "herd-cli" && opts.zk)) {
    if (!t.external) {
      return skip("needs a server the suite starts (fresh state, its config, its log)");
    }
  }
  if (t.slow && !opts.slow) return skip("slow: run with --slow");
  const impl: Impl = column === "external" || (column === "herd-cli" && opts.zk)
    ? "external"
    : column === "herd"
    ? "herd"
    : "apache";
  const tools = column === "herd-cli" || (column === "herd" && t.server.kind === "none")
    ? HERD_TOOLS
    : APACHE_TOOLS;
  if (impl === "apache" || (tools === APACHE_TOOLS && (usesZkCli(t) || used.has("zkServer")))) {
    const missing = apacheMissing();
    if (missing) return skip(missing);
  }
  if (usesZkCli(t) && apacheMissing()) return skip(`zkCli.sh: ${apacheMissing()}`);
  if (texts(t).some((c) => /\bnc\b/.test(c)) && ncMissing()) return skip(ncMissing()!);
  if (t.server.kind === "ensemble" && impl === "herd") {
    return skip(`not yet supported: herd ensembles (${await herdEnsembleMissing()})`);
  }
  return { run: true, impl, tools };
}

async function deploy(t: Transcript, impl: Impl, opts: SuiteOptions): Promise<Deployment> {
  if (impl === "external") {
    const d = external(opts.zk!);
    return t.system === "kafka" ? await withKafka(d, opts.kafka) : d;
  }
  switch (t.server.kind) {
    case "none":
      return await scripted(impl, t.server);
    case "ensemble":
      return await ensemble(t.server);
    case "kafka":
      return await withKafka(
        await standalone(impl, t.server),
        opts.kafka,
        impl === "herd" ? "herd" : "apache",
      );
    default:
      return await standalone(impl, t.server);
  }
}

/** Run one transcript on one column (or say why not). */
export async function runOne(
  t: Transcript,
  column: Column,
  opts: SuiteOptions,
): Promise<RunResult> {
  const started = Date.now();
  const p = await plan(t, column, opts);
  if (!p.run) {
    return { transcript: t, column, status: p.status, reason: p.reason, steps: [], ms: 0 };
  }
  let d: Deployment;
  try {
    d = await deploy(t, p.impl, opts);
  } catch (e) {
    const reason = `could not start the servers: ${(e as Error).message}`;
    return { transcript: t, column, status: "fail", reason, steps: [], ms: Date.now() - started };
  }
  try {
    const root = `/herd-conformance-${crypto.randomUUID().slice(0, 8)}`;
    const vars: Record<string, string> = {
      ...d.vars,
      zkServer: p.tools.zkServer,
      zkCli: p.tools.zkCli,
      root,
    };
    if (column === "herd-cli" && t.system === "kafka") vars.kafkaBin = HERD_KAFKA_BIN;
    const steps = await execute(t, d, vars);
    const failed = steps.some((s) => s.status === "fail");
    const logTail = failed ? (d.log() ?? "").split("\n").slice(-25).join("\n") : undefined;
    return {
      transcript: t,
      column,
      status: failed ? "fail" : "pass",
      steps,
      ms: Date.now() - started,
      logTail,
    };
  } finally {
    await d.close();
  }
}

/**
 * Run `transcripts` on every column of `opts`, `opts.jobs` at a time; results in table order.
 *
 * @example
 * ```ts
 * const results = await runSuite(await loadTranscripts(TRANSCRIPT_DIR), {
 *   targets: ["herd"], kafka: {}, slow: false, only: [], jobs: 2,
 * });
 * ```
 */
export async function runSuite(
  transcripts: Transcript[],
  opts: SuiteOptions,
): Promise<RunResult[]> {
  const chosen = transcripts.filter((t) =>
    opts.only.length === 0 || opts.only.some((o) => t.name.includes(o))
  );
  const jobs = chosen.flatMap((t) => columnsFor(opts).map((c) => ({ t, c })));
  const results: RunResult[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const k = next++;
      results[k] = await runOne(jobs[k].t, jobs[k].c, opts);
      opts.onResult?.(results[k], ++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));
  return results;
}
