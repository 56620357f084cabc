/**
 * The programs a transcript runs: Apache's own (zkCli.sh, zkServer.sh, the server's jars, nc)
 * and herd's replacements for some of them, plus what is missing on this machine and why.
 *
 * @module
 */

/** Where Debian's `zookeeper` package puts the scripts (override with ZK_HOME). */
export const ZK_HOME = Deno.env.get("ZK_HOME") ?? "/usr/share/zookeeper";
/** Debian's jars; the server needs a log binding that zookeeper.jar's manifest leaves out. */
export const APACHE_JARS = [
  "zookeeper.jar",
  "zookeeper-jute.jar",
  "slf4j-api.jar",
  "slf4j-log4j12.jar",
  "log4j-1.2.jar",
].map((j) => `/usr/share/java/${j}`);

/** herd's zk-server, resolved from this file so the suite runs from any directory. */
export const HERD_ZK_SERVER = new URL("../tools/zk-server/main.ts", import.meta.url).pathname;
/** herd's zk-cli, likewise. */
export const HERD_ZK_CLI = new URL("../tools/zk-cli/main.ts", import.meta.url).pathname;

/** The tool variables a transcript may use, as shell words. */
export interface Toolset {
  name: "apache" | "herd";
  zkServer: string;
  zkCli: string;
}

/** Apache's scripts. */
export const APACHE_TOOLS: Toolset = {
  name: "apache",
  zkServer: `${ZK_HOME}/bin/zkServer.sh`,
  zkCli: `${ZK_HOME}/bin/zkCli.sh`,
};

/**
 * herd's CLIs (zk-server, zk-cli); a transcript naming one of them also runs with herd's CLI
 * here and to {@linkcode HERD_PROVIDES}).
 */
export const HERD_TOOLS: Toolset = {
  name: "herd",
  zkServer: `"${Deno.execPath()}" run -A "${HERD_ZK_SERVER}"`,
  zkCli: `"${Deno.execPath()}" run -A "${HERD_ZK_CLI}"`,
};

/** herd's Kafka scripts (bin/kafka-*.sh), named as Apache's: `{{kafkaBin}}` in the herd-cli column. */
export const HERD_KAFKA_BIN = new URL("../bin", import.meta.url).pathname;

/** The Kafka scripts `commands` run through `{{kafkaBin}}` that herd's bin/ does not have. */
export function herdKafkaScriptsMissing(commands: readonly string[]): string[] {
  const used = new Set(
    commands.flatMap((c) => [...c.matchAll(/\{\{kafkaBin\}\}\/([\w.-]+)/g)].map((m) => m[1])),
  );
  return [...used].filter((script) => !isFile(`${HERD_KAFKA_BIN}/${script}`)).sort();
}

/** Tool variables herd replaces: a transcript using one also runs with herd's CLI on Apache. */
export const HERD_PROVIDES = ["zkServer", "zkCli"];

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

function cached(key: string, check: () => string | undefined): string | undefined {
  if (!cache.has(key)) cache.set(key, check());
  return cache.get(key);
}

/** Why Apache ZooKeeper 3.8.0 cannot run here (server and scripts), or undefined. */
export function apacheMissing(): string | undefined {
  return cached("apache", () => {
    if (!runs("java", ["-version"])) return "java is not installed (apt-get install zookeeper)";
    for (const path of [...APACHE_JARS, APACHE_TOOLS.zkCli, APACHE_TOOLS.zkServer]) {
      if (!isFile(path)) return `${path} is missing (apt-get install zookeeper)`;
    }
    return undefined;
  });
}

/** Why `nc` (netcat, for the four-letter words) is missing, or undefined. */
export function ncMissing(): string | undefined {
  return cached(
    "nc",
    () =>
      runs("sh", ["-c", "command -v nc"])
        ? undefined
        : "nc is not installed (apt-get install netcat-openbsd)",
  );
}
