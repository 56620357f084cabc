/**
 * kafka-topics: herd's kafka-topics.sh, Kafka 2.8's TopicCommand with the same options, output
 * and exit codes. `--zookeeper` writes the znodes any Kafka 2.8 controller (Apache's or herd's)
 * acts on; `--bootstrap-server` sends the AdminClient's requests to a broker (admin_topics.ts).
 *
 * @module
 */
import "../task_cwd.ts";
import { ZkClient } from "../../zk/client/mod.ts";
import { kafkaLayout, logTimestamp } from "../../internal/log.ts";
import {
  checkTopicOptions,
  OptionsError,
  parseTopicOptions,
  type TopicOptions,
  valueOf,
} from "./options.ts";
import { TopicCommandError, type TopicRequest, ZkTopicService } from "./zk_topics.ts";
import { AdminTopicService } from "./admin_topics.ts";
import { KafkaClient } from "../../kafka/client/mod.ts";

const VERSION = "2.8.2 (Commit:3146c6ff4a24cc24)";
const encoder = new TextEncoder();
const stdout = (text: string) => void Deno.stdout.writeSync(encoder.encode(text));
const stderr = (text: string) => void Deno.stderr.writeSync(encoder.encode(text));

function usage(message: string): number {
  const table = Deno.readTextFileSync(new URL("./usage.txt", import.meta.url));
  stderr(`${message}\n${table}`);
  return 1;
}

function int(o: TopicOptions, name: "partitions" | "replication-factor"): number | undefined {
  const v = valueOf(o, name);
  if (v === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(v)) {
    throw new TopicCommandError(
      `Cannot parse argument '${v}' of option ${name}`,
      "joptsimple.OptionArgumentConversionException",
    );
  }
  return Number(v);
}

async function run(o: TopicOptions): Promise<number> {
  const r: TopicRequest = {
    topic: valueOf(o, "topic"),
    partitions: int(o, "partitions"),
    replicationFactor: int(o, "replication-factor"),
    configs: o.values.get("config") ?? [],
    ifExists: o.flags.has("if-exists"),
    ifNotExists: o.flags.has("if-not-exists"),
    excludeInternal: o.flags.has("exclude-internal"),
    topicsWithOverrides: o.flags.has("topics-with-overrides"),
    underReplicated: o.flags.has("under-replicated-partitions"),
    unavailable: o.flags.has("unavailable-partitions"),
  };
  const zkConnect = valueOf(o, "zookeeper");
  if (zkConnect === undefined) return await runAdmin(o, r);
  let zk: ZkClient;
  try {
    zk = await ZkClient.connect(zkConnect, { sessionTimeout: 30000, connectTimeout: 30000 });
  } catch {
    throw new TopicCommandError(
      "Timed out waiting for connection while in state: CONNECTING",
      "kafka.zookeeper.ZooKeeperClientTimeoutException",
    );
  }
  try {
    const service = new ZkTopicService(zk, stdout);
    if (o.flags.has("create")) await service.create(r);
    else if (o.flags.has("list")) await service.list(r);
    else if (o.flags.has("describe")) await service.describe(r);
    else if (o.flags.has("alter")) await service.alter(r);
    else await service.delete(r);
    return 0;
  } finally {
    await zk.close();
  }
}

/** `--bootstrap-server`: the same actions as requests to a broker. */
async function runAdmin(o: TopicOptions, r: TopicRequest): Promise<number> {
  const client = new KafkaClient(valueOf(o, "bootstrap-server")!, "adminclient-1");
  try {
    const service = new AdminTopicService(client, stdout);
    if (o.flags.has("create")) await service.create(r);
    else if (o.flags.has("list")) await service.list(r);
    else if (o.flags.has("describe")) await service.describe(r);
    else if (o.flags.has("alter")) await service.alter(r);
    else await service.delete(r);
    return 0;
  } finally {
    await client.close();
  }
}

/** Runs the tool; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let o: TopicOptions;
  try {
    if (args.length === 0) return usage("Create, delete, describe, or change a topic.");
    o = parseTopicOptions(args);
    if (o.flags.has("help")) {
      return usage("This tool helps to create, delete, describe, or change a topic.");
    }
    if (o.flags.has("version")) {
      stdout(`${VERSION}\n`);
      return 0;
    }
    checkTopicOptions(o);
  } catch (e) {
    if (!(e instanceof OptionsError)) throw e;
    if (e.form === "usage") return usage(e.message);
    stderr(`Exception in thread "main" ${e.message}\n`);
    return 1;
  }
  try {
    return await run(o);
  } catch (e) {
    const err = e instanceof TopicCommandError
      ? e
      : new TopicCommandError((e as Error)?.message ?? String(e), "java.lang.RuntimeException");
    stdout(`Error while executing topic command : ${err.message}\n`);
    // log4j's line, its message ending in the exception's own line break.
    const message = `${err.javaClass}: ${err.message}\n`;
    stderr(`${kafkaLayout(logTimestamp(), "ERROR", "kafka.admin.TopicCommand$", message, "")}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
