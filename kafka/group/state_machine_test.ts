import assert from "node:assert/strict";
import { ManualClock } from "../../internal/clock.ts";
import { ErrorCode } from "./errors.ts";
import { MemoryOffsetsTopicLog } from "./offsets_topic_log.ts";
import type { OffsetCommitEntry } from "./state_machine.ts";
import { flush, joinReq, rig, tracked } from "./_test_helpers.ts";

const E = ErrorCode;

function offset(topic: string, partition: number, o: number, now: number): OffsetCommitEntry {
  return {
    topic,
    partition,
    offset: o,
    leaderEpoch: -1,
    metadata: "",
    commitTimestamp: now,
    expireTimestamp: null,
  };
}

const simple = { generationId: -1, memberId: "", groupInstanceId: null };

Deno.test("offsets: a commit is answered once durable and fetched back", async () => {
  const r = await rig();
  const now = r.clock.now();
  r.log.hold = true;
  const c = tracked(r.groups.commitOffsets({
    groupId: "simple",
    ...simple,
    offsets: [offset("t", 0, 42, now), { ...offset("t", 1, 7, now), metadata: "x".repeat(4097) }],
  }));
  await flush();
  assert.equal(c.done(), false);
  // Not visible before it is durable.
  assert.equal(
    r.groups.fetchOffsets("simple", [{ topic: "t", partition: 0 }]).offsets[0].offset,
    -1,
  );
  r.log.release();
  assert.deepEqual(await c.p, [E.NONE, E.OFFSET_METADATA_TOO_LARGE]);
  const all = r.groups.fetchOffsets("simple", null);
  assert.deepEqual(all.offsets.map((o) => [o.topic, o.partition, o.offset]), [["t", 0, 42]]);
  const some = r.groups.fetchOffsets("simple", [{ topic: "t", partition: 1 }, {
    topic: "t",
    partition: 0,
  }]);
  assert.deepEqual(some.offsets.map((o) => [o.partition, o.offset, o.metadata]), [[1, -1, ""], [
    0,
    42,
    "",
  ]]);
  // The simple group is Empty with no protocol type.
  assert.deepEqual(r.groups.listGroups([]).groups, [{
    groupId: "simple",
    protocolType: "",
    state: "Empty",
  }]);
  // A failed append answers every offset of it with the mapped error.
  r.log.failWith = 19; // NOT_ENOUGH_REPLICAS
  assert.deepEqual(
    await r.groups.commitOffsets({
      groupId: "simple",
      ...simple,
      offsets: [offset("t", 0, 50, now)],
    }),
    [E.COORDINATOR_NOT_AVAILABLE],
  );
  assert.equal(r.groups.fetchOffsets("simple", null).offsets[0].offset, 42);
});

