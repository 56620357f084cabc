/**
 * `deno task sim --seeds N [--seed S] [--from B] [--family election|zab]`: the election and ZAB
 * simulators of zk/quorum for many seeds (the tests run a bounded number). Prints progress and
 * a summary; for each failing seed, the error and the command that replays just that run.
 * Exits 1 if any seed failed, 2 on bad arguments.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { FAMILIES, type Family, type Invariant, runSeed } from "./scenarios.ts";

/** What to run. */
export interface SimOptions {
  /** The seeds, in order. */
  seeds: number[];
  families: readonly Family[];
  /** An extra check between slices of virtual time (tests inject failures with it). */
  invariant?: Invariant;
  /** Where lines go (console.log by default). */
  print?: (line: string) => void;
}

/** One failing run. */
export interface SimFailure {
  family: Family;
  seed: number;
  error: string;
  replay: string;
}

/** The replay command for one run. */
export function replayCommand(family: Family, seed: number): string {
  return `deno task sim --family ${family} --seed ${seed}`;
}

/** Runs every family for every seed; returns the failures. */
export function runSims(opts: SimOptions): SimFailure[] {
  const print = opts.print ?? ((l: string) => console.log(l));
  const failures: SimFailure[] = [];
  const every = Math.max(1, Math.ceil(opts.seeds.length / 10));
  for (const family of opts.families) {
    const t0 = performance.now();
    let leaders = 0;
    let commits = 0;
    let virtualMs = 0;
    let failed = 0;
    opts.seeds.forEach((seed, i) => {
      try {
        const s = runSeed(family, seed, opts.invariant);
        leaders += s.leaders;
        commits += s.commits;
        virtualMs += s.virtualMs;
      } catch (e) {
        failed++;
        const f = {
          family,
          seed,
          error: (e as Error).message,
          replay: replayCommand(family, seed),
        };
        failures.push(f);
        print(`${family} seed ${seed} FAILED: ${f.error}\n  replay: ${f.replay}`);
      }
      if ((i + 1) % every === 0 || i + 1 === opts.seeds.length) {
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        print(`${family}: ${i + 1}/${opts.seeds.length} seeds, ${failed} failed, ${secs} s`);
      }
    });
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const what = family === "zab"
      ? `${leaders} epochs led, ${commits} txns committed`
      : `${leaders} election decisions`;
    print(
      `${family}: ${
        opts.seeds.length - failed
      } of ${opts.seeds.length} seeds passed in ${secs} s ` +
        `(${(virtualMs / 1000).toFixed(0)} virtual s; ${what})`,
    );
  }
  if (failures.length > 0) {
    print(`${failures.length} failing run(s); replay with:`);
    for (const f of failures) print(`  ${f.replay}`);
  } else print("all runs passed");
  return failures;
}

const USAGE = "usage: deno task sim [--seeds N] [--seed S] [--from B] [--family election|zab]";

/** Parses the command line; throws with the usage on bad input. */
export function parseSimArgs(args: string[]): SimOptions {
  const { values } = parseArgs({
    args,
    options: {
      seeds: { type: "string" },
      seed: { type: "string" },
      from: { type: "string" },
      family: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, v: string | undefined, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      throw new Error(`--${name}: not an integer ≥ ${min}: ${v}`);
    }
    return n;
  };
  const families = values.family === undefined ? FAMILIES : [values.family as Family];
  if (!FAMILIES.includes(families[0])) throw new Error(`--family: ${values.family}?`);
  if (values.seed !== undefined) return { seeds: [int("seed", values.seed, 0, 0)], families };
  const n = int("seeds", values.seeds, 100, 1);
  const from = int("from", values.from, 1, 0);
  return { seeds: Array.from({ length: n }, (_, i) => from + i), families };
}

if (import.meta.main) {
  let opts: SimOptions;
  try {
    opts = parseSimArgs(Deno.args);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
  Deno.exit(runSims(opts).length > 0 ? 1 : 0);
}
