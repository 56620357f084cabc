/**
 * What kafka-consumer-groups asks a cluster, over kafka/client: group listings from every
 * broker (ListGroups), a group's description from its coordinator (DescribeGroups, the member
 * assignments decoded with the consumer protocol), its committed offsets (OffsetFetch), log
 * start and end offsets from the partition leaders (ListOffsets), DeleteGroups, and commits for
 * --reset-offsets --execute.
 *
 * @module
 */
import type { KafkaClient } from "../../kafka/client/client.ts";
import { KafkaError } from "../../kafka/client/client.ts";
import { decodeAssignment } from "../../kafka/client/consumer_protocol.ts";
import { groupError } from "../../kafka/client/consumer_group.ts";
import type { ListGroupsResponse } from "../../kafka/protocol/messages/list_groups.ts";
import type { DescribeGroupsResponse } from "../../kafka/protocol/messages/describe_groups.ts";
import type { OffsetFetchResponse } from "../../kafka/protocol/messages/offset_fetch.ts";
import type { DeleteGroupsResponse } from "../../kafka/protocol/messages/delete_groups.ts";
import type { OffsetCommitResponse } from "../../kafka/protocol/messages/offset_commit.ts";
import type { ListOffsetsResponse } from "../../kafka/protocol/messages/list_offsets.ts";
import type { OffsetDeleteResponse } from "../../kafka/protocol/messages/offset_delete.ts";
import type { TP } from "./order.ts";

const OFFSET_COMMIT = 8;
const OFFSET_FETCH = 9;
const LIST_OFFSETS = 2;
const DESCRIBE_GROUPS = 15;
const LIST_GROUPS = 16;
const DELETE_GROUPS = 42;

/** One member as DescribeGroups tells it. */
export interface Member {
  consumerId: string;
  /** group.instance.id of a static member, "" for a dynamic one. */
  groupInstanceId: string;
  host: string;
  clientId: string;
  assignment: TP[];
}

/** A group as the admin client's describeConsumerGroups gives it. */
export interface GroupDescription {
  groupId: string;
  state: string;
  assignmentStrategy: string;
  coordinator: { id: number; host: string; port: number };
  members: Member[];
}

/** Kafka's ListGroups answers from every broker, in answer order. */
export async function listGroups(
  client: KafkaClient,
  states: string[] = [],
): Promise<{ groupId: string; state: string }[]> {
  const md = await client.metadata([]);
  const out: { groupId: string; state: string }[] = [];
  for (const b of md.brokers) {
    const c = await client.broker(b.nodeId);
    const r = await c.send<ListGroupsResponse>(LIST_GROUPS, { statesFilter: states });
    if (r.errorCode !== 0) throw groupError(r.errorCode);
    for (const g of r.groups) {
      // The admin client lists consumer groups and groups with no protocol type.
      if (g.protocolType === "consumer" || g.protocolType === "") {
        out.push({ groupId: g.groupId, state: g.groupState ?? "" });
      }
    }
  }
  return out;
}

/** DescribeGroups at the group's coordinator. */
export async function describeGroup(
  client: KafkaClient,
  groupId: string,
): Promise<GroupDescription> {
  const c = await client.coordinator(groupId);
  const r = await c.send<DescribeGroupsResponse>(DESCRIBE_GROUPS, {
    groups: [groupId],
    includeAuthorizedOperations: false,
  });
  const g = r.groups[0];
  if (g.errorCode !== 0) throw groupError(g.errorCode);
  const [host, port] = c.address.split(/:(?=\d+$)/);
  const md = await client.metadata([]);
  const node = md.brokers.find((b) => b.host === host && b.port === Number(port));
  return {
    groupId,
    state: g.groupState,
    assignmentStrategy: g.protocolData,
    coordinator: { id: node?.nodeId ?? -1, host, port: Number(port) },
    members: g.members.map((m) => ({
      consumerId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? "",
      host: m.clientHost,
      clientId: m.clientId,
      assignment: g.protocolType === "consumer" && m.memberAssignment.length > 0
        ? decodeAssignment(m.memberAssignment).partitions.flatMap((tp) =>
          tp.partitions.map((partition) => ({ topic: tp.topic, partition }))
        )
        : [],
    })),
  };
}

/** The group's committed offsets, in the coordinator's answer order. */
export async function committedOffsets(
  client: KafkaClient,
  groupId: string,
): Promise<{ topic: string; partition: number; offset: number }[]> {
  const c = await client.coordinator(groupId);
  const r = await c.send<OffsetFetchResponse>(OFFSET_FETCH, {
    groupId,
    topics: null,
    requireStable: false,
  });
  if ((r.errorCode ?? 0) !== 0) throw groupError(r.errorCode!);
  const out: { topic: string; partition: number; offset: number }[] = [];
  for (const t of r.topics) {
    for (const p of t.partitions) {
      if (p.errorCode === 0 && p.committedOffset >= 0) {
        out.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset });
      }
    }
  }
  return out;
}

