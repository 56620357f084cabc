/**
 * A broker's start-up writes on an empty ZooKeeper leave the tree a 2.8 broker leaves: the
 * seed's `ls /` after its brokers started (seed lines 3285-3289), and the znodes, data versions
 * and JSON that zk-layout.md §1.2 and apache-2.8.2.md record for broker 1.
 */
import assert from "node:assert/strict";
import { ZkClient } from "../../zk/client/mod.ts";
import { Logger } from "../../internal/mod.ts";
import { ZkServer } from "../../zk/server/server.ts";
import { BrokerIdInUseError, KafkaZkBootstrap, newClusterId } from "./zk_bootstrap.ts";
import { encodeBroker } from "./znodes.ts";

const REG = {
  endpoints: ["PLAINTEXT://127.0.0.1:9092"],
  securityProtocolMap: [["PLAINTEXT", "PLAINTEXT"]] as [string, string][],
  jmxPort: -1,
  timestamp: 1765000000000,
};

async function withZk(body: (addr: string) => Promise<void>): Promise<void> {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  try {
    await body(`127.0.0.1:${server.port}`);
  } finally {
    await server.stop();
  }
}

Deno.test({
  name: "kafka zk bootstrap: an empty ZooKeeper ends as a 2.8 broker leaves it",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await withZk(async (addr) => {
    const zk = await ZkClient.connect(addr);
    const other = await ZkClient.connect(addr);
    try {
      const b = new KafkaZkBootstrap(zk);
      await b.ensurePaths();
      const clusterId = await b.clusterId();
      assert.match(clusterId, /^[A-Za-z0-9_-]{22}$/);
      const epoch = await b.registerBroker(1, REG);
      const block = await b.claimProducerIdBlock(1);
      const won = await b.electController(1, 1765000000001);
      await b.ensureFeature();
      assert.deepEqual(won, { won: true, epoch: 1, epochZkVersion: 1 });
      assert.deepEqual(block, { brokerId: 1, start: 0n, end: 999n });

      // The seed's `ls /` after its brokers started.
      assert.deepEqual((await zk.getChildren("/")).sort(), [
        "admin",
        "brokers",
        "cluster",
        "config",
        "consumers",
        "controller",
        "controller_epoch",
        "feature",
        "isr_change_notification",
        "latest_producer_id_block",
        "log_dir_event_notification",
        "zookeeper",
      ]);
      const text = async (p: string) => {
        const r = await zk.getData(p);
        return [r.data === null ? null : new TextDecoder().decode(r.data), r.stat.version];
      };
      // /brokers/ids/1 at dataVersion 1, its czxid the broker epoch.
      assert.deepEqual(await text("/brokers/ids/1"), [encodeBroker(REG), 1]);
      assert.equal((await zk.getData("/brokers/ids/1")).stat.czxid, epoch);
      assert.equal((await zk.getData("/brokers/ids/1")).stat.ephemeralOwner, zk.sessionId);
      assert.deepEqual(await text("/controller_epoch"), ["1", 1]);
      assert.deepEqual(await text("/controller"), [
        `{"version":1,"brokerid":1,"timestamp":"1765000000001"}`,
        0,
      ]);
      assert.deepEqual(await text("/latest_producer_id_block"), [
        `{"version":1,"broker":1,"block_start":"0","block_end":"999"}`,
        1,
      ]);
      assert.deepEqual(await text("/feature"), [`{"features":{},"status":1,"version":1}`, 0]);
      assert.deepEqual(await text("/cluster/id"), [`{"version":"1","id":"${clusterId}"}`, 0]);
      for (const p of ["/consumers", "/brokers/seqid", "/admin/delete_topics", "/config/ips"]) {
        assert.deepEqual(await text(p), [null, 0], p);
      }

      // A second broker: same cluster id, the next producer-id block, no controllership.
      const b2 = new KafkaZkBootstrap(other);
      await b2.ensurePaths();
      assert.equal(await b2.clusterId(() => "never-used"), clusterId);
      await b2.registerBroker(2, { ...REG, endpoints: ["PLAINTEXT://127.0.0.1:9093"] });
      assert.deepEqual(await b2.claimProducerIdBlock(2), { brokerId: 2, start: 1000n, end: 1999n });
      assert.deepEqual(await b2.electController(2), { won: false, controller: 1 });
      // Broker id 1 is live in another session: refused; the same session may register again.
      await assert.rejects(b2.registerBroker(1, REG), BrokerIdInUseError);
      assert.equal(await b.registerBroker(1, REG), epoch);
    } finally {
      await other.close();
      await zk.close();
    }
  });
});

Deno.test("kafka zk bootstrap: cluster ids are 22-character url-safe base64 UUIDs", () => {
  const ids = new Set(Array.from({ length: 50 }, newClusterId));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
});
