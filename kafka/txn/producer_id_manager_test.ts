import assert from "node:assert/strict";
import { Logger } from "../../internal/mod.ts";
import { ZkClient } from "../../zk/client/mod.ts";
import { ZkServer } from "../../zk/server/server.ts";
import { KafkaZkBootstrap } from "../controller/zk_bootstrap.ts";
import { type ClaimedBlock, ProducerIdManager } from "./producer_id_manager.ts";

/** Blocks of `size` from 0, counting claims. */
function blocks(size: number): { claim: () => Promise<ClaimedBlock>; claims: number } {
  const state = {
    claims: 0,
    claim: () => {
      const start = state.claims++ * size;
      return Promise.resolve({ start: BigInt(start), end: BigInt(start + size - 1) });
    },
  };
  return state;
}

Deno.test("ProducerIdManager hands out ids in order, claiming the next block when one runs out", async () => {
  const b = blocks(3);
  const ids = new ProducerIdManager(b.claim);
  await ids.start();
  await ids.start();
  assert.equal(b.claims, 1, "start claims the first block once");
  const got: number[] = [];
  for (let i = 0; i < 7; i++) got.push(await ids.generateProducerId());
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(b.claims, 3);
});

Deno.test("concurrent InitProducerIds get distinct ids and claim each block once", async () => {
  const b = blocks(10);
  const ids = new ProducerIdManager(b.claim);
  const got = await Promise.all(Array.from({ length: 25 }, () => ids.generateProducerId()));
  assert.deepEqual([...got].sort((x, y) => x - y), Array.from({ length: 25 }, (_, i) => i));
  assert.equal(b.claims, 3);
});

Deno.test("a failed claim fails that call only; the next one claims again", async () => {
  let fail = true;
  const ids = new ProducerIdManager(() => {
    if (fail) return Promise.reject(new Error("ZooKeeper is down"));
    return Promise.resolve({ start: 2000n, end: 2999n });
  });
  await assert.rejects(ids.generateProducerId(), /ZooKeeper is down/);
  fail = false;
  assert.equal(await ids.generateProducerId(), 2000);
  const huge = new ProducerIdManager(() =>
    Promise.resolve({ start: 2n ** 60n, end: 2n ** 60n + 999n })
  );
  await assert.rejects(huge.generateProducerId(), /above 2\^53/);
});

Deno.test({
  name: "two brokers' ProducerIdManagers share /latest_producer_id_block without overlap",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  const zk1 = await ZkClient.connect(`127.0.0.1:${server.port}`);
  const zk2 = await ZkClient.connect(`127.0.0.1:${server.port}`);
  try {
    const b1 = new KafkaZkBootstrap(zk1);
    const b2 = new KafkaZkBootstrap(zk2);
    await b1.ensurePaths();
    const one = new ProducerIdManager(() => b1.claimProducerIdBlock(1));
    const two = new ProducerIdManager(() => b2.claimProducerIdBlock(2));
    await one.start(); // 0-999
    await two.start(); // 1000-1999
    assert.equal(await one.generateProducerId(), 0);
    assert.equal(await two.generateProducerId(), 1000);
    // Broker 1 uses up its block: its next claim is 2000-2999, after broker 2's.
    for (let i = 1; i < 1000; i++) await one.generateProducerId();
    assert.equal(await one.generateProducerId(), 2000);
    const { data } = await zk1.getData("/latest_producer_id_block");
    assert.equal(
      new TextDecoder().decode(data!),
      `{"version":1,"broker":1,"block_start":"2000","block_end":"2999"}`,
    );
  } finally {
    await zk1.close();
    await zk2.close();
    await server.stop();
  }
});