/** ListOffsets at each partition's leader: -1 latest, -2 earliest; missing when unknown. */
export async function listOffsets(
  client: KafkaClient,
  tps: readonly TP[],
  timestamp: number,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (tps.length === 0) return out;
  const topics = [...new Set(tps.map((tp) => tp.topic))];
  const md = await client.metadata(topics);
  const leaders = new Map<string, number>();
  for (const t of md.topics) {
    for (const p of t.partitions) leaders.set(`${t.name}:${p.partitionIndex}`, p.leaderId);
  }
  const byLeader = new Map<number, TP[]>();
  for (const tp of tps) {
    const l = leaders.get(`${tp.topic}:${tp.partition}`);
    if (l === undefined || l < 0) continue;
    byLeader.set(l, [...(byLeader.get(l) ?? []), tp]);
  }
  for (const [leader, list] of byLeader) {
    const c = await client.broker(leader);
    const byTopic = new Map<string, number[]>();
    for (const tp of list) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    const r = await c.send<ListOffsetsResponse>(LIST_OFFSETS, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [...byTopic].map(([name, ps]) => ({
        name,
        partitions: ps.map((partitionIndex) => ({
          partitionIndex,
          currentLeaderEpoch: -1,
          timestamp,
          maxNumOffsets: 1,
        })),
      })),
    });
    for (const t of r.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === 0) {
          out.set(`${t.name}:${p.partitionIndex}`, p.offset ?? p.oldStyleOffsets?.[0] ?? -1);
        }
      }
    }
  }
  return out;
}

/** DeleteGroups at each group's coordinator: group → error code. */
export async function deleteGroups(
  client: KafkaClient,
  groupIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const g of groupIds) {
    try {
      const c = await client.coordinator(g);
      const r = await c.send<DeleteGroupsResponse>(DELETE_GROUPS, { groupsNames: [g] });
      out.set(g, r.results.find((x) => x.groupId === g)?.errorCode ?? -1);
    } catch (e) {
      out.set(g, e instanceof KafkaError ? e.code : -1);
    }
  }
  return out;
}

/** OffsetCommit of `offsets` for a group with no members (generation -1, no member id). */
export async function commitOffsets(
  client: KafkaClient,
  groupId: string,
  offsets: readonly { topic: string; partition: number; offset: number }[],
): Promise<void> {
  const c = await client.coordinator(groupId);
  const byTopic = new Map<string, { partition: number; offset: number }[]>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
  const r = await c.send<OffsetCommitResponse>(OFFSET_COMMIT, {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: "",
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [...byTopic].map(([name, ps]) => ({
      name,
      partitions: ps.map((p) => ({
        partitionIndex: p.partition,
        committedOffset: p.offset,
        committedLeaderEpoch: -1,
        commitTimestamp: -1,
        committedMetadata: "",
      })),
    })),
  });
  for (const t of r.topics) {
    for (const p of t.partitions) if (p.errorCode !== 0) throw groupError(p.errorCode);
  }
}

const OFFSET_DELETE = 47;

/** The partitions of `topic`, or the error code its metadata carries (describeTopics). */
export async function describeTopic(
  client: KafkaClient,
  topic: string,
): Promise<TP[] | number> {
  const md = await client.metadata([topic]);
  const t = md.topics.find((x) => x.name === topic);
  if (!t) return 3;
  if (t.errorCode !== 0) return t.errorCode;
  // The admin client's TopicDescription lists partitions by number.
  return t.partitions.map((p) => ({ topic, partition: p.partitionIndex }))
    .sort((a, b) => a.partition - b.partition);
}

/** OffsetDelete at the group's coordinator: the top-level error and each partition's. */
export async function deleteOffsets(
  client: KafkaClient,
  groupId: string,
  tps: readonly TP[],
): Promise<{ errorCode: number; partitions: Map<string, number> }> {
  const c = await client.coordinator(groupId);
  const byTopic = new Map<string, number[]>();
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  const r = await c.send<OffsetDeleteResponse>(OFFSET_DELETE, {
    groupId,
    topics: [...byTopic].map(([name, ps]) => ({
      name,
      partitions: ps.map((partitionIndex) => ({ partitionIndex })),
    })),
  });
  const partitions = new Map<string, number>();
  for (const t of r.topics) {
    for (const p of t.partitions) partitions.set(`${t.name}:${p.partitionIndex}`, p.errorCode);
  }
  return { errorCode: r.errorCode, partitions };
}
