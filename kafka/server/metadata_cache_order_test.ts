import { deepEqual as assertEquals } from "node:assert/strict";
import { MetadataCacheOrder, namedTopicOrder } from "./metadata_cache_order.ts";
import type { PartitionState, TopicState } from "./broker_state.ts";
import {
  METADATA_ORDER_SESSIONS,
  type OrderStep,
} from "../handlers/testdata/metadata_order_steps.ts";

/** What Apache 2.8.2 answered after each step (kafka/handlers/testdata/README.md). */
interface Recorded {
  session: string;
  steps: {
    step: string;
    all: [string, number[]][];
    kcat: [string, number[]][];
    named: { asked: string[]; answered: string[] }[];
  }[];
}

const RECORDED: Recorded[] = JSON.parse(
  await Deno.readTextFile(
    new URL("../handlers/testdata/apache-2.8.2-metadata-order.json", import.meta.url),
  ),
);

function topic(name: string, count: number): TopicState {
  const partitions: PartitionState[] = [];
  for (let p = 0; p < count; p++) {
    partitions.push({
      partition: p,
      leader: 1,
      leaderEpoch: 0,
      replicas: [1],
      isr: [1],
      offlineReplicas: [],
    });
  }
  return { name, topicId: "", isInternal: name.startsWith("__"), partitions };
}

/** The step replayed on herd's model: one publish per topic created, one per deletion. */
function replay(order: MetadataCacheOrder, topics: Map<string, TopicState>, s: OrderStep) {
  if (s.restart !== undefined) order = MetadataCacheOrder.of(topics);
  for (const [name, count] of s.create ?? []) {
    topics.set(name, topic(name, count));
    order.publish(topics);
  }
  if (s.delete) {
    for (const name of s.delete) topics.delete(name);
    order.publish(topics);
  }
  if (s.group !== undefined) {
    // offsets.topic.num.partitions=1 on the recording broker.
    topics.set("__consumer_offsets", topic("__consumer_offsets", 1));
    order.publish(topics);
  }
  return order;
}

for (const session of METADATA_ORDER_SESSIONS) {
  Deno.test(`metadata order: Apache 2.8.2's "${session.name}" history`, () => {
    const recorded = RECORDED.find((r) => r.session === session.name)!;
    let order = new MetadataCacheOrder();
    const topics = new Map<string, TopicState>();
    for (const [i, s] of session.steps.entries()) {
      order = replay(order, topics, s);
      const want = recorded.steps[i];
      const got = order.allTopics().map((t): [string, number[]] => [t, order.partitions(t)]);
      assertEquals(got, want.all, `${session.name} / ${s.name}`);
      for (const n of want.named) {
        assertEquals(namedTopicOrder(n.asked, (t) => topics.has(t)), n.answered, n.asked.join());
      }
      // kcat -L keeps the broker's topic order and sorts partitions (librdkafka).
      assertEquals(
        want.kcat,
        want.all.map(([t, ps]): [string, number[]] => [t, [...ps].sort((a, b) => a - b)]),
      );
    }
  });
}

Deno.test("metadata order: a topic's partitions move once after the next update", () => {
  const order = new MetadataCacheOrder();
  const topics = new Map([["a", topic("a", 3)]]);
  order.publish(topics);
  assertEquals(order.partitions("a"), [0, 1, 2]);
  order.publish(topics); // nothing changed: no update
  assertEquals(order.partitions("a"), [0, 1, 2]);
  topics.set("b", topic("b", 1));
  order.publish(topics);
  assertEquals(order.partitions("a"), [0, 2, 1]);
});

Deno.test("metadata order: named topics, known first, a set's order", () => {
  const known = (t: string) => t !== "nope";
  assertEquals(namedTopicOrder(["zeta", "nope", "alpha", "zeta"], known), [
    "zeta",
    "alpha",
    "nope",
  ]);
  assertEquals(namedTopicOrder([], known), []);
});
