/**
 * kafka-console-consumer: herd's kafka-console-consumer.sh, Kafka 2.8.2's ConsoleConsumer with
 * the same options, output and exit codes. With --topic it joins a consumer group (--group, or
 * Apache's random `console-consumer-NNNNN` with auto commit off) through kafka/client's group
 * client; --whitelist (a Java regex, java_regex.ts) subscribes to every topic whose whole name
 * matches, internal ones only with exclude.internal.topics=false, looking for new ones every
 * metadata.max.age.ms; with --partition it reads that partition alone. At exit it seeks each partition back to
 * its first record not printed (so a group commits exactly what was shown, as Apache's
 * resetUnconsumedOffsets does), closes the consumer and prints `Processed a total of N messages`
 * on stderr.
 *
 * @module
 */
import "../task_cwd.ts";
import { KafkaClient } from "../../kafka/client/client.ts";
import {
  Consumer,
  CONSUMER_DEFAULTS,
  type ConsumerOptions,
  type ConsumerRecord,
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
} from "../../kafka/client/consumer.ts";
import {
  err,
  KAFKA_VERSION_LINE,
  logLine,
  OptionError,
  out,
  type ParsedOptions,
  parseKeyValues,
  parseOptions,
  printUncaught,
  printUsage,
  readProperties,
} from "../_kafka_cli.ts";
import { formatRecord, formatterOptions } from "./formatter.ts";
import { compileJavaPattern, JavaPatternSyntaxError } from "./java_regex.ts";

const HERE = new URL(".", import.meta.url);
const LOGGER = "kafka.tools.ConsoleConsumer$";

const SPEC = {
  "bootstrap-server": "required",
  "consumer-property": "required",
  "consumer.config": "required",
  "enable-systest-events": "flag",
  "formatter": "required",
  "from-beginning": "flag",
  "group": "required",
  "help": "flag",
  "isolation-level": "required",
  "key-deserializer": "required",
  "max-messages": "required",
  "offset": "required",
  "partition": "required",
  "property": "required",
  "skip-message-on-error": "flag",
  "timeout-ms": "required",
  "topic": "required",
  "value-deserializer": "required",
  "version": "flag",
  "whitelist": "required",
} as const;

/** Refused before consuming: printed with the usage table. */
class UsageError extends Error {}

/** A consumer setting the Java client refuses (logged as "Unknown error when running consumer"). */
class ConfigError extends Error {}

interface Settings {
  bootstrap: string;
  topic: string;
  /** --whitelist, as given. */
  whitelist: string | undefined;
  /** exclude.internal.topics */
  excludeInternal: boolean;
  partition: number | undefined;
  /** For --partition: an offset, or EARLIEST_TIMESTAMP / LATEST_TIMESTAMP. */
  startAt: number;
  maxMessages: number;
  timeoutMs: number;
  groupId: string;
  clientId: string;
  consumer: ConsumerOptions;
  formatter: Map<string, string>;
}

function integer(o: ParsedOptions, name: string): number | undefined {
  const v = o.valueOf(name);
  if (v === undefined || v === null) return undefined;
  if (!/^[+-]?\d+$/.test(v)) {
    throw new OptionError(
      `Cannot parse argument '${v}' of option ${name}`,
      "joptsimple.OptionArgumentConversionException",
    );
  }
  return Number(v);
}

