/**
 * Apache 2.8.2's own admin tools against herd's broker and against Apache's, side by side: the
 * tools that reach the APIs herd used to close the connection on (kafka-leader-election,
 * kafka-reassign-partitions, kafka-configs for client quotas and SCRAM credentials,
 * kafka-delegation-tokens) print the same against both, exit codes included. Also: herd's
 * broker has a handler for every API 2.8.2 advertises, and a SaslHandshake leaves the
 * connection open.
 *
 * DECISIONS.md: skipped with the reason printed when Java or the Kafka jars are missing, failing
 * under CI=true.
 */
import assert from "node:assert/strict";
import { Logger } from "../../internal/log.ts";
import { ZkServer } from "../../zk/server/server.ts";
import { parseServerProperties } from "../config/server_properties.ts";
import { BrokerConnection } from "../client/broker_connection.ts";
import { API_ENTRIES } from "../protocol/registry.ts";
import { KafkaBroker } from "../server/broker.ts";
import type { HandlerRegistry } from "./registry.ts";
import {
  ApacheBroker,
  apacheIgnored,
  freePort,
  KAFKA_BIN,
  kafkaTool,
  requireApache,
  ZooKeeper,
} from "../log/_apache.ts";

/** Arguments after `--bootstrap-server B` (W: a temp dir with the JSON plans). */
const COMMANDS: [string, string[]][] = [
  ["LeaderElectionCommand", ["--election-type", "preferred", "--all-topic-partitions"]],
  ["LeaderElectionCommand", ["--election-type", "preferred", "--topic", "t", "--partition", "0"]],
  ["LeaderElectionCommand", ["--election-type", "unclean", "--topic", "nope", "--partition", "0"]],
  ["ReassignPartitionsCommand", ["--reassignment-json-file", "W/same.json", "--execute"]],
  ["ReassignPartitionsCommand", ["--reassignment-json-file", "W/same.json", "--verify"]],
  ["ReassignPartitionsCommand", ["--reassignment-json-file", "W/other.json", "--execute"]],
  ["ReassignPartitionsCommand", ["--reassignment-json-file", "W/same.json", "--cancel"]],
  ["ConfigCommand", [
    "--entity-type",
    "clients",
    "--entity-name",
    "c1",
    "--alter",
    "--add-config",
    "producer_byte_rate=1024,consumer_byte_rate=2048",
  ]],
  ["ConfigCommand", [
    "--entity-type",
    "users",
    "--entity-name",
    "u1",
    "--entity-type",
    "clients",
    "--entity-name",
    "c2",
    "--alter",
    "--add-config",
    "request_percentage=12.5",
  ]],
  ["ConfigCommand", [
    "--entity-type",
    "clients",
    "--entity-default",
    "--alter",
    "--add-config",
    "consumer_byte_rate=99",
  ]],
  ["ConfigCommand", [
    "--entity-type",
    "users",
    "--entity-name",
    "alice",
    "--alter",
    "--add-config",
    "SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=alice-secret]",
  ]],
  ["ConfigCommand", ["--entity-type", "clients", "--describe"]],
  ["ConfigCommand", [
    "--entity-type",
    "users",
    "--entity-name",
    "u1",
    "--entity-type",
    "clients",
    "--describe",
  ]],
  ["ConfigCommand", ["--entity-type", "users", "--describe"]],
  ["ConfigCommand", [
    "--entity-type",
    "users",
    "--entity-name",
    "bob",
    "--alter",
    "--delete-config",
    "SCRAM-SHA-512",
  ]],
  ["DelegationTokenCommand", [
    "--command-config",
    "W/empty.properties",
    "--create",
    "--max-life-time-period",
    "-1",
  ]],
];

/** One tool run: output (both streams, as printed) with the varying parts replaced. */
async function tool(cls: string, bootstrap: string, args: string[], dir: string): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: [
      "-c",
      '"$@" 2>&1; echo "exit $?"',
      "bash",
      `${KAFKA_BIN}/kafka-run-class.sh`,
      `kafka.admin.${cls}`,
      "--bootstrap-server",
      bootstrap,
      ...args.map((a) => a.replace(/^W\//, `${dir}/`)),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).replaceAll(bootstrap, "BOOTSTRAP")
    .replaceAll(dir, "W").replace(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+\]/gm, "[TIME]");
}

async function writePlans(dir: string): Promise<void> {
  await Deno.writeTextFile(`${dir}/empty.properties`, "\n");
  const plan = (topic: string, partition: number, replicas: number[]) =>
    JSON.stringify({ version: 1, partitions: [{ topic, partition, replicas }] });
  await Deno.writeTextFile(`${dir}/same.json`, plan("t", 0, [1]));
  await Deno.writeTextFile(`${dir}/other.json`, plan("t", 1, [2]));
}

Deno.test({
  name: "Apache's admin tools print the same against herd's broker and Apache 2.8.2's",
  ignore: apacheIgnored("admin tools against herd and Apache"),
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  requireApache();
  const dir = await Deno.makeTempDir({ prefix: "herd-admin-tools-" });
  const zkHerd = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  zkHerd.start();
  let zkApache: ZooKeeper | undefined;
  let apache: ApacheBroker | undefined;
  let herd: KafkaBroker | undefined;
  try {
    await writePlans(dir);
    zkApache = await ZooKeeper.start();
    apache = new ApacheBroker(dir, `${dir}/apache-data`, zkApache.connect);
    const apacheStarted = apache.start();
    const port = freePort();
    const { config } = parseServerProperties(
      [
        "broker.id=1",
        `listeners=PLAINTEXT://127.0.0.1:${port}`,
        `log.dirs=${dir}/herd-data`,
        `zookeeper.connect=127.0.0.1:${zkHerd.port}`,
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "",
      ].join("\n"),
      "server.properties",
    );
    let registry: HandlerRegistry | undefined;
    herd = await KafkaBroker.start({
      config,
      log: new Logger("", "WARN", () => {}),
      handlers: (r) => registry = r,
    });
    // Every API 2.8.2 advertises has a handler: none closes the connection any more.
    assert.deepEqual(registry!.keys(), API_ENTRIES.map((e) => e.apiKey));
    const c = await BrokerConnection.connect("127.0.0.1", herd.port, "t");
    try {
      assert.deepEqual(await c.request(17, 1, { mechanism: "PLAIN" }), {
        errorCode: 34,
        mechanisms: [],
      });
      await c.send(3, { topics: null, allowAutoTopicCreation: false });
    } finally {
      c.close();
    }
    await apacheStarted;
    const bootstraps = [apache.bootstrap, `127.0.0.1:${herd.port}`];
    for (const b of bootstraps) {
      await kafkaTool("kafka-topics.sh", [
        "--bootstrap-server",
        b,
        "--create",
        "--topic",
        "t",
        "--partitions",
        "2",
        "--replication-factor",
        "1",
      ]);
    }
    for (const [cls, args] of COMMANDS) {
      const [a, h] = await Promise.all(bootstraps.map((b) => tool(cls, b, args, dir)));
      assert.equal(h, a, `${cls} ${args.join(" ")}`);
    }
  } finally {
    await herd?.shutdown();
    await apache?.kill();
    await zkApache?.stop();
    await zkHerd.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
