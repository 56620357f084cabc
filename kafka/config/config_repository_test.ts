/**
 * The repository on herd's ZooKeeper: what it writes (Apache 2.8.2's bytes, recorded with
 * zkCli.sh after `kafka-configs.sh --alter`), what it applies from notifications other clients
 * write (kafka-configs --zookeeper, another broker), and the 15-minute purge.
 */
import assert from "node:assert/strict";
import { Logger } from "../../internal/mod.ts";
import { ManualClock } from "../../internal/clock.ts";
import { CreateMode, ZkClient } from "../../zk/client/mod.ts";
import { ZkServer } from "../../zk/server/server.ts";
import { BrokerConfigState } from "./broker_config_state.ts";
import { CONFIG_CHANGE_EXPIRATION_MS, ConfigRepository } from "./config_repository.ts";
import { parseServerProperties } from "./server_properties.ts";

const PROPS = "broker.id=0\nzookeeper.connect=127.0.0.1:2181\nlog.retention.hours=168\n";
const text = (b: Uint8Array | null) => b === null ? null : new TextDecoder().decode(b);

interface World {
  zk: ZkClient;
  other: ZkClient;
  repo: ConfigRepository;
  state: BrokerConfigState;
  clock: ManualClock;
  topics: [string, Map<string, string>][];
  brokers: [string, Map<string, string>][];
}

async function withRepo(
  setup: (zk: ZkClient) => Promise<void>,
  body: (w: World) => Promise<void>,
): Promise<void> {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  const zk = await ZkClient.connect(`127.0.0.1:${server.port}`);
  const other = await ZkClient.connect(`127.0.0.1:${server.port}`);
  const clock = new ManualClock(Date.now());
  const state = new BrokerConfigState(parseServerProperties(PROPS, "server.properties").config);
  const topics: [string, Map<string, string>][] = [];
  const brokers: [string, Map<string, string>][] = [];
  const repo = new ConfigRepository({
    zk,
    state,
    clock,
    onTopicConfigChange: (t, c) => topics.push([t, c]),
    onBrokerConfigChange: (e, c) => brokers.push([e, c]),
  });
  try {
    await setup(other);
    await body({ zk, other, repo, state, clock, topics, brokers });
  } finally {
    repo.stop();
    await zk.close();
    await other.close();
    await server.stop();
  }
}

async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What kafka-configs.sh --zookeeper does: the entity, then the notification. */
async function toolWrites(zk: ZkClient, entityPath: string, config: string): Promise<void> {
  await zk.setData(`/config/${entityPath}`, config).catch(() =>
    zk.create(`/config/${entityPath}`, config)
  );
  await zk.create(
    "/config/changes/config_change_",
    `{"version":2,"entity_path":"${entityPath}"}`,
    { mode: CreateMode.PERSISTENT_SEQUENTIAL },
  );
}

const basePaths = async (zk: ZkClient) => {
  for (const p of ["/config", "/config/changes", "/config/topics", "/config/brokers"]) {
    await zk.create(p, null);
  }
};

Deno.test({
  name: "config repository: writes the entity then a v2 notification, as Apache 2.8.2",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  // No /config at all: the writer creates the parents, as Kafka's createRecursive.
  await withRepo(async () => {}, async ({ zk, repo }) => {
    await repo.changeTopicConfig(
      "t",
      new Map([["max.message.bytes", "2000"], ["cleanup.policy", "compact,delete"]]),
    );
    // Apache 2.8.2 after `--add-config cleanup.policy=[compact,delete],max.message.bytes=2000`.
    assert.equal(
      text((await zk.getData("/config/topics/t")).data),
      `{"version":1,"config":{"cleanup.policy":"compact,delete","max.message.bytes":"2000"}}`,
    );
    assert.deepEqual(await zk.getChildren("/config/changes"), ["config_change_0000000000"]);
    assert.equal(
      text((await zk.getData("/config/changes/config_change_0000000000")).data),
      `{"version":2,"entity_path":"topics/t"}`,
    );
    // A second change sets the existing znode (version 1) and adds a notification.
    await repo.changeBrokerConfig(null, new Map([["message.max.bytes", "2000000"]]));
    await repo.changeTopicConfig("t", new Map());
    const t = await zk.getData("/config/topics/t");
    assert.equal(text(t.data), `{"version":1,"config":{}}`);
    assert.equal(t.stat.version, 1);
    assert.equal(
      text((await zk.getData("/config/brokers/<default>")).data),
      `{"version":1,"config":{"message.max.bytes":"2000000"}}`,
    );
    assert.equal((await zk.getChildren("/config/changes")).length, 3);
    assert.deepEqual(await repo.fetchEntityConfig("topics", "absent"), new Map());
  });
});

