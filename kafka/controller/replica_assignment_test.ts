/** The cases zk-layout.md §4 works out from Kafka 2.8.2's AdminUtils and checks against the seed. */
import assert from "node:assert/strict";
import {
  AssignmentError,
  assignReplicas,
  startIndexForAddedPartitions,
} from "./replica_assignment.ts";

const draws = (...values: number[]) => () => values.shift()!;
const show = (m: Map<number, number[]>) => [...m.values()].map((r) => r.join(",")).join(" · ");

Deno.test("assignment: all nine outcomes of 3 partitions, RF 2 over brokers 1,2,3", () => {
  const table = [
    ["1,2 · 2,3 · 3,1", "1,3 · 2,1 · 3,2", "1,2 · 2,3 · 3,1"],
    ["2,3 · 3,1 · 1,2", "2,1 · 3,2 · 1,3", "2,3 · 3,1 · 1,2"],
    ["3,1 · 1,2 · 2,3", "3,2 · 1,3 · 2,1", "3,1 · 1,2 · 2,3"],
  ];
  for (let s = 0; s < 3; s++) {
    for (let h = 0; h < 3; h++) {
      assert.equal(show(assignReplicas([1, 2, 3], 3, 2, { nextInt: draws(s, h) })), table[s][h]);
    }
  }
  // The seed's kafkatest (1 partition, RF 2) shows Replicas: 3,1: s=2, h even.
  assert.equal(show(assignReplicas([1, 2, 3], 1, 2, { nextInt: draws(2, 0) })), "3,1");
});

Deno.test("assignment: AdminUtils' javadoc example, five brokers, the shift stepping at p=5", () => {
  const m = assignReplicas([0, 1, 2, 3, 4], 10, 3, { nextInt: draws(0, 0) });
  assert.deepEqual(m.get(0), [0, 1, 2]);
  assert.deepEqual(m.get(4), [4, 0, 1]);
  assert.deepEqual(m.get(5), [0, 2, 3]);
  assert.equal(m.size, 10);
});

Deno.test("assignment: adding partitions is deterministic", () => {
  // foobar (3,1 · 1,2 · 2,3) grown to 6 partitions: fixed s = h = 2.
  const s = startIndexForAddedPartitions([1, 2, 3], 3);
  assert.equal(s, 2);
  const m = assignReplicas([1, 2, 3], 3, 2, { fixedStartIndex: s, startPartitionId: 3 });
  assert.deepEqual([...m], [[3, [3, 2]], [4, [1, 3]], [5, [2, 1]]]);
  assert.equal(startIndexForAddedPartitions([1, 2, 3], undefined), 0);
});

Deno.test("assignment: Kafka's refusals, in Kafka's words", () => {
  assert.throws(
    () => assignReplicas([1], 0, 1),
    new AssignmentError("Number of partitions must be larger than 0."),
  );
  assert.throws(
    () => assignReplicas([1], 1, 0),
    new AssignmentError("Replication factor must be larger than 0."),
  );
  assert.throws(
    () => assignReplicas([1, 2], 1, 3),
    new AssignmentError("Replication factor: 3 larger than available brokers: 2."),
  );
  // One broker, RF 1: every partition on it.
  assert.equal(show(assignReplicas([7], 3, 1)), "7 · 7 · 7");
});
