/**
 * TxnOffsetCommit (key 28), v0–v3, as Kafka 2.8.2 answers it: offsets committed inside a
 * producer's transaction, written to `__consumer_offsets` as a transactional batch and committed
 * (or dropped) by the transaction's marker there. Partitions of unknown topics are
 * UNKNOWN_TOPIC_OR_PARTITION; an empty group id is INVALID_GROUP_ID.
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import type { GroupCoordinator } from "../group/coordinator.ts";
import { ErrorCode } from "../group/errors.ts";
import type { OffsetCommitEntry } from "../group/state_machine.ts";
import type {
  TxnOffsetCommitRequest,
  TxnOffsetCommitResponse,
} from "../protocol/messages/txn_offset_commit.ts";
import { byTopic, partitionExists } from "./_group_common.ts";
import type { Handler } from "./handler.ts";

/**
 * The TxnOffsetCommit handler over the group coordinator.
 *
 * @example
 * ```ts ignore
 * registry.register(28, txnOffsetCommitHandler(groups));
 * ```
 */
export function txnOffsetCommitHandler(
  groups: GroupCoordinator,
  clock: Clock = groups.machine.clock,
): Handler<TxnOffsetCommitRequest, TxnOffsetCommitResponse> {
  return async (req, ctx) => {
    const now = clock.now();
    const all: { topic: string; partition: number; errorCode: number }[] = [];
    const valid: OffsetCommitEntry[] = [];
    const slots: number[] = [];
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const known = partitionExists(ctx, t.name, p.partitionIndex);
        const errorCode = req.groupId === ""
          ? ErrorCode.INVALID_GROUP_ID
          : known
          ? ErrorCode.NONE
          : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        all.push({ topic: t.name, partition: p.partitionIndex, errorCode });
        if (errorCode !== ErrorCode.NONE) continue;
        slots.push(all.length - 1);
        valid.push({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch ?? -1,
          metadata: p.committedMetadata,
          commitTimestamp: now,
          expireTimestamp: null,
        });
      }
    }
    if (valid.length > 0) {
      const errors = await groups.commitTxnOffsets({
        groupId: req.groupId,
        generationId: req.generationId ?? -1,
        memberId: req.memberId ?? "",
        groupInstanceId: req.groupInstanceId ?? null,
        offsets: valid,
        producerId: req.producerId,
        producerEpoch: req.producerEpoch,
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