Deno.test({
  name: "config repository: applies what other clients write, and only this broker's entities",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await withRepo(async (zk) => {
    await basePaths(zk);
    // Written before the broker starts: start() picks up the broker configs and the pending
    // notification, then hands over every topic's overrides.
    await zk.create("/config/brokers/0", `{"version":1,"config":{"log.cleaner.threads":"2"}}`);
    await zk.create("/config/topics/old", `{"version":1,"config":{"retention.ms":"5"}}`);
    await toolWrites(zk, "topics/old", `{"version":1,"config":{"retention.ms":"5"}}`);
  }, async ({ other, repo, state, topics, brokers }) => {
    await repo.start();
    assert.deepEqual(state.dynamicBrokerConfigs, new Map([["log.cleaner.threads", "2"]]));
    assert.deepEqual(topics, [
      ["old", new Map([["retention.ms", "5"]])],
      ["old", new Map([["retention.ms", "5"]])],
    ]);
    assert.equal(repo.lastChange, 0);
    topics.length = 0;

    await toolWrites(other, "topics/t", `{"version":1,"config":{"retention.ms":"1000"}}`);
    await until("the topic change", () => topics.length === 1);
    assert.deepEqual(topics[0], ["t", new Map([["retention.ms", "1000"]])]);

    // Another broker's entity is not ours; the cluster default is. A read-only key stored
    // there is dropped, as Kafka's removeInvalidConfigs drops it.
    await toolWrites(other, "brokers/7", `{"version":1,"config":{"log.cleaner.threads":"9"}}`);
    await toolWrites(
      other,
      "brokers/<default>",
      `{"version":1,"config":{"log.retention.ms":"3600000","broker.id":"4"}}`,
    );
    await until("the default change", () => brokers.length === 1);
    assert.equal(brokers[0][0], "<default>");
    assert.deepEqual(state.dynamicDefaultConfigs, new Map([["log.retention.ms", "3600000"]]));
    assert.equal(state.effective.logRetentionMs, 3_600_000);
    assert.equal(state.staticConfig.logRetentionMs, 604_800_000);
    assert.deepEqual(state.dynamicBrokerConfigs, new Map([["log.cleaner.threads", "2"]]));

    // A v1 notification (older tools) and a stray child: the first applies, the second is
    // skipped (Kafka's own loop would stop on it).
    await other.create("/config/changes/stray", "x");
    await other.setData("/config/topics/t", `{"version":1,"config":{"retention.ms":"7"}}`);
    await other.create(
      "/config/changes/config_change_",
      `{"version":1,"entity_type":"topics","entity_name":"t"}`,
      { mode: CreateMode.PERSISTENT_SEQUENTIAL },
    );
    await until("the v1 change", () => topics.length === 2);
    assert.deepEqual(topics[1], ["t", new Map([["retention.ms", "7"]])]);
  });
});

Deno.test({
  name: "config repository: notifications older than 15 minutes are deleted",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await withRepo(basePaths, async ({ other, repo, clock, topics }) => {
    await repo.start();
    await toolWrites(other, "topics/a", `{"version":1,"config":{}}`);
    await until("the first change", () => topics.length === 1);
    // Still young: kept.
    assert.deepEqual(await other.getChildren("/config/changes"), ["config_change_0000000000"]);
    clock.advance(CONFIG_CHANGE_EXPIRATION_MS + 1000);
    await toolWrites(other, "topics/b", `{"version":1,"config":{}}`);
    await until(
      "the old notifications to go",
      async () => (await other.getChildren("/config/changes")).length === 0,
    );
    // Both were applied first, once each.
    assert.deepEqual(topics.map(([t]) => t), ["a", "b"]);
  });
});
