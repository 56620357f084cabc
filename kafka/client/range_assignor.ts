/**
 * The range assignor, the Java consumer's default in Kafka 2.8 (`partition.assignment.strategy`
 * = RangeAssignor): for each topic, the members subscribed to it sorted by member id share its
 * partitions in contiguous ranges, the first `partitions % members` getting one more.
 *
 * @module
 */
import type { TopicPartitions } from "./consumer_protocol.ts";

/** The protocol name a Java consumer advertises for this assignor. */
export const RANGE_ASSIGNOR = "range";

/**
 * Assigns `partitionsPerTopic` to `subscriptions` (member id → topics).
 *
 * @example
 * ```ts
 * import { rangeAssign } from "./range_assignor.ts";
 * rangeAssign({ a: 3 }, new Map([["m1", ["a"]], ["m2", ["a"]]])).get("m1");
 * // [{ topic: "a", partitions: [0, 1] }]
 * ```
 */
export function rangeAssign(
  partitionsPerTopic: Readonly<Record<string, number>>,
  subscriptions: ReadonlyMap<string, readonly string[]>,
): Map<string, TopicPartitions[]> {
  const out = new Map<string, TopicPartitions[]>();
  const byTopic = new Map<string, string[]>();
  for (const [member, topics] of subscriptions) {
    out.set(member, []);
    for (const t of topics) {
      const list = byTopic.get(t) ?? [];
      if (!list.includes(member)) list.push(member);
      byTopic.set(t, list);
    }
  }
  for (const [topic, members] of [...byTopic].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const count = partitionsPerTopic[topic];
    if (count === undefined) continue; // a topic the cluster does not have
    members.sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
    const per = Math.floor(count / members.length);
    const extra = count % members.length;
    members.forEach((member, i) => {
      const start = per * i + Math.min(i, extra);
      const length = per + (i + 1 > extra ? 0 : 1);
      if (length === 0) return;
      const partitions = Array.from({ length }, (_, j) => start + j);
      out.get(member)!.push({ topic, partitions });
    });
  }
  return out;
}
