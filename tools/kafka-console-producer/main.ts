/**
 * kafka-console-producer: herd's kafka-console-producer.sh, Kafka 2.8.2's ConsoleProducer with
 * the same options, output and exit codes: one record per line of stdin, `>` before each line
 * when stdin and stdout are a terminal (Java's `System.console() != null`), keys split off with
 * `--property parse.key=true`, errors logged as Apache's ErrorLoggingCallback logs them.
 *
 * As in 2.8.2 (measured: `--producer-property compression.type=gzip` stores NONE batches), the
 * tool's own options, defaults included, override --producer-property and --producer.config
 * for acks, compression.type, linger.ms, batch.size, retries, retry.backoff.ms,
 * request.timeout.ms and max.block.ms; client.id comes from them when set.
 *
 * @module
 */
import "../task_cwd.ts";
import { KafkaClient } from "../../kafka/client/client.ts";
import { ClientException, Producer, type ProducerOptions } from "../../kafka/client/producer.ts";
import { compressionByName } from "../../kafka/protocol/records/attributes.ts";
import {
  err,
  KAFKA_VERSION_LINE,
  logLine,
  OptionError,
  out,
  parseKeyValues,
  parseOptions,
  printException,
  printUsage,
  readProperties,
  validHostPorts,
} from "../_kafka_cli.ts";
import { readLines } from "./lines.ts";

const HERE = new URL(".", import.meta.url);

const SPEC = {
  "batch-size": "required",
  "bootstrap-server": "required",
  "broker-list": "required",
  "compression-codec": "optional",
  "help": "flag",
  "line-reader": "required",
  "max-block-ms": "required",
  "max-memory-bytes": "required",
  "max-partition-memory-bytes": "required",
  "message-send-max-retries": "required",
  "metadata-expiry-ms": "required",
  "producer-property": "required",
  "producer.config": "required",
  "property": "required",
  "request-required-acks": "required",
  "request-timeout-ms": "required",
  "retry-backoff-ms": "required",
  "socket-buffer-size": "required",
  "sync": "flag",
  "timeout": "required",
  "topic": "required",
  "version": "flag",
} as const;

/** A setting the Java producer refuses, as the exception (and cause) it throws. */
class ConfigException extends Error {
  constructor(
    message: string,
    readonly className = "org.apache.kafka.common.config.ConfigException",
    readonly causeLine?: string,
  ) {
    super(message);
  }
}

function intOption(o: ReturnType<typeof parseOptions>, name: string, dflt: number): number {
  const v = o.valueOf(name);
  if (v === undefined || v === null) return dflt;
  if (!/^[+-]?\d+$/.test(v.trim())) {
    throw new OptionError(
      `Cannot parse argument '${v}' of option ${name}`,
      "joptsimple.OptionArgumentConversionException",
    );
  }
  return Number(v);
}

function acksOf(v: string): number {
  const t = v.trim();
  if (t === "all" || t === "-1") return -1;
  if (t === "0" || t === "1") return Number(t);
  throw new ConfigException(
    `Invalid value ${v} for configuration acks: String must be one of: all, -1, 0, 1`,
  );
}

interface Settings {
  topic: string;
  bootstrap: string;
  clientId: string;
  sync: boolean;
  producer: ProducerOptions;
  reader: Map<string, string>;
}

function settings(o: ReturnType<typeof parseOptions>): Settings {
  const props = o.has("producer.config")
    ? readProperties(o.valueOf("producer.config")!)
    : new Map<string, string>();
  for (const [k, v] of parseKeyValues(o.valuesOf("producer-property"))) props.set(k, v);
  const codecName = o.has("compression-codec")
    ? (o.valueOf("compression-codec") || "gzip")
    : "none";
  const compression = compressionByName(codecName);
  if (compression === undefined) {
    throw new ConfigException(
      "Failed to construct kafka producer",
      "org.apache.kafka.common.KafkaException",
      `java.lang.IllegalArgumentException: Unknown compression name: ${codecName}`,
    );
  }
  return {
    topic: o.valueOf("topic")!,
    bootstrap: (o.valueOf("bootstrap-server") ?? o.valueOf("broker-list"))!,
    clientId: props.get("client.id") ?? "console-producer",
    sync: o.has("sync"),
    reader: parseKeyValues(o.valuesOf("property")),
    producer: {
      acks: acksOf(o.valueOf("request-required-acks") ?? "1"),
      compression,
      lingerMs: intOption(o, "timeout", 1000),
      batchSize: intOption(o, "max-partition-memory-bytes", 16384),
      requestTimeoutMs: intOption(o, "request-timeout-ms", 1500),
      retries: intOption(o, "message-send-max-retries", 3),
      retryBackoffMs: intOption(o, "retry-backoff-ms", 100),
      maxBlockMs: intOption(o, "max-block-ms", 60000),
      log: logLine,
    },
  };
}

const utf8 = new TextEncoder();

function describeBytes(b: Uint8Array | null): string {
  return b === null ? "null" : `${b.length} bytes`;
}

