/**
 * `kafka-topics --describe` lines, byte for byte as Kafka 2.8 prints them in ZooKeeper mode
 * (zk-layout.md §5): tab-separated, a partition line starting with a tab, `Configs: ` keeping its
 * space when empty, configs in java.util.HashMap order, `Leader: none` without a leader.
 *
 * @module
 */
import { javaHashOrder, javaStringHash } from "../../internal/java_hash.ts";

/** What --describe knows of one partition. */
export interface PartitionView {
  partition: number;
  replicas: number[];
  /** Null when the state znode is missing. */
  leader: number | null;
  isr: number[];
}

/** What --describe knows of one topic. */
export interface TopicView {
  name: string;
  topicId?: string;
  /** Partitions as the topic znode's JSON lists them (its first decides ReplicationFactor). */
  partitionsInZnodeOrder: PartitionView[];
  configs: Map<string, string>;
  markedForDeletion: boolean;
}

/** The configs as `k=v,k=v`, in the order a java.util.HashMap of them iterates. */
export function formatConfigs(configs: Map<string, string>): string {
  return javaHashOrder([...configs.keys()], javaStringHash)
    .map((k) => `${k}=${configs.get(k)}`).join(",");
}

/** The topic line (with its newline). */
export function topicLine(t: TopicView): string {
  const id = t.topicId === undefined ? "" : `\tTopicId: ${t.topicId}`;
  const rf = t.partitionsInZnodeOrder[0]?.replicas.length ?? 0;
  const deleted = t.markedForDeletion ? "\tMarkedForDeletion: true" : "";
  return `Topic: ${t.name}${id}\tPartitionCount: ${t.partitionsInZnodeOrder.length}` +
    `\tReplicationFactor: ${rf}\tConfigs: ${formatConfigs(t.configs)}${deleted}\n`;
}

/** One partition line (with its newline). */
export function partitionLine(t: TopicView, p: PartitionView): string {
  const leader = p.leader === null || p.leader === -1 ? "none" : String(p.leader);
  const deleted = t.markedForDeletion ? "\tMarkedForDeletion: true" : "";
  return `\tTopic: ${t.name}\tPartition: ${p.partition}\tLeader: ${leader}\tReplicas: ${
    p.replicas.join(",")
  }\tIsr: ${p.isr.join(",")}${deleted}\n`;
}

/** Which partitions a report option keeps (none given: all, with the topic line). */
export interface DescribeFilter {
  topicsWithOverrides: boolean;
  underReplicated: boolean;
  unavailable: boolean;
  liveBrokers: ReadonlySet<number>;
}

/** The --describe output for `topics` (already sorted by name). */
export function describeTopics(topics: readonly TopicView[], f: DescribeFilter): string {
  let out = "";
  const report = f.underReplicated || f.unavailable;
  for (const t of topics) {
    if (f.topicsWithOverrides) {
      if (t.configs.size > 0) out += topicLine(t);
      continue;
    }
    if (!report) out += topicLine(t);
    const sorted = [...t.partitionsInZnodeOrder].sort((a, b) => a.partition - b.partition);
    for (const p of sorted) {
      const unavailable = p.leader === null || p.leader === -1 || !f.liveBrokers.has(p.leader);
      if (f.underReplicated && !(p.isr.length < p.replicas.length)) continue;
      if (f.unavailable && !unavailable) continue;
      out += partitionLine(t, p);
    }
  }
  return out;
}
