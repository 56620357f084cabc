/**
 * Run one transcript's steps against one deployment and compare each step's output with what
 * Apache prints. zkCli's watch events are compared per session, as an ordered list, at its end.
 *
 * @module
 */
import type { Deployment } from "./deploy.ts";
import { compare, compile, PLACEHOLDERS, splitEvents, substitute, textLines } from "./expect.ts";
import type { Expected, Step, Transcript } from "./transcript.ts";
import { type Block, runMerged, ZkCliSession } from "./_zkcli.ts";

/** How one step went. */
export interface StepResult {
  /** `step 4: zkcli: ls /` */
  label: string;
  /** `quiet`: run, not compared; `skip`: could not run here. */
  status: "pass" | "fail" | "quiet" | "skip";
  /** For a failure: `- expected` / `+ actual` lines. */
  diff?: string;
  /** An error that stopped the step (timeouts, a dead process), or why it was skipped. */
  error?: string;
}

/** The expected text for this implementation. */
export function pickExpected(e: Expected | undefined, impl: string): string | undefined {
  if (e === undefined || typeof e === "string") return e;
  return e[impl] ?? e.default;
}

const CLOSED = "WatchedEvent state:Closed type:None path:null";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The body of a log4j line in 3.8's layout: level, thread and message, no time or myid. */
function logBody(line: string): string | undefined {
  return line.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?:\[myid:\d*\] )?- (.*)$/)?.[1];
}

class Run {
  results: StepResult[] = [];
  /** Results that belong after the current step's (a session's events). */
  pending: StepResult[] = [];
  #session?: ZkCliSession;
  #sessionStep = 0;
  #t0?: number;
  #expectedEvents: string[] = [];
  #quietBlocks = new Set<Block>();
  #placeholders: Record<string, string>;

  constructor(
    readonly t: Transcript,
    readonly d: Deployment,
    readonly vars: Record<string, string>,
  ) {
    this.#placeholders = { ...PLACEHOLDERS, ...t.placeholders };
  }

  /** Substitute variables into a command; a variable this target lacks is an error. */
  command(text: string): string {
    const out = substitute(text, this.vars);
    const left = out.match(/\{\{([A-Za-z0-9_.]+)\}\}/);
    if (left) throw new Error(`{{${left[1]}}} is not available on this target`);
    return out;
  }

  /** Expected canonical lines for a step: stdout as is, stderr as `ERR| …`, then `[rc=N]`. */
  expected(step: Step, events: boolean): string[] {
    const out = textLines(pickExpected(step.out, this.d.impl) ?? "");
    const err = textLines(pickExpected(step.err, this.d.impl) ?? "");
    const split = splitEvents(out);
    if (events) this.#expectedEvents.push(...split.events);
    const lines = events ? split.lines : [...split.lines, ...split.events];
    return [...lines, ...err.map((l) => `ERR| ${l}`)];
  }

