/**
 * Apache's own `kafka-configs.sh` (kafka.admin.ConfigCommand 2.8.2) against herd's listener with
 * the config handlers registered prints what it printed against Apache 2.8.2
 * (testdata/apache-2.8.2-kafka-configs.txt: 14 commands in order — describe, --all, alter with
 * --add-config and --delete-config, a bad value, an unknown topic, the broker's configs, the
 * cluster default, a read-only broker key — each with its output and exit code).
 */
import assert from "node:assert/strict";
import { apacheIgnored, freePort, KAFKA_BIN, requireApache } from "../log/_apache.ts";
import { KafkaListener } from "../server/server.ts";
import { staticBrokerState } from "../server/broker_state.ts";
import { Logger } from "../../internal/log.ts";
import { handleMetadata } from "./03_metadata.ts";
import { handleApiVersions } from "./18_api_versions.ts";
import { handleListPartitionReassignments } from "./46_list_partition_reassignments.ts";
import { handleDescribeCluster } from "./60_describe_cluster.ts";
import { until, withConfigWorld } from "./_config_test_setup.ts";
import { encodeEntityConfig } from "../config/mod.ts";

const FIXTURE = Deno.readTextFileSync(
  new URL("./testdata/apache-2.8.2-kafka-configs.txt", import.meta.url),
);
const SERVER_PROPERTIES = JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/apache-2.8.2-configs.jsonl", import.meta.url))
    .split("\n")[0],
).serverProperties;

/** The recorded commands: arguments after the bootstrap, then the output and exit code. */
function commands(): { args: string; output: string; exit: number }[] {
  const out: { args: string; output: string; exit: number }[] = [];
  for (const block of FIXTURE.split(/^\$ kafka-configs\.sh --bootstrap-server BOOTSTRAP /m)) {
    if (block === "") continue;
    const lines = block.split("\n");
    const exitLine = lines.findLastIndex((l) => l.startsWith("exit "));
    out.push({
      args: lines[0],
      output: lines.slice(1, exitLine).join("\n"),
      exit: Number(lines[exitLine].slice(5)),
    });
  }
  return out;
}

