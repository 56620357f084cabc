import assert from "node:assert/strict";
import { ErrorCode } from "./errors.ts";
import { flush, joinReq, rig, subscription, tracked } from "./_test_helpers.ts";

const E = ErrorCode;
const assignment = (s: string) => new TextEncoder().encode(s);

Deno.test("membership: two members join, rebalance, and one leaves (kafka-python's flow)", async () => {
  const { groups, records } = await rig();
  // member-a alone: generation 1, its own leader.
  const a1 = await groups.joinGroup(joinReq("member-a"));
  assert.equal(a1.errorCode, E.NONE);
  assert.equal(a1.generationId, 1);
  assert.equal(a1.memberId, "member-a-uuid-1");
  assert.equal(a1.leader, a1.memberId);
  assert.equal(a1.protocolName, "range");
  assert.deepEqual(a1.members.map((m) => m.memberId), [a1.memberId]);
  const s1 = await groups.syncGroup({
    groupId: "my.group",
    generationId: 1,
    memberId: a1.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [{ memberId: a1.memberId, assignment: assignment("a:0,1") }],
  });
  assert.deepEqual(s1.assignment, assignment("a:0,1"));
  assert.equal(groups.describeGroup("my.group").state, "Stable");
  // member-b joins: it waits until member-a rejoins, which its heartbeat tells it to do.
  const b2 = tracked(groups.joinGroup(joinReq("member-b")));
  await flush();
  assert.equal(b2.done(), false);
  const hb = { groupId: "my.group", generationId: 1, memberId: a1.memberId, groupInstanceId: null };
  assert.equal(groups.heartbeat(hb), E.REBALANCE_IN_PROGRESS);
  const a2 = await groups.joinGroup(joinReq("member-a", { memberId: a1.memberId }));
  const b = await b2.p;
  assert.deepEqual([a2.generationId, b.generationId], [2, 2]);
  assert.equal(b.leader, a1.memberId);
  assert.deepEqual(b.members, []);
  assert.deepEqual(a2.members.map((m) => m.memberId).sort(), [a1.memberId, b.memberId].sort());
  // The follower's SyncGroup waits for the leader's.
  const sb = tracked(groups.syncGroup({
    groupId: "my.group",
    generationId: 2,
    memberId: b.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  }));
  await flush();
  assert.equal(sb.done(), false);
  const sa = await groups.syncGroup({
    groupId: "my.group",
    generationId: 2,
    memberId: a1.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [
      { memberId: b.memberId, assignment: assignment("b:1") },
      { memberId: a1.memberId, assignment: assignment("a:0") },
    ],
  });
  assert.deepEqual(sa.assignment, assignment("a:0"));
  assert.deepEqual((await sb.p).assignment, assignment("b:1"));
  // member-b leaves: member-a is told to rejoin and gets generation 3 alone.
  const left = await groups.leaveGroup({
    groupId: "my.group",
    members: [{ memberId: b.memberId, groupInstanceId: null }],
  });
  assert.deepEqual(left, { errorCode: E.NONE, memberErrors: [E.NONE] });
  assert.equal(groups.heartbeat({ ...hb, generationId: 2 }), E.REBALANCE_IN_PROGRESS);
  const a3 = await groups.joinGroup(joinReq("member-a", { memberId: a1.memberId }));
  assert.equal(a3.generationId, 3);
  assert.equal(a3.members.length, 1);
  // member-a leaves too: the group is Empty at generation 4, written with no protocol.
  await groups.leaveGroup({
    groupId: "my.group",
    members: [{ memberId: a1.memberId, groupInstanceId: null }],
  });
  await flush();
  const d = groups.describeGroup("my.group");
  assert.deepEqual([d.state, d.members.length], ["Empty", 0]);
  const written = records().filter((r) => r.type === "group");
  assert.deepEqual(
    written.map((r) =>
      r.type === "group" && r.value && [r.value.generation, r.value.members.length]
    ),
    [[1, 1], [2, 2], [4, 0]],
  );
  const last = written.at(-1)!;
  assert.ok(last.type === "group" && last.value !== null);
  assert.equal(last.value.protocol, null);
  assert.equal(last.value.leader, null);
});

