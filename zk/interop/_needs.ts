/**
 * What the interop tests need installed, and the DECISIONS.md rule for when it
 * is missing: under `CI=true` the test fails; elsewhere it is skipped with the
 * reason printed. `zk/interop/install.sh` installs everything.
 *
 * @module
 */

import { HERD_MAIN, type TargetKind } from "./_target.ts";

/** Things a test can need. */
export type Need =
  | "java"
  | "apache-jars"
  | "zkcli"
  | "cli_mt"
  | "kazoo"
  | "node-zookeeper-client";

export const ZKCLI = "/usr/share/zookeeper/bin/zkCli.sh";
export const CLI_MT = "/usr/lib/zookeeper/bin/cli_mt";
export const PYTHON = "/usr/bin/python3";
/** Where install.sh puts node-zookeeper-client (outside the repo's tracked files). */
export const NPM_PREFIX = Deno.env.get("HERD_NPM_PREFIX") ??
  `${Deno.env.get("HOME") ?? "/root"}/.cache/herd/npm`;

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function runs(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

const cache = new Map<string, string | undefined>();

/** Why `need` is not met, or undefined when it is. */
function missing(need: Need | TargetKind): string | undefined {
  if (cache.has(need)) return cache.get(need);
  let why: string | undefined;
  switch (need) {
    case "herd":
      if (!isFile(HERD_MAIN)) why = `herd's server ${HERD_MAIN} does not exist yet`;
      break;
    case "apache":
      why = missing("java") ?? missing("apache-jars");
      break;
    case "java":
      if (!runs("java", ["-version"])) why = "java is not installed (apt-get install zookeeper)";
      break;
    case "apache-jars":
      for (const jar of ["zookeeper.jar", "slf4j-log4j12.jar", "log4j-1.2.jar"]) {
        if (!isFile(`/usr/share/java/${jar}`)) {
          why = `/usr/share/java/${jar} is missing (apt-get install zookeeper)`;
          break;
        }
      }
      break;
    case "zkcli":
      if (!isFile(ZKCLI)) why = `${ZKCLI} is missing (apt-get install zookeeper)`;
      else why = missing("java");
      break;
    case "cli_mt":
      if (!isFile(CLI_MT)) why = `${CLI_MT} is missing (apt-get install zookeeper-bin)`;
      break;
    case "kazoo":
      if (!runs(PYTHON, ["-c", "import kazoo"])) {
        why = `${PYTHON} cannot import kazoo (apt-get install python3-kazoo)`;
      }
      break;
    case "node-zookeeper-client":
      if (!runs("node", ["--version"])) why = "node is not installed";
      else if (!isFile(`${NPM_PREFIX}/node_modules/node-zookeeper-client/package.json`)) {
        why =
          `node-zookeeper-client is not installed under ${NPM_PREFIX} (run zk/interop/install.sh)`;
      }
      break;
  }
  cache.set(need, why);
  return why;
}

/** The outcome of checking a test's needs. */
export interface Gate {
  /** Pass to `Deno.test({ ignore })`. */
  ignore: boolean;
  /** Call first thing in the test: throws under CI when something is missing. */
  check(): void;
}

/**
 * Check what a test for `target` needs.
 *
 * @example
 * ```ts
 * const gate = needs("apache", ["zkcli"]);
 * Deno.test({ name: "[apache] x", ignore: gate.ignore }, () => gate.check());
 * ```
 */
export function needs(target: TargetKind, what: Need[], label = ""): Gate {
  const reasons = [target, ...what].map(missing).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return { ignore: false, check() {} };
  const reason = [...new Set(reasons)].join("; ");
  if (Deno.env.get("CI") === "true") {
    return {
      ignore: false,
      check() {
        throw new Error(`[${target}] ${label}: cannot run: ${reason}`);
      },
    };
  }
  console.log(`skip [${target}] ${label}: ${reason}`);
  return { ignore: true, check() {} };
}
