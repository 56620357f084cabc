/**
 * Where the Apache Java programs fetched by `conformance/apache/fetch.sh` live
 * (Kafka 2.8.2, Curator 5.x and the compiled Curator scenario, all in
 * `~/.cache/herd`), the DECISIONS.md rule for when they are missing, and a
 * process runner with a time limit shared by the Kafka and Curator tests.
 *
 * @module
 */

import { type Gate, type Need, needs } from "./_needs.ts";
import type { TargetKind } from "./_target.ts";

/** `conformance/apache/`: launchers, configs, the fetch step and the Java scenario sources. */
export const APACHE_DIR = new URL("../../conformance/apache/", import.meta.url).pathname;
/** Apache-style launchers (`kafka-topics.sh` …). */
export const KAFKA_BIN = `${APACHE_DIR}bin`;
/** The fetch cache (`HERD_CACHE`, default `~/.cache/herd`), as fetch.sh and the launchers read it. */
export const CACHE = Deno.env.get("HERD_CACHE") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/herd`;
export const KAFKA_LIBS = `${CACHE}/kafka-2.8.2/libs`;
export const CURATOR_LIBS = `${CACHE}/curator/libs`;
export const CURATOR_CLASSES = `${CACHE}/curator/classes`;
/** Debian's python3-kafka (kafka-python 2.0.2) is installed for this interpreter. */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** The fetched things a test can need, beyond `_needs.ts`'s list. */
export type Fetched = "kafka" | "curator" | "kafka-python";

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function missing(what: Fetched): string | undefined {
  const fetch = "run conformance/apache/fetch.sh";
  switch (what) {
    case "kafka":
      return isFile(`${KAFKA_LIBS}/kafka_2.12-2.8.2.jar`)
        ? undefined
        : `Kafka 2.8.2 is not in ${KAFKA_LIBS} (${fetch})`;
    case "curator":
      return isFile(`${CURATOR_CLASSES}/herd/curator/Main.class`)
        ? undefined
        : `the Curator scenario is not compiled in ${CURATOR_CLASSES} (${fetch})`;
    case "kafka-python": {
      try {
        const ok = new Deno.Command(SYSTEM_PYTHON, {
          // From /: in the repo root, herd's own kafka/ folder imports as a namespace package.
          args: ["-c", "from kafka import KafkaProducer"],
          cwd: "/",
          stdout: "null",
          stderr: "null",
        }).outputSync().success;
        return ok ? undefined : `${SYSTEM_PYTHON} cannot import kafka (${fetch})`;
      } catch {
        return `${SYSTEM_PYTHON} is missing`;
      }
    }
  }
}

/**
 * `_needs.ts`'s gate widened to the fetched jars: under `CI=true` a missing
 * piece fails the test, elsewhere the test is skipped with the reason printed.
 *
 * @example
 * ```ts
 * const gate = fetchedGate("herd", ["zkcli"], ["kafka"], "kafka");
 * Deno.test({ name: "[herd] kafka", ignore: gate.ignore }, () => gate.check());
 * ```
 */
export function fetchedGate(
  target: TargetKind,
  base: Need[],
  fetched: Fetched[],
  label: string,
): Gate {
  const first = needs(target, ["java", ...base], label);
  if (first.ignore) return first;
  const reasons = fetched.map(missing).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return first;
  const reason = reasons.join("; ");
  if (Deno.env.get("CI") === "true") {
    return {
      ignore: false,
      check() {
        first.check();
        throw new Error(`[${target}] ${label}: cannot run: ${reason}`);
      },
    };
  }
  console.log(`skip [${target}] ${label}: ${reason}`);
  return { ignore: true, check() {} };
}

/** What a finished process printed. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode run}. */
export interface RunOptions {
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
}

/** Run `cmd args…` to completion (killed after `timeoutMs`), collecting its output. */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<Ran> {
  const child = new Deno.Command(cmd, {
    args,
    env: opts.env,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, opts.timeoutMs ?? 120_000);
  try {
    if (opts.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(opts.stdin));
      await writer.close();
    }
    const out = await child.output();
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Like {@linkcode run}, but a non-zero exit is an error naming the command and its output. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<Ran> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${
        args.join(" ")
      } exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  }
  return r;
}

/**
 * Poll `probe` until it returns a value other than undefined; throws after
 * `timeoutMs` with `what` and the last value seen by `describe`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (true) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError === undefined ? "" : `: ${lastError}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The JVM flags for the short-lived Curator/dump JVMs: small heap, quick start. */
export const SMALL_JVM = [
  "-Xmx128m",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
];

/** `java … herd.curator.Main ARGS` (see conformance/apache/curator/Main.java). */
export function curatorCommand(args: string[]): { cmd: string; args: string[] } {
  return {
    cmd: "java",
    args: [
      ...SMALL_JVM,
      "-cp",
      `${CURATOR_CLASSES}:${CURATOR_LIBS}/*`,
      "herd.curator.Main",
      ...args,
    ],
  };
}
