import assert from "node:assert/strict";
import { withMemoryBroker } from "../server/_memory_broker.ts";
import { KafkaClient, parseBootstrap } from "./client.ts";
import { BrokerConnection, UnsupportedApiError } from "./broker_connection.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import type { ProduceResponse } from "../protocol/messages/produce.ts";
import type { FetchResponse } from "../protocol/messages/fetch.ts";

Deno.test("bootstrap.servers parse as the Java client reads them", () => {
  assert.deepEqual(parseBootstrap("a:1, b:2,[::1]:3"), [
    { host: "a", port: 1 },
    { host: "b", port: 2 },
    { host: "::1", port: 3 },
  ]);
  assert.throws(() => parseBootstrap("nohost"), /Invalid url in bootstrap.servers: nohost/);
});

Deno.test("the client negotiates versions, routes to the leader, produces and fetches", () =>
  withMemoryBroker({ t: 2 }, async (port) => {
    const client = new KafkaClient(`127.0.0.1:${port}`, "test");
    try {
      const t = await client.topicMetadata("t");
      assert.equal(t.partitions.length, 2);
      const leader = await client.broker(t.partitions[1].leaderId);
      assert.equal(leader.versionFor(0), 9, "Produce at 2.8.2's highest");
      assert.equal(leader.versionFor(1, 4), 4, "capped by the caller");
      assert.throws(() => leader.versionFor(99), UnsupportedApiError);
      const batch = buildRecordBatch({
        records: [{ timestamp: 5, key: null, value: new TextEncoder().encode("v") }],
      });
      // Requests pipelined on one connection come back matched to their callers.
      const answers = await Promise.all([0, 1, 2].map(() =>
        leader.send<ProduceResponse>(0, {
          transactionalId: null,
          acks: 1,
          timeoutMs: 1000,
          topicData: [{ name: "t", partitionData: [{ index: 1, records: batch.slice() }] }],
        })
      ));
      assert.deepEqual(answers.map((a) => a.responses[0].partitionResponses[0].baseOffset), [
        0,
        1,
        2,
      ]);
      const f = await leader.send<FetchResponse>(1, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{
          topic: "t",
          partitions: [{
            partition: 1,
            fetchOffset: 1,
            partitionMaxBytes: 1 << 20,
            currentLeaderEpoch: -1,
            logStartOffset: -1,
            lastFetchedEpoch: -1,
          }],
        }],
        forgottenTopicsData: [],
        rackId: "",
      });
      const records = f.responses[0].partitions[0].records!;
      assert.equal(
        new RecordBatch(records.slice()).header.baseOffset,
        1,
      );
    } finally {
      await client.close();
    }
  }));

Deno.test("a connection to nothing fails with the address in the message", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  await assert.rejects(
    BrokerConnection.connect("127.0.0.1", port, "t"),
    new RegExp(`Connection to 127.0.0.1:${port} could not be established`),
  );
});
