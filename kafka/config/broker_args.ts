/**
 * `kafka-server-start.sh [-daemon] server.properties [--override property=value]*` as Apache
 * Kafka 2.8.2's script and kafka.Kafka read it. Messages are Apache's, recorded by running
 * `java kafka.Kafka` from ~/.cache/herd/kafka-2.8.2/libs with the same arguments.
 *
 * KAFKA_HEAP_OPTS and KAFKA_OPTS are tolerated and returned, never applied: Kafka's broker takes
 * no server.properties key from a `-D` system property (KafkaConfig reads only the file and the
 * overrides), so herd does not either. `-Dlog4j.configuration` and the like have no meaning here.
 *
 * @module
 */
import type { Override } from "./server_properties.ts";

/** What the arguments ask for. */
export type BrokerArgs =
  | {
    kind: "start";
    daemon: boolean;
    file: string;
    overrides: Override[];
    /** KAFKA_HEAP_OPTS, or the script's default `-Xmx1G -Xms1G`; informational only. */
    heapOpts: string;
    /** KAFKA_OPTS as given (may be ""); informational only. */
    kafkaOpts: string;
  }
  | { kind: "version" }
  /** Print `message` (and the option table) to stdout/stderr and exit with `exitCode`. */
  | { kind: "usage"; message: string; exitCode: number };

/** The option table kafka.Kafka prints under its usage line. */
export const OPTION_HELP = [
  "Option               Description                                         ",
  "------               -----------                                         ",
  "--override <String>  Optional property that should override values set in",
  "                       server.properties file                            ",
  "--version            Print version information and exit.                 ",
].join("\n");

/**
 * Reads the script's arguments and environment. Pure: no file is opened here (a missing file is
 * the caller's `NoSuchFileException`-like error).
 *
 * @example
 * ```ts
 * parseBrokerArgs(["-daemon", "config/server.properties", "--override", "broker.id=2"], {});
 * // { kind: "start", daemon: true, file: "config/server.properties", overrides: [{ key: "broker.id", value: "2" }], … }
 * ```
 */
export function parseBrokerArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BrokerArgs {
  // The shell script: no argument at all is its own usage line, exit 1.
  if (args.length === 0) {
    return {
      kind: "usage",
      message:
        "USAGE: kafka-server-start.sh [-daemon] server.properties [--override property=value]*",
      exitCode: 1,
    };
  }
  let rest = args;
  let daemon = false;
  if (rest[0] === "-daemon") {
    daemon = true;
    rest = rest.slice(1);
  }
  const javaUsage =
    "USAGE: java [options] kafka.Kafka server.properties [--override property=value]*";
  if (rest.length === 0) {
    return { kind: "usage", message: `${javaUsage}\n${OPTION_HELP}`, exitCode: 1 };
  }
  if (rest.includes("--version")) return { kind: "version" };
  const file = rest[0];
  const overrides: Override[] = [];
  const stray: string[] = [];
  for (let i = 1; i < rest.length; i++) {
    const a = rest[i];
    let value: string | undefined;
    if (a === "--override") {
      value = rest[++i];
      if (value === undefined) {
        return { kind: "usage", message: "Option override requires an argument", exitCode: 1 };
      }
    } else if (a.startsWith("--override=")) {
      value = a.slice("--override=".length);
    } else {
      stray.push(a);
      continue;
    }
    // CommandLineUtils.parseKeyValueArgs: split at the first '='; no '=' is an empty value.
    const eq = value.indexOf("=");
    overrides.push(
      eq < 0 ? { key: value, value: "" } : { key: value.slice(0, eq), value: value.slice(eq + 1) },
    );
  }
  if (stray.length > 0) {
    return {
      kind: "usage",
      message: `Found non argument parameters: ${stray.join(",")}\n${OPTION_HELP}`,
      exitCode: 1,
    };
  }
  return {
    kind: "start",
    daemon,
    file,
    overrides,
    heapOpts: env.KAFKA_HEAP_OPTS ?? "-Xmx1G -Xms1G",
    kafkaOpts: env.KAFKA_OPTS ?? "",
  };
}