  check(step: Step, label: string, expected: string[], actual: string[]): StepResult {
    if (step.quiet) return { label, status: "quiet" };
    const r = compare(compile(expected, this.vars, this.#placeholders), actual);
    return r.ok ? { label, status: "pass" } : { label, status: "fail", diff: r.diff };
  }

  /** Run `attempt` until it passes or `step.until` seconds are up. */
  async retrying(step: Step, attempt: () => Promise<StepResult>): Promise<StepResult> {
    const deadline = Date.now() + (step.until ?? 0) * 1000;
    while (true) {
      const r = await attempt();
      if (r.status !== "fail" || Date.now() >= deadline) return r;
      await sleep(250);
    }
  }

  async zkcli(step: Step & { command: string }, label: string, open: boolean): Promise<StepResult> {
    if (open) {
      await this.endSession();
      this.#session = new ZkCliSession(this.vars.zkCli, this.command(step.command));
      this.#sessionStep = step.index;
      await this.#session.ready();
      const block = this.#session.blocks[0];
      if (step.quiet) this.#quietBlocks.add(block);
      return this.check(step, label, this.expected(step, true), this.canonical(block, true));
    }
    const session = this.#session;
    if (!session) throw new Error("no zkCli session: open one with zkcli-open first");
    this.#t0 ??= Date.now();
    if (step.at !== undefined) await sleep(this.#t0 + step.at * 1000 - Date.now());
    const command = this.command(step.command);
    const expected = this.expected(step, true);
    if (step.exit !== undefined) expected.push(`[rc=${step.exit}]`);
    if (command.trim() === "quit") {
      const { block, code } = await session.quit(command);
      if (step.quiet) this.#quietBlocks.add(block);
      const actual = this.canonical(block, true);
      if (step.exit !== undefined) actual.push(`[rc=${code}]`);
      const r = this.check(step, label, expected, actual);
      await this.endSession(true, true);
      return r;
    }
    return await this.retrying(step, async () => {
      const block = await session.send(command, step.quiet ? 0 : 60);
      if (step.quiet) this.#quietBlocks.add(block);
      return this.check(step, label, expected, this.canonical(block, true));
    });
  }

  canonical(block: Block, dropEvents: boolean): string[] {
    const split = splitEvents(block.out);
    const out = dropEvents ? split.lines : [...split.lines, ...split.events];
    return [...out, ...block.err.map((l) => `ERR| ${l}`)];
  }

  /** Close the zkCli session and compare its watch events. */
  async endSession(compareEvents = true, quit = false): Promise<void> {
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    this.#t0 = undefined;
    await session.close();
    if (!compareEvents) return;
    const actual = session.blocks.filter((b) => !this.#quietBlocks.has(b))
      .flatMap((b) => splitEvents(b.out).events);
    const expected = this.#expectedEvents;
    this.#expectedEvents = [];
    if (quit) {
      // zkCli's quit exits the JVM without waiting for its event thread, so whether the Closed
      // event gets printed is a race in Apache's own client: not compared.
      for (const list of [expected, actual]) if (list.at(-1) === CLOSED) list.pop();
    }
    const label = `events of the zkCli session opened at step ${this.#sessionStep}`;
    const r = compare(compile(expected, this.vars, this.#placeholders), actual);
    this.pending.push(r.ok ? { label, status: "pass" } : { label, status: "fail", diff: r.diff });
  }

  async shell(step: Step, label: string, script: string, stdin = ""): Promise<StepResult> {
    const expected = this.expected(step, false);
    if (step.exit !== undefined) expected.push(`[rc=${step.exit}]`);
    return await this.retrying(step, async () => {
      const { code, lines } = await runMerged(script, stdin);
      const split = splitEvents(lines);
      const actual = [...split.lines, ...split.events];
      if (step.exit !== undefined) actual.push(`[rc=${code}]`);
      return this.check(step, label, expected, actual);
    });
  }

  async log(step: Step & { pattern: string }, label: string): Promise<StepResult> {
    if (this.d.log() === undefined) {
      return { label, status: "skip", error: "the server's log is not visible to the suite" };
    }
    const re = new RegExp(step.pattern);
    return await this.retrying(step, () => {
      const bodies = textLines(this.d.log() ?? "").filter((l) => re.test(l))
        .map((l) => logBody(l) ?? l);
      return Promise.resolve(this.check(step, label, this.expected(step, false), bodies));
    });
  }

  async step(step: Step): Promise<StepResult> {
    const what = "command" in step
      ? step.command
      : "commands" in step
      ? `${step.commands.length} commands`
      : step.kind === "server"
      ? `${step.action}${step.node ? ` n${step.node}` : ""}`
      : step.kind === "log"
      ? step.pattern
      : step.kind === "sleep"
      ? `${step.seconds} s`
      : "";
    const label = `step ${step.index}: ${step.kind}: ${substitute(what, this.vars)}`;
    switch (step.kind) {
      case "zkcli-open":
      case "zkcli":
        return await this.zkcli(step, label, step.kind === "zkcli-open");
      case "setup":
        for (const c of step.commands) {
          await this.zkcli({ ...step, command: c, quiet: true }, label, false);
        }
        return { label, status: "quiet" };
      case "zkcli-batch":
        return await this.shell(
          step,
          label,
          `exec ${this.vars.zkCli} -server ${this.vars.server}`,
          step.commands.map((c) => this.command(c)).join("\n") + "\n",
        );
      case "sh":
        return await this.shell(step, label, this.command(step.command));
      case "log":
        return await this.log(step, label);
      case "server":
        await this.d.control(step.action, step.node);
        return { label, status: "quiet" };
      case "sleep":
        await sleep(step.seconds * 1000);
        return { label, status: "quiet" };
    }
  }
}

/**
 * Run `t` on `d` with `vars` (the deployment's, the toolset's and `root`); one result per step
 * and per zkCli session's events. A step that throws fails and ends the run.
 *
 * @example
 * ```ts
 * const results = await execute(transcript, deployment, { ...deployment.vars, zkCli: "zkCli.sh" });
 * ```
 */
export async function execute(
  t: Transcript,
  d: Deployment,
  vars: Record<string, string>,
): Promise<StepResult[]> {
  const run = new Run(t, d, vars);
  try {
    for (const step of t.steps) {
      try {
        run.results.push(await run.step(step), ...run.pending.splice(0));
      } catch (e) {
        run.results.push({
          label: `step ${step.index}: ${step.kind}`,
          status: "fail",
          error: (e as Error).message,
        });
        await run.endSession(false);
        break;
      }
    }
    await run.endSession().catch(() => {});
    run.results.push(...run.pending.splice(0));
  } finally {
    for (const step of t.cleanup) {
      await run.step({ ...step, quiet: true }).catch(() => {});
    }
    await run.endSession(false).catch(() => {});
    run.pending.length = 0;
  }
  return run.results.filter((r) => r.status !== "quiet" || r.error);
}