function settings(o: ParsedOptions): Settings {
  const topic = o.valueOf("topic");
  if ((topic ? 1 : 0) + (o.has("whitelist") ? 1 : 0) !== 1) {
    throw new UsageError("Exactly one of whitelist/topic is required.");
  }
  if (o.has("partition") && !topic) {
    throw new UsageError("The topic is required when partition is specified.");
  }
  if (o.has("offset") && !o.has("partition")) {
    throw new UsageError("The partition is required when offset is specified.");
  }
  const fromBeginning = o.has("from-beginning");
  let startAt = fromBeginning ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
  if (o.has("offset")) {
    const v = String(o.valueOf("offset")).toLowerCase();
    if (v === "earliest") startAt = EARLIEST_TIMESTAMP;
    else if (v === "latest") startAt = LATEST_TIMESTAMP;
    else if (/^\d+$/.test(v)) startAt = Number(v);
    else {
      throw new UsageError(
        `The provided offset value '${o.valueOf("offset")}' is incorrect. Valid values are ` +
          "'earliest', 'latest', or a non-negative long.",
      );
    }
  }
  const props = o.has("consumer.config")
    ? readProperties(o.valueOf("consumer.config")!)
    : new Map<string, string>();
  const fromCli = parseKeyValues(o.valuesOf("consumer-property"));
  for (const [k, v] of fromCli) props.set(k, v);
  const ids = [o.valueOf("group"), fromCli.get("group.id"), props.get("group.id")]
    .filter((x): x is string => typeof x === "string");
  const distinct = [...new Set(ids)];
  if (distinct.length > 1) {
    throw new UsageError(
      "The group ids provided in different places (directly using '--group', via " +
        "'--consumer-property', or via '--consumer.config') do not match. Detected group ids: " +
        distinct.map((g) => `'${g}'`).join(", "),
    );
  }
  let groupId = distinct[0];
  let autoCommit = props.get("enable.auto.commit");
  if (groupId === undefined) {
    // Apache's throwaway group: its offsets are never meant to be used again, so no commits.
    groupId = `console-consumer-${Math.floor(Math.random() * 100000)}`;
    autoCommit ??= "false";
  }
  const reset = props.get("auto.offset.reset");
  if (reset !== undefined) {
    if (fromBeginning && reset !== "earliest") {
      throw new UsageError(
        `Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', ` +
          "please remove one option",
      );
    }
  }
  const resetPolicy = reset ?? (fromBeginning ? "earliest" : "latest");
  if (!["earliest", "latest", "none"].includes(resetPolicy)) {
    throw new ConfigError(
      `Invalid value ${resetPolicy} for configuration auto.offset.reset: String must be one of: ` +
        "latest, earliest, none",
    );
  }
  const isolation = o.valueOf("isolation-level") ?? props.get("isolation.level") ??
    "read_uncommitted";
  if (isolation !== "read_committed" && isolation !== "read_uncommitted") {
    throw new ConfigError(
      `Invalid value ${isolation} for configuration isolation.level: String must be one of: ` +
        "read_committed, read_uncommitted",
    );
  }
  const num = (key: string, dflt: number) => props.has(key) ? Number(props.get(key)) : dflt;
  const exclude = (props.get("exclude.internal.topics") ?? "true").trim().toLowerCase();
  if (exclude !== "true" && exclude !== "false") {
    throw new ConfigError(
      `Invalid value ${props.get("exclude.internal.topics")} for configuration ` +
        "exclude.internal.topics: Expected value to be either true or false",
    );
  }
  return {
    bootstrap: o.valueOf("bootstrap-server")!,
    topic: topic!,
    whitelist: o.valueOf("whitelist") ?? undefined,
    excludeInternal: exclude === "true",
    partition: integer(o, "partition"),
    startAt,
    maxMessages: integer(o, "max-messages") ?? -1,
    timeoutMs: integer(o, "timeout-ms") ?? -1,
    groupId,
    clientId: props.get("client.id") ?? `consumer-${groupId}-1`,
    formatter: parseKeyValues(o.valuesOf("property")),
    consumer: {
      ...CONSUMER_DEFAULTS,
      groupId,
      autoOffsetReset: resetPolicy as "earliest",
      enableAutoCommit: (autoCommit ?? "true").trim().toLowerCase() === "true",
      autoCommitIntervalMs: num("auto.commit.interval.ms", 5000),
      isolationLevel: isolation === "read_committed" ? 1 : 0,
      metadataMaxAgeMs: num("metadata.max.age.ms", 300000),
      group: {
        ...CONSUMER_DEFAULTS.group,
        sessionTimeoutMs: num("session.timeout.ms", 10000),
        heartbeatIntervalMs: num("heartbeat.interval.ms", 3000),
        rebalanceTimeoutMs: num("max.poll.interval.ms", 300000),
      },
    },
  };
}

/** Stops the loop when SIGINT or SIGTERM comes, as the JVM's shutdown hook wakes the consumer. */
function onSignal(stop: (code: number) => void): () => void {
  const handlers: [Deno.Signal, () => void][] = [
    ["SIGINT", () => stop(130)],
    ["SIGTERM", () => stop(143)],
  ];
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  return () => {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  };
}