Deno.test("membership: group.initial.rebalance.delay.ms waits, and waits again for a newcomer", async () => {
  const r = await rig({ groupInitialRebalanceDelayMs: 3000 });
  const a = tracked(r.groups.joinGroup(joinReq("a", { rebalanceTimeoutMs: 10_000 })));
  r.advance(1000);
  const b = tracked(r.groups.joinGroup(joinReq("b", { rebalanceTimeoutMs: 10_000 })));
  r.advance(1999);
  await flush();
  assert.equal(a.done(), false);
  r.advance(1); // 3 s: b joined during the delay, so it is extended by another 3 s
  await flush();
  assert.equal(a.done(), false);
  r.advance(2999);
  await flush();
  assert.equal(b.done(), false);
  r.advance(1);
  const [ja, jb] = await Promise.all([a.p, b.p]);
  assert.deepEqual([ja.generationId, jb.generationId], [1, 1]);
  assert.equal(ja.members.length, 2);
});

Deno.test("membership: a member whose session times out is removed and the group rebalances", async () => {
  const r = await rig();
  const g = r.groups;
  const a = await g.joinGroup(joinReq("a", { sessionTimeoutMs: 6000 }));
  const sync = (memberId: string, generationId: number) =>
    g.syncGroup({
      groupId: "my.group",
      generationId,
      memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
  await sync(a.memberId, 1);
  const bj = g.joinGroup(joinReq("b", { sessionTimeoutMs: 20_000 }));
  const a2 = await g.joinGroup(joinReq("a", { memberId: a.memberId, sessionTimeoutMs: 6000 }));
  const b = await bj;
  await Promise.all([sync(a2.memberId, 2), sync(b.memberId, 2)]);
  // b keeps heartbeating; a goes silent.
  for (let t = 0; t < 5; t++) {
    r.advance(1500);
    const hb = {
      groupId: "my.group",
      generationId: 2,
      memberId: b.memberId,
      groupInstanceId: null,
    };
    assert.equal(g.heartbeat(hb), t < 3 ? E.NONE : E.REBALANCE_IN_PROGRESS);
  }
  const d = g.describeGroup("my.group");
  assert.deepEqual([d.state, d.members.map((m) => m.memberId)], ["PreparingRebalance", [
    b.memberId,
  ]]);
  const b3 = await g.joinGroup(joinReq("b", { memberId: b.memberId, sessionTimeoutMs: 20_000 }));
  assert.equal(b3.generationId, 3);
  assert.equal(b3.leader, b.memberId);
  assert.equal(
    g.heartbeat({
      groupId: "my.group",
      generationId: 2,
      memberId: a.memberId,
      groupInstanceId: null,
    }),
    E.UNKNOWN_MEMBER_ID,
  );
});

Deno.test("membership: a member that does not rejoin within the rebalance timeout is dropped", async () => {
  const r = await rig();
  const g = r.groups;
  const a = await g.joinGroup(
    joinReq("a", { rebalanceTimeoutMs: 30_000, sessionTimeoutMs: 60_000 }),
  );
  await g.syncGroup({
    groupId: "my.group",
    generationId: 1,
    memberId: a.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  const b = tracked(g.joinGroup(joinReq("b", { rebalanceTimeoutMs: 30_000 })));
  r.advance(29_999);
  await flush();
  assert.equal(b.done(), false);
  r.advance(1);
  const jb = await b.p;
  assert.equal(jb.generationId, 2);
  assert.equal(jb.leader, jb.memberId);
  assert.deepEqual(jb.members.map((m) => m.memberId), [jb.memberId]);
});

Deno.test("membership: v4+ joins get MEMBER_ID_REQUIRED first, and unclaimed ids expire", async () => {
  const r = await rig();
  const g = r.groups;
  const first = await g.joinGroup(joinReq("c", { requireKnownMemberId: true }));
  assert.deepEqual([first.errorCode, first.memberId, first.generationId, first.leader], [
    E.MEMBER_ID_REQUIRED,
    "c-uuid-1",
    -1,
    "",
  ]);
  const ok = await g.joinGroup(
    joinReq("c", { memberId: first.memberId, requireKnownMemberId: true }),
  );
  assert.equal(ok.errorCode, E.NONE);
  assert.equal(ok.memberId, first.memberId);
  // Another id handed out but never used does not hold a rebalance up past its session timeout.
  const other = await g.joinGroup(joinReq("d", { requireKnownMemberId: true }));
  assert.equal(other.errorCode, E.MEMBER_ID_REQUIRED);
  r.advance(10_000);
  const late = await g.joinGroup(joinReq("d", { memberId: other.memberId }));
  assert.equal(late.errorCode, E.UNKNOWN_MEMBER_ID);
});

Deno.test("membership: a static member restarts without a rebalance; its old id is fenced", async () => {
  const r = await rig();
  const g = r.groups;
  const req = joinReq("s", { groupInstanceId: "instance-1", requireKnownMemberId: true });
  const s1 = await g.joinGroup(req);
  assert.equal(s1.errorCode, E.NONE); // static members skip MEMBER_ID_REQUIRED
  assert.equal(s1.memberId, "instance-1-uuid-1");
  await g.syncGroup({
    groupId: "my.group",
    generationId: 1,
    memberId: s1.memberId,
    groupInstanceId: "instance-1",
    protocolType: "consumer",
    protocolName: "range",
    assignments: [{ memberId: s1.memberId, assignment: assignment("s") }],
  });
  const before = r.records().length;
  const s2 = await g.joinGroup(req);
  assert.equal(s2.errorCode, E.NONE);
  assert.equal(s2.generationId, 1);
  assert.notEqual(s2.memberId, s1.memberId);
  assert.equal(s2.leader, s1.memberId); // the old leader id: no reassignment in a Stable group
  assert.equal(g.describeGroup("my.group").state, "Stable");
  await r.groups.syncGroup({
    groupId: "my.group",
    generationId: 1,
    memberId: s2.memberId,
    groupInstanceId: "instance-1",
    protocolType: null,
    protocolName: null,
    assignments: [],
  }).then((s) => assert.deepEqual(s.assignment, assignment("s")));
  // The new member id was written down.
  const rec = r.records().slice(before).find((x) => x.type === "group");
  assert.ok(rec?.type === "group" && rec.value !== null);
  assert.equal(rec.value.members[0].memberId, s2.memberId);
  const hb = { groupId: "my.group", generationId: 1, groupInstanceId: "instance-1" };
  assert.equal(g.heartbeat({ ...hb, memberId: s1.memberId }), E.FENCED_INSTANCE_ID);
  assert.equal(g.heartbeat({ ...hb, memberId: s2.memberId }), E.NONE);
  // LeaveGroup by instance id alone (kafka-consumer-groups --delete of a static member).
  const left = await g.leaveGroup({
    groupId: "my.group",
    members: [{ memberId: "", groupInstanceId: "instance-1" }, {
      memberId: "",
      groupInstanceId: "nobody",
    }],
  });
  assert.deepEqual(left.memberErrors, [E.NONE, E.UNKNOWN_MEMBER_ID]);
});

Deno.test("membership: bad joins are refused with Kafka's codes", async () => {
  const r = await rig({ groupMaxSize: 1 });
  const g = r.groups;
  assert.equal(
    (await g.joinGroup(joinReq("a", { sessionTimeoutMs: 5999 }))).errorCode,
    E.INVALID_SESSION_TIMEOUT,
  );
  assert.equal((await g.joinGroup(joinReq("a", { groupId: "" }))).errorCode, E.INVALID_GROUP_ID);
  assert.equal(
    (await g.joinGroup(joinReq("a", { memberId: "ghost" }))).errorCode,
    E.UNKNOWN_MEMBER_ID,
  );
  const a = await g.joinGroup(joinReq("a"));
  assert.equal(a.errorCode, E.NONE);
  assert.equal((await g.joinGroup(joinReq("b"))).errorCode, E.GROUP_MAX_SIZE_REACHED);
  const other = joinReq("c", {
    protocolType: "consumer",
    protocols: [{ name: "sticky", metadata: subscription(["t"]) }],
  });
  assert.equal((await g.joinGroup({ ...other, groupId: "g2" })).errorCode, E.NONE);
  const r2 = await rig();
  await r2.groups.joinGroup(joinReq("a"));
  assert.equal((await r2.groups.joinGroup(other)).errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal(
    r2.groups.heartbeat({
      groupId: "my.group",
      generationId: 7,
      memberId: "a-uuid-1",
      groupInstanceId: null,
    }),
    E.ILLEGAL_GENERATION,
  );
});