Deno.test("offsets: commits are checked against the member and generation", async () => {
  const r = await rig();
  const g = r.groups;
  const now = r.clock.now();
  const offsets = [offset("my.topic", 0, 5, now)];
  assert.deepEqual(
    await g.commitOffsets({
      groupId: "nobody",
      generationId: 3,
      memberId: "m",
      groupInstanceId: null,
      offsets,
    }),
    [E.ILLEGAL_GENERATION],
  );
  const a = await g.joinGroup(joinReq("a"));
  const commit = (generationId: number, memberId: string) =>
    g.commitOffsets({
      groupId: "my.group",
      generationId,
      memberId,
      groupInstanceId: null,
      offsets,
    });
  // Joined but not synced: CompletingRebalance.
  assert.deepEqual(await commit(1, a.memberId), [E.REBALANCE_IN_PROGRESS]);
  await g.syncGroup({
    groupId: "my.group",
    generationId: 1,
    memberId: a.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  assert.deepEqual(await commit(1, "stranger"), [E.UNKNOWN_MEMBER_ID]);
  assert.deepEqual(await commit(0, a.memberId), [E.ILLEGAL_GENERATION]);
  assert.deepEqual(await commit(-1, ""), [E.UNKNOWN_MEMBER_ID]);
  assert.deepEqual(await commit(1, a.memberId), [E.NONE]);
  // During a rebalance a member of the current generation may still commit.
  const b = g.joinGroup(joinReq("b"));
  assert.deepEqual(await commit(1, a.memberId), [E.NONE]);
  await g.joinGroup(joinReq("a", { memberId: a.memberId }));
  await b;
  // OffsetDelete refuses the subscribed topic while the group is active, accepts others.
  const del = await g.deleteOffsets("my.group", [{ topic: "my.topic", partition: 0 }, {
    topic: "other",
    partition: 0,
  }]);
  assert.deepEqual(del, {
    errorCode: E.NONE,
    partitionErrors: [E.GROUP_SUBSCRIBED_TO_TOPIC, E.NONE],
  });
  assert.deepEqual(await g.deleteGroups(["my.group", "missing"]), [
    E.NON_EMPTY_GROUP,
    E.GROUP_ID_NOT_FOUND,
  ]);
});

Deno.test("offsets: expire after offsets.retention.minutes once the group is Empty", async () => {
  const r = await rig({ offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 });
  const g = r.groups;
  const a = await g.joinGroup(joinReq("a"));
  await g.syncGroup({
    groupId: "my.group",
    generationId: 1,
    memberId: a.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  await g.commitOffsets({
    groupId: "my.group",
    generationId: 1,
    memberId: a.memberId,
    groupInstanceId: null,
    offsets: [offset("my.topic", 0, 5, r.clock.now())],
  });
  // Subscribed by an active member: kept however old.
  for (let i = 0; i < 9; i++) {
    r.advance(9_000);
    g.heartbeat({
      groupId: "my.group",
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
    });
  }
  assert.equal(g.fetchOffsets("my.group", null).offsets.length, 1);
  await g.leaveGroup({
    groupId: "my.group",
    members: [{ memberId: a.memberId, groupInstanceId: null }],
  });
  r.advance(50_000);
  assert.equal(g.fetchOffsets("my.group", null).offsets.length, 1);
  r.advance(20_000); // 60 s after the group went Empty, at the next check
  await flush();
  assert.equal(g.fetchOffsets("my.group", null).offsets.length, 0);
  assert.deepEqual(g.listGroups([]).groups, []);
  const tail = r.records().slice(-2).map((x) => `${x.type}:${x.value === null}`);
  assert.deepEqual(tail, ["offset:true", "group:true"]);
  // Explicit expire timestamps (OffsetCommit v2–v4 retention) are honoured as such.
  await g.commitOffsets({
    groupId: "simple",
    ...simple,
    offsets: [{ ...offset("t", 0, 1, r.clock.now()), expireTimestamp: r.clock.now() + 15_000 }],
  });
  r.advance(10_000);
  assert.equal(g.fetchOffsets("simple", null).offsets.length, 1);
  r.advance(10_000);
  assert.equal(g.fetchOffsets("simple", null).offsets.length, 0);
});

Deno.test("offsets: DeleteGroups writes tombstones; a new coordinator loads what is left", async () => {
  const log = new MemoryOffsetsTopicLog(4);
  const clock = new ManualClock(1_700_000_000_000);
  const r = await rig({}, log, clock);
  const g = r.groups;
  const now = clock.now();
  await g.commitOffsets({ groupId: "keep", ...simple, offsets: [offset("t", 0, 9, now)] });
  await g.commitOffsets({ groupId: "drop", ...simple, offsets: [offset("t", 0, 3, now)] });
  const a = await g.joinGroup(joinReq("a", { groupId: "live", sessionTimeoutMs: 30_000 }));
  await g.syncGroup({
    groupId: "live",
    generationId: 1,
    memberId: a.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [{ memberId: a.memberId, assignment: new Uint8Array([1, 2]) }],
  });
  assert.deepEqual(await g.deleteGroups(["drop"]), [E.NONE]);
  await flush();
  g.stop();
  const again = await rig({}, log, clock);
  const ids = again.groups.listGroups([]).groups.map((x) => `${x.groupId}:${x.state}`).sort();
  assert.deepEqual(ids, ["keep:Empty", "live:Stable"]);
  assert.equal(again.groups.fetchOffsets("keep", null).offsets[0].offset, 9);
  const live = again.groups.describeGroup("live");
  assert.deepEqual(live.members.map((m) => [m.memberId, [...m.assignment]]), [[a.memberId, [
    1,
    2,
  ]]]);
  assert.equal(live.protocolData, "range");
  // The reloaded member must heartbeat within its session, or it is dropped.
  again.advance(30_000);
  assert.equal(again.groups.describeGroup("live").state, "Empty");
});

Deno.test("offsets: while a partition loads its groups answer COORDINATOR_LOAD_IN_PROGRESS", async () => {
  const r = await rig();
  const m = r.groups.machine;
  const p = m.partitionFor("my.group");
  m.beginLoading([p]);
  assert.equal(r.groups.fetchOffsets("my.group", null).errorCode, E.COORDINATOR_LOAD_IN_PROGRESS);
  assert.equal((await r.groups.joinGroup(joinReq("a"))).errorCode, E.COORDINATOR_LOAD_IN_PROGRESS);
  assert.equal(
    r.groups.heartbeat({
      groupId: "my.group",
      generationId: 1,
      memberId: "x",
      groupInstanceId: null,
    }),
    E.NONE,
  );
  assert.equal(r.groups.listGroups([]).errorCode, E.COORDINATOR_LOAD_IN_PROGRESS);
  m.finishLoading(p);
  assert.equal((await r.groups.joinGroup(joinReq("a"))).errorCode, E.NONE);
});

Deno.test("offsets: partitionFor is Utils.abs(String.hashCode) % partitions", async () => {
  const r = await rig({}, new MemoryOffsetsTopicLog(50));
  // Java's "my.group".hashCode() is -1877868611, "test-consumer-group"'s -1793216381.
  assert.equal(r.groups.partitionFor("my.group"), 11);
  assert.equal(r.groups.partitionFor("test-consumer-group"), 31);
  assert.equal(r.groups.partitionFor(""), 0);
});
