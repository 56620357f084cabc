/**
 * OffsetCommit (key 8), v0–v8, as KafkaApis 2.8.2 prepares it for the coordinator: partitions
 * not in the metadata get UNKNOWN_TOPIC_OR_PARTITION; v1 may carry a commit timestamp per
 * partition (-1: now); v2–v4 a retention time that becomes an expire timestamp (stored as value
 * v1); v6+ the leader epoch; v7+ the group.instance.id. The answer waits for the append.
 * (Apache 2.8 keeps v0 commits in ZooKeeper; herd stores them like v1 commits outside group
 * management.)
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import { ErrorCode } from "../group/errors.ts";
import type { OffsetCommitEntry } from "../group/state_machine.ts";
import type {
  OffsetCommitRequest,
  OffsetCommitResponse,
} from "../protocol/messages/offset_commit.ts";
import { byTopic, partitionExists } from "./_group_common.ts";
import type { Handler } from "./handler.ts";
import type { Clock } from "../../internal/clock.ts";

/**
 * The OffsetCommit handler; `clock` stamps the commits (the coordinator's clock).
 *
 * @example
 * ```ts ignore
 * registry.register(8, offsetCommitHandler(groups, systemClock));
 * ```
 */
export function offsetCommitHandler(
  groups: GroupCoordinator,
  clock: Clock = groups.machine.clock,
): Handler<OffsetCommitRequest, OffsetCommitResponse> {
  return async (req, ctx) => {
    const v = ctx.apiVersion;
    const now = clock.now();
    const retention = v >= 2 && v <= 4 ? req.retentionTimeMs ?? -1 : -1;
    const all: { topic: string; partition: number; errorCode: number }[] = [];
    const valid: OffsetCommitEntry[] = [];
    const slots: number[] = [];
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const known = partitionExists(ctx, t.name, p.partitionIndex);
        all.push({
          topic: t.name,
          partition: p.partitionIndex,
          errorCode: known ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        });
        if (!known) continue;
        const ts = v === 1 && (p.commitTimestamp ?? -1) !== -1 ? p.commitTimestamp! : now;
        slots.push(all.length - 1);
        valid.push({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: v >= 6 ? p.committedLeaderEpoch ?? -1 : -1,
          metadata: p.committedMetadata,
          commitTimestamp: ts,
          expireTimestamp: retention === -1 ? null : ts + retention,
        });
      }
    }
    if (valid.length > 0) {
      const errors = await groups.commitOffsets({
        groupId: req.groupId,
        generationId: req.generationIdOrMemberEpoch ?? -1,
        memberId: req.memberId ?? "",
        groupInstanceId: v >= 7 ? req.groupInstanceId ?? null : null,
        offsets: valid,
      });
      errors.forEach((e, i) => all[slots[i]].errorCode = e);
    }
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(all)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })),
      })),
    };
  };
}
