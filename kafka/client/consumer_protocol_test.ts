import assert from "node:assert/strict";
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from "./consumer_protocol.ts";
import { rangeAssign } from "./range_assignor.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) => new Uint8Array(s.match(/../g)!.map((x) => parseInt(x, 16)));

// Bytes Apache 2.8.2's ConsumerProtocol wrote on this machine (testdata/README.md).
const SUB1 = "00010000000100027431ffffffff00000000";
const SUB2 = "0001000000020002743100027432ffffffff0000000100027431000000020000000000000002";
const ASG = "00010000000200027431000000020000000000000002000274320000000100000001ffffffff";
const ASG0 = "000100000000ffffffff";

Deno.test("subscriptions and assignments are the Java consumer's bytes", () => {
  assert.equal(
    hex(encodeSubscription({ topics: ["t1"], userData: null, ownedPartitions: [] })),
    SUB1,
  );
  const sub2 = {
    topics: ["t1", "t2"],
    userData: null,
    ownedPartitions: [{ topic: "t1", partitions: [0, 2] }],
  };
  assert.equal(hex(encodeSubscription(sub2)), SUB2);
  assert.deepEqual(decodeSubscription(unhex(SUB2)), { version: 1, ...sub2 });
  const asg = {
    partitions: [{ topic: "t1", partitions: [0, 2] }, { topic: "t2", partitions: [1] }],
    userData: null,
  };
  assert.equal(hex(encodeAssignment(asg)), ASG);
  assert.deepEqual(decodeAssignment(unhex(ASG)), { version: 1, ...asg });
  assert.equal(hex(encodeAssignment({ partitions: [], userData: null })), ASG0);
  assert.deepEqual(decodeAssignment(new Uint8Array()).partitions, []);
  // Version 0 (older clients): no owned partitions.
  assert.deepEqual(decodeSubscription(unhex("00000000000100027431ffffffff")).ownedPartitions, []);
  assert.throws(() => decodeSubscription(unhex("0001000000")));
});

Deno.test("the range assignor splits as Apache's RangeAssignor", () => {
  // Apache 2.8.2: {c-1=[a-0, a-1, a-2], c-2=[a-3, a-4, b-0], c-3=[a-5, a-6, b-1]}
  const got = rangeAssign(
    { a: 7, b: 2 },
    new Map([["c-2", ["a", "b"]], ["c-1", ["a"]], ["c-3", ["a", "b"]]]),
  );
  assert.deepEqual(Object.fromEntries(got), {
    "c-1": [{ topic: "a", partitions: [0, 1, 2] }],
    "c-2": [{ topic: "a", partitions: [3, 4] }, { topic: "b", partitions: [0] }],
    "c-3": [{ topic: "a", partitions: [5, 6] }, { topic: "b", partitions: [1] }],
  });
  const more = rangeAssign({ a: 1 }, new Map([["x", ["a"]], ["y", ["a"]], ["z", ["gone"]]]));
  assert.deepEqual(Object.fromEntries(more), {
    x: [{ topic: "a", partitions: [0] }],
    y: [],
    z: [],
  });
});