/** ErrorLoggingCallback's line, then the exception's. */
function logSendError(topic: string, key: Uint8Array | null, value: Uint8Array, e: unknown): void {
  logLine(
    "ERROR",
    "org.apache.kafka.clients.producer.internals.ErrorLoggingCallback",
    `Error when sending message to topic ${topic} with key: ${describeBytes(key)}, value: ${
      describeBytes(value)
    } with error:`,
  );
  const [cls, msg] = exceptionOf(e);
  err(`${cls}: ${msg}\n`);
}

function exceptionOf(e: unknown): [string, string] {
  if (e instanceof ClientException) return [e.className, e.message];
  if (e instanceof Error) return ["org.apache.kafka.common.KafkaException", e.message];
  return ["org.apache.kafka.common.KafkaException", String(e)];
}

class NoKeyError extends Error {}

async function produce(s: Settings): Promise<number> {
  const client = new KafkaClient(s.bootstrap, s.clientId);
  client.retryBackoffMs = s.producer.retryBackoffMs;
  client.onConnectFailure = (i, host, port) => {
    const where = "org.apache.kafka.clients.NetworkClient";
    const who = `[Producer clientId=${s.clientId}]`;
    logLine(
      "WARN",
      where,
      `${who} Connection to node ${-1 - i} (/${host}:${port}) could not be established. ` +
        "Broker may not be available.",
    );
    logLine(
      "WARN",
      where,
      `${who} Bootstrap broker ${host}:${port} (id: ${-1 - i} rack: null) disconnected`,
    );
  };
  const producer = new Producer(client, s.producer);
  const parseKey = (s.reader.get("parse.key") ?? "").trim().toLowerCase() === "true";
  const separator = s.reader.get("key.separator") ?? "\t";
  const ignoreError = (s.reader.get("ignore.error") ?? "").trim().toLowerCase() === "true";
  const prompt = Deno.stdin.isTerminal() && Deno.stdout.isTerminal();
  let lineNumber = 0;
  let code = 0;
  try {
    for await (const line of readLines(Deno.stdin.readable, () => prompt && out(">"))) {
      lineNumber++;
      let key: Uint8Array | null = null;
      let value: Uint8Array = utf8.encode(line);
      if (parseKey) {
        const n = line.indexOf(separator);
        if (n < 0) {
          if (!ignoreError) throw new NoKeyError(`No key found on line ${lineNumber}: ${line}`);
        } else {
          key = utf8.encode(line.slice(0, n));
          value = utf8.encode(line.slice(n + separator.length));
        }
      }
      const record = { topic: s.topic, key, value };
      if (s.sync) {
        try {
          await (await producer.append(record)).ack;
        } catch (e) {
          const [cls, msg] = exceptionOf(e);
          printException(
            "java.util.concurrent.ExecutionException",
            `${cls}: ${msg}`,
            `${cls}: ${msg}`,
          );
          code = 1;
          break;
        }
        continue;
      }
      try {
        const { ack } = await producer.append(record);
        ack.catch((e) => logSendError(s.topic, key, value, e));
      } catch (e) {
        logSendError(s.topic, key, value, e);
      }
    }
  } catch (e) {
    if (!(e instanceof NoKeyError)) throw e;
    printException("org.apache.kafka.common.KafkaException", e.message);
    code = 1;
  }
  // Exit runs the shutdown hook: producer.close() sends what is still buffered.
  await producer.close();
  return code;
}

/** Runs the tool; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let o: ReturnType<typeof parseOptions>;
  try {
    o = parseOptions(SPEC, args);
  } catch (e) {
    if (e instanceof OptionError) return printUsage(HERE, e.message);
    throw e;
  }
  if (args.length === 0 || o.has("help")) {
    if (args.length === 0) return printUsage(HERE, "Missing required option(s) [bootstrap-server]");
    return printUsage(
      HERE,
      "This tool helps to read data from standard input and publish it to Kafka.",
    );
  }
  if (o.has("version")) {
    out(`${KAFKA_VERSION_LINE}\n`);
    return 0;
  }
  if (!o.has("bootstrap-server") && !o.has("broker-list")) {
    return printUsage(HERE, "Missing required option(s) [bootstrap-server]");
  }
  if (!o.has("topic")) return printUsage(HERE, 'Missing required argument "[topic]"');
  const hostPorts = (o.valueOf("bootstrap-server") ?? o.valueOf("broker-list"))!;
  if (!validHostPorts(hostPorts)) {
    return printUsage(HERE, "Please provide valid host:port like host1:9091,host2:9092\n ");
  }
  let s: Settings;
  try {
    s = settings(o);
  } catch (e) {
    if (e instanceof OptionError) return printUsage(HERE, e.message);
    if (e instanceof ConfigException) {
      printException(e.className, e.message, e.causeLine);
      return 1;
    }
    const m = e instanceof Error ? e.message : String(e);
    printException("org.apache.kafka.common.KafkaException", m);
    return 1;
  }
  try {
    return await produce(s);
  } catch (e) {
    const [cls, msg] = exceptionOf(e);
    printException(cls, msg);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