Deno.test({
  name: "kafka-configs.sh against herd prints what it printed against Apache 2.8.2",
  ignore: apacheIgnored("kafka-configs.sh against herd"),
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  requireApache();
  await withConfigWorld(SERVER_PROPERTIES, async (w) => {
    const port = freePort();
    const state = staticBrokerState({ host: "127.0.0.1", port, topics: { t: 1 } });
    w.handlers.register(3, handleMetadata).register(18, handleApiVersions)
      .register(46, handleListPartitionReassignments).register(60, handleDescribeCluster);
    const listener = KafkaListener.start({
      hostname: "127.0.0.1",
      port,
      state,
      handlers: w.handlers,
      log: new Logger("", "ERROR"),
    });
    try {
      for (const c of commands()) {
        const bootstrap = `127.0.0.1:${port}`;
        // One pipe for both streams, as recorded (`2>&1`), so their interleaving is the tool's.
        const run = await new Deno.Command("bash", {
          args: [
            "-c",
            `"$0" kafka.admin.ConfigCommand --bootstrap-server ${bootstrap} ${c.args} 2>&1`,
            `${KAFKA_BIN}/kafka-run-class.sh`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        // The fixture's broker listened on 127.0.0.1:29092, which its listeners= line (in the
        // server.properties herd is given too) names: both became BOOTSTRAP there.
        const printed = new TextDecoder().decode(run.stdout).replaceAll(bootstrap, "BOOTSTRAP")
          .replaceAll("127.0.0.1:29092", "BOOTSTRAP");
        assert.equal(printed.trimEnd(), c.output.trimEnd(), `kafka-configs.sh ${c.args}`);
        assert.equal(run.code, c.exit, `exit code of kafka-configs.sh ${c.args}`);
      }
    } finally {
      await listener.close();
    }
  });
});

/** `kafka-topics.sh --describe`'s topic line: its Configs come from DescribeConfigs. */
async function topicsDescribe(port: number): Promise<string> {
  const run = await new Deno.Command(`${KAFKA_BIN}/kafka-topics.sh`, {
    args: ["--bootstrap-server", `127.0.0.1:${port}`, "--describe", "--topic", "t"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(run.stdout);
  assert.equal(run.code, 0, out + new TextDecoder().decode(run.stderr));
  return out.split("\n")[0].replace(/TopicId: \S+/, "TopicId: ID");
}

Deno.test({
  name: "kafka-topics.sh --describe shows the overrides and static broker configs as Apache does",
  ignore: apacheIgnored("kafka-topics.sh --describe against herd"),
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  requireApache();
  await withConfigWorld(SERVER_PROPERTIES, async (w) => {
    const port = freePort();
    const state = staticBrokerState({ host: "127.0.0.1", port, topics: { t: 1 } });
    w.handlers.register(3, handleMetadata).register(18, handleApiVersions)
      .register(46, handleListPartitionReassignments).register(60, handleDescribeCluster);
    const listener = KafkaListener.start({
      hostname: "127.0.0.1",
      port,
      state,
      handlers: w.handlers,
      log: new Logger("", "ERROR"),
    });
    try {
      // Apache 2.8.2, same server.properties (log.segment.bytes set): segment.bytes shows as a
      // static broker config; after --add-config retention.ms=1000 the override follows it.
      assert.equal(
        await topicsDescribe(port),
        "Topic: t\tTopicId: ID\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: segment.bytes=1073741824",
      );
      await w.repo.changeTopicConfig("t", new Map([["retention.ms", "1000"]]));
      assert.equal(
        await topicsDescribe(port),
        "Topic: t\tTopicId: ID\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: segment.bytes=1073741824,retention.ms=1000",
      );
    } finally {
      await listener.close();
    }
  });
});

/** Runs Apache's ConfigCommand with `args`; returns what it printed (both streams). */
async function configCommand(args: string[]): Promise<string> {
  const run = await new Deno.Command(`${KAFKA_BIN}/kafka-run-class.sh`, {
    args: ["kafka.admin.ConfigCommand", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
  assert.equal(run.code, 0, out);
  return out;
}

Deno.test({
  name: "kafka-configs.sh --zookeeper and broker alters reach herd through /config/changes",
  ignore: apacheIgnored("kafka-configs.sh --zookeeper against herd"),
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  requireApache();
  await withConfigWorld(SERVER_PROPERTIES, async (w) => {
    const port = freePort();
    const state = staticBrokerState({ host: "127.0.0.1", port, topics: { t: 1 } });
    w.handlers.register(3, handleMetadata).register(18, handleApiVersions);
    const listener = KafkaListener.start({
      hostname: "127.0.0.1",
      port,
      state,
      handlers: w.handlers,
      log: new Logger("", "ERROR"),
    });
    try {
      // The tool writes ZooKeeper itself (Java's Properties order in the JSON); herd's
      // repository applies the notification like any 2.8 broker.
      await configCommand([
        "--zookeeper",
        w.zkAddress,
        "--entity-type",
        "topics",
        "--entity-name",
        "t",
        "--alter",
        "--add-config",
        "retention.ms=1000,max.message.bytes=2000",
      ]);
      const t = await w.zk.getData("/config/topics/t");
      assert.equal(
        new TextDecoder().decode(t.data!),
        `{"version":1,"config":{"max.message.bytes":"2000","retention.ms":"1000"}}`,
      );
      // herd writes the same bytes for the same configs, whatever order it is handed them in.
      assert.equal(
        encodeEntityConfig(new Map([["retention.ms", "1000"], ["max.message.bytes", "2000"]])),
        new TextDecoder().decode(t.data!),
      );
      await until("the topic notification", () => w.topicChanges.length > 0);
      assert.deepEqual(
        w.topicChanges.at(-1),
        ["t", new Map([["max.message.bytes", "2000"], ["retention.ms", "1000"]])],
      );
      // No broker registered in /brokers/ids: the tool may set the cluster default.
      await configCommand([
        "--zookeeper",
        w.zkAddress,
        "--entity-type",
        "brokers",
        "--entity-default",
        "--alter",
        "--add-config",
        "log.retention.ms=3600000",
      ]);
      await until(
        "the default notification",
        () => w.state.dynamicDefaultConfigs.get("log.retention.ms") === "3600000",
      );
      // A per-broker change through the broker itself (IncrementalAlterConfigs), seen back.
      await configCommand([
        "--bootstrap-server",
        `127.0.0.1:${port}`,
        "--entity-type",
        "brokers",
        "--entity-name",
        "0",
        "--alter",
        "--add-config",
        "log.cleaner.threads=2",
      ]);
      await until(
        "the broker notification",
        () => w.state.dynamicBrokerConfigs.get("log.cleaner.threads") === "2",
      );
      // The tool shows the entries whose source is the entity's own level.
      const describe = (entity: string[]) =>
        configCommand([
          "--bootstrap-server",
          `127.0.0.1:${port}`,
          "--entity-type",
          "brokers",
          ...entity,
          "--describe",
        ]);
      assert.equal(
        await describe(["--entity-name", "0"]),
        "Dynamic configs for broker 0 are:\n" +
          "  log.cleaner.threads=2 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.cleaner.threads=2, DEFAULT_CONFIG:log.cleaner.threads=1}\n",
      );
      assert.equal(
        await describe(["--entity-default"]),
        "Default configs for brokers in the cluster are:\n" +
          "  log.retention.ms=3600000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=3600000}\n",
      );
    } finally {
      await listener.close();
    }
  });
});
