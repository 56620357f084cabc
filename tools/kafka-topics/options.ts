/**
 * kafka-topics.sh's command line as Kafka 2.8's TopicCommandOptions reads it (joptsimple: `--opt
 * value` or `--opt=value`, unique prefixes accepted, repeatable `--config`), and the checks it
 * makes before connecting, with its messages.
 *
 * @module
 */

const FLAGS = [
  "alter",
  "at-min-isr-partitions",
  "create",
  "delete",
  "describe",
  "disable-rack-aware",
  "exclude-internal",
  "force",
  "help",
  "if-exists",
  "if-not-exists",
  "list",
  "topics-with-overrides",
  "unavailable-partitions",
  "under-min-isr-partitions",
  "under-replicated-partitions",
  "version",
] as const;
const VALUED = [
  "bootstrap-server",
  "command-config",
  "config",
  "delete-config",
  "partitions",
  "replica-assignment",
  "replication-factor",
  "topic",
  "zookeeper",
] as const;
type Flag = typeof FLAGS[number];
type Valued = typeof VALUED[number];

/** The parsed command line. */
export interface TopicOptions {
  flags: Set<Flag>;
  /** Each valued option's values, in the order given. */
  values: Map<Valued, string[]>;
}

/**
 * A command line Kafka refuses before doing anything. `usage`: joptsimple prints its option table
 * after the message; `uncaught`: the JVM prints `Exception in thread "main" …` instead.
 */
export class OptionsError extends Error {
  override name = "OptionsError";
  constructor(message: string, readonly form: "usage" | "uncaught") {
    super(message);
  }
}

const ALL: readonly string[] = [...FLAGS, ...VALUED];

function resolve(name: string): string {
  if (ALL.includes(name)) return name;
  const matches = ALL.filter((o) => o.startsWith(name));
  if (matches.length === 1) return matches[0];
  throw new OptionsError(
    `joptsimple.UnrecognizedOptionException: ${name} is not a recognized option`,
    "uncaught",
  );
}

/**
 * Reads `args`.
 *
 * @example
 * ```ts
 * parseTopicOptions(["--list", "--zookeeper", "127.0.0.1:2181"]).flags.has("list"); // true
 * ```
 */
export function parseTopicOptions(args: readonly string[]): TopicOptions {
  const flags = new Set<Flag>();
  const values = new Map<Valued, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) continue; // joptsimple keeps non-options aside; TopicCommand ignores them
    const eq = a.indexOf("=");
    const name = resolve(eq < 0 ? a.slice(2) : a.slice(2, eq));
    if ((FLAGS as readonly string[]).includes(name)) {
      flags.add(name as Flag);
      continue;
    }
    let value: string | undefined = eq < 0 ? args[++i] : a.slice(eq + 1);
    if (value === undefined) {
      throw new OptionsError(
        `joptsimple.OptionMissingRequiredArgumentException: Option ${name} requires an argument`,
        "uncaught",
      );
    }
    value = value.trim();
    const list = values.get(name as Valued) ?? [];
    list.push(value);
    values.set(name as Valued, list);
  }
  return { flags, values };
}

/** The single value of `name` (joptsimple's valueOf: the first one). */
export function valueOf(o: TopicOptions, name: Valued): string | undefined {
  return o.values.get(name)?.[0];
}

/** TopicCommandOptions.checkArgs, in its order. */
export function checkTopicOptions(o: TopicOptions): void {
  const actions = (["create", "list", "alter", "describe", "delete"] as const)
    .filter((a) => o.flags.has(a));
  if (actions.length !== 1) {
    throw new OptionsError(
      "Command must include exactly one action: --list, --describe, --create, --alter or --delete",
      "usage",
    );
  }
  if (o.values.has("zookeeper") === o.values.has("bootstrap-server")) {
    throw new OptionsError(
      "java.lang.IllegalArgumentException: Only one of --bootstrap-server or --zookeeper must be specified",
      "uncaught",
    );
  }
  const need = (name: Valued) => {
    if (!o.values.has(name)) {
      throw new OptionsError(`Missing required argument "[${name}]"`, "usage");
    }
  };
  if (o.flags.has("create") || o.flags.has("alter") || o.flags.has("delete")) need("topic");
  // Only the ZooKeeper path needs them: a broker applies num.partitions and
  // default.replication.factor to a CreateTopics that leaves them out (-1).
  if (o.flags.has("create") && !o.values.has("replica-assignment") && o.values.has("zookeeper")) {
    need("partitions");
    need("replication-factor");
  }
}
