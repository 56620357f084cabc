/**
 * The handlers that answer what a single 2.8.2 broker answers without doing anything:
 * DescribeLogDirs from a real LogManager, the ACL APIs without an authorizer, and the
 * controller-to-broker APIs from a process that is not this broker's controller.
 */
import assert from "node:assert/strict";
import { systemClock } from "../../internal/clock.ts";
import { LogManager } from "../log/log_manager.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { describeLogDirsHandler } from "./35_describe_log_dirs.ts";
import { handleDescribeAcls } from "./29_describe_acls.ts";
import { handleCreateAcls } from "./30_create_acls.ts";
import { handleDeleteAcls } from "./31_delete_acls.ts";
import { handleLeaderAndIsr } from "./04_leader_and_isr.ts";
import { handleStopReplica } from "./05_stop_replica.ts";
import { handleUpdateMetadata } from "./06_update_metadata.ts";
import { handleControlledShutdown } from "./07_controlled_shutdown.ts";
import { defaultHandlers } from "./mod.ts";
import type { RequestContext } from "./handler.ts";
import type { BrokerState } from "../server/broker_state.ts";

const ctx = (apiVersion: number): RequestContext => ({
  apiVersion,
  header: {
    requestApiKey: 0,
    requestApiVersion: apiVersion,
    correlationId: 1,
    clientId: "t",
  } as unknown as RequestContext["header"],
  broker: { brokers: [{ id: 1, host: "h", port: 1, rack: null }] } as unknown as BrokerState,
});

Deno.test("DescribeLogDirs answers every dir with its partitions' sizes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-logdirs-" });
  try {
    const logs = await LogManager.open({
      logDirs: [`${dir}/a`, `${dir}/b`],
      brokerId: 1,
      clock: systemClock,
      defaults: new Map(),
    });
    const t0 = await logs.getOrCreate({ topic: "t", partition: 0 }, logs.configFor());
    await logs.getOrCreate({ topic: "t", partition: 1 }, logs.configFor());
    await t0.appendAsLeader(
      buildRecordBatch({ records: [{ timestamp: 1, key: null, value: new Uint8Array(100) }] }),
      0,
    );
    const handler = describeLogDirsHandler(logs);
    const all = await handler({ topics: null }, ctx(2));
    assert.ok(typeof all === "object" && "results" in all);
    assert.deepEqual(all.results.map((r) => r.logDir), [`${dir}/a`, `${dir}/b`]);
    const parts = all.results.flatMap((r) =>
      r.topics.flatMap((t) =>
        t.partitions.map((p) => [r.logDir, t.name, p.partitionIndex, p.partitionSize])
      )
    ).sort();
    assert.deepEqual(
      parts,
      [
        [`${dir}/a`, "t", 0, t0.size],
        [`${dir}/b`, "t", 1, 0],
      ].sort(),
    );
    assert.ok(t0.size > 100);
    // Asked for partition 1 only: topic t still listed in the dir of partition 0, with none.
    const one = await handler({ topics: [{ topic: "t", partitions: [1] }] }, ctx(2));
    assert.ok(typeof one === "object" && "results" in one);
    assert.deepEqual(one.results.map((r) => r.topics.map((t) => [t.name, t.partitions.length])), [
      [["t", 0]],
      [["t", 1]],
    ]);
    await logs.shutdown();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ACL APIs answer SECURITY_DISABLED, as a broker without an authorizer", () => {
  const d = handleDescribeAcls({} as Parameters<typeof handleDescribeAcls>[0]);
  assert.equal(d.errorCode, 54);
  assert.equal(d.errorMessage, "No Authorizer is configured on the broker");
  const c = handleCreateAcls({ creations: [{}, {}] } as Parameters<typeof handleCreateAcls>[0]);
  assert.deepEqual(c.results.map((r) => r.errorCode), [54, 54]);
  const del = handleDeleteAcls({ filters: [{}] } as Parameters<typeof handleDeleteAcls>[0]);
  assert.deepEqual(del.filterResults.map((r) => [r.errorCode, r.matchingAcls.length]), [[54, 0]]);
});

Deno.test("controller APIs from another process are refused, nothing applied", () => {
  const lai = handleLeaderAndIsr(
    {
      controllerId: 9,
      controllerEpoch: 1,
      brokerEpoch: 5,
      topicStates: [{
        topicName: "t",
        topicId: "AAAAAAAAAAAAAAAAAAAAAQ",
        partitionStates: [{ partitionIndex: 0 }, { partitionIndex: 1 }],
      }],
      liveLeaders: [],
    } as unknown as Parameters<typeof handleLeaderAndIsr>[0],
    ctx(5),
  );
  assert.equal(lai.errorCode, 11);
  assert.deepEqual(lai.topics?.[0].partitionErrors.map((p) => p.errorCode), [11, 11]);
  const laiV2 = handleLeaderAndIsr(
    {
      controllerId: 9,
      controllerEpoch: 1,
      topicStates: [{ topicName: "t", partitionStates: [{ partitionIndex: 3 }] }],
      liveLeaders: [],
    } as unknown as Parameters<typeof handleLeaderAndIsr>[0],
    ctx(2),
  );
  assert.deepEqual(laiV2.partitionErrors, [{ topicName: "t", partitionIndex: 3, errorCode: 11 }]);
  assert.equal(
    handleStopReplica({ controllerId: 9, controllerEpoch: 1, brokerEpoch: -1 }).errorCode,
    11,
  );
  assert.equal(
    handleUpdateMetadata({ controllerId: 9, controllerEpoch: 1, liveBrokers: [] }).errorCode,
    41,
  );
  assert.deepEqual(handleControlledShutdown({ brokerId: 1 }, ctx(3)), {
    errorCode: 0,
    remainingPartitions: [],
  });
  assert.equal(handleControlledShutdown({ brokerId: 7 }, ctx(3)).errorCode, 8);
  assert.deepEqual(
    defaultHandlers().keys(),
    [3, 4, 5, 6, 7, 17, 18, 29, 30, 31, 36, 38, 39, 40, 41, 43, 45, 46, 57, 60],
  );
});