async function consume(s: Settings, whitelist: RegExp | undefined): Promise<number> {
  const client = new KafkaClient(s.bootstrap, s.clientId);
  const consumer = new Consumer(client, s.consumer);
  const fmt = formatterOptions(s.formatter);
  let stopped: number | undefined;
  let wake: () => void = () => {};
  const woken = new Promise<void>((r) => wake = r);
  const removeSignals = onSignal((code) => {
    stopped = code;
    wake();
  });
  let count = 0;
  let exit = 0;
  let buffered: ConsumerRecord[] = [];
  try {
    if (s.partition !== undefined) {
      consumer.assign([{ topic: s.topic, partition: s.partition }]);
      consumer.seek(s.topic, s.partition, s.startAt);
    } else if (whitelist !== undefined) {
      consumer.subscribePattern((t) => whitelist.test(t), s.excludeInternal);
    } else consumer.subscribe([s.topic]);
    loop: while (stopped === undefined && (s.maxMessages < 0 || count < s.maxMessages)) {
      if (buffered.length === 0) {
        const timeout = s.timeoutMs < 0 ? 2 ** 31 - 1 : s.timeoutMs;
        const polled = await Promise.race([consumer.poll(timeout), woken.then(() => undefined)]);
        if (polled === undefined) break;
        buffered = polled;
        if (buffered.length === 0) {
          logLine("ERROR", LOGGER, "Error processing message, terminating consumer process: ");
          err("org.apache.kafka.common.errors.TimeoutException\n");
          break loop;
        }
      }
      const r = buffered.shift()!;
      count++;
      out(formatRecord(r, fmt));
    }
  } catch (e) {
    logLine("ERROR", LOGGER, "Unknown error when running consumer: ");
    err(`${e instanceof Error ? `${javaName(e)}: ${e.message}` : String(e)}\n`);
    exit = 1;
  } finally {
    removeSignals();
    // resetUnconsumedOffsets: records fetched but not printed are fetched again next time.
    const firstUnprinted = new Map<string, ConsumerRecord>();
    for (const r of buffered) {
      const k = `${r.topic}\u0000${r.partition}`;
      if (!firstUnprinted.has(k)) firstUnprinted.set(k, r);
    }
    for (const r of firstUnprinted.values()) consumer.seek(r.topic, r.partition, r.offset);
    await consumer.close().catch(() => {});
    err(`Processed a total of ${count} messages\n`);
  }
  return stopped ?? exit;
}

function javaName(e: Error): string {
  if (e.name.includes(".")) return e.name;
  return `org.apache.kafka.common.errors.${e.name}`;
}

/** Runs the tool; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let o: ParsedOptions;
  try {
    o = parseOptions(SPEC, args);
  } catch (e) {
    if (e instanceof OptionError) return printUsage(HERE, e.message);
    throw e;
  }
  if (args.length === 0 || o.has("help")) {
    if (args.length === 0) {
      return printUsage(HERE, 'Missing required argument "[bootstrap-server]"');
    }
    return printUsage(
      HERE,
      "This tool helps to read data from Kafka topics and outputs it to standard output.",
    );
  }
  if (o.has("version")) {
    out(`${KAFKA_VERSION_LINE}\n`);
    return 0;
  }
  if (!o.has("bootstrap-server")) {
    return printUsage(HERE, 'Missing required argument "[bootstrap-server]"');
  }
  let s: Settings;
  try {
    s = settings(o);
  } catch (e) {
    if (e instanceof UsageError) return printUsage(HERE, e.message);
    if (e instanceof OptionError) return printUncaught(e);
    if (e instanceof ConfigError) {
      logLine("ERROR", LOGGER, "Unknown error when running consumer: ");
      // The consumer is built before the loop that reports the count: Apache prints none here.
      err(`org.apache.kafka.common.config.ConfigException: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let whitelist: RegExp | undefined;
  if (s.whitelist !== undefined) {
    try {
      whitelist = compileJavaPattern(s.whitelist);
    } catch (e) {
      // Pattern.compile throws while the consumer is being set up: no record count follows.
      logLine("ERROR", LOGGER, "Unknown error when running consumer: ");
      const name = e instanceof JavaPatternSyntaxError
        ? e.name
        : "java.lang.IllegalArgumentException";
      err(`${name}: ${e instanceof Error ? e.message : e}\n`);
      return 1;
    }
  }
  return await consume(s, whitelist);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
