/**
 * OffsetFetch (key 9), v0–v7: the committed offsets of the partitions asked for (-1 and "" when
 * none), or with a null topic list (v2+) every offset the group has. An error before the group is
 * looked at goes to every partition in v0–v1 and to the top level (no partitions) in v2+, as
 * Apache's OffsetFetchRequest.getErrorResponse does. (Apache 2.8 reads v0 from ZooKeeper; herd
 * answers it like v1.)
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import { ErrorCode } from "../group/errors.ts";
import type { FetchedOffset } from "../group/state_machine.ts";
import type { OffsetFetchRequest, OffsetFetchResponse } from "../protocol/messages/offset_fetch.ts";
import { byTopic } from "./_group_common.ts";
import type { Handler } from "./handler.ts";

/** Kafka's UNSTABLE_OFFSET_COMMIT. */
const UNSTABLE_OFFSET_COMMIT = 88;

/**
 * The OffsetFetch handler.
 *
 * @example
 * ```ts ignore
 * registry.register(9, offsetFetchHandler(groups));
 * ```
 */
export function offsetFetchHandler(
  groups: GroupCoordinator,
): Handler<OffsetFetchRequest, OffsetFetchResponse> {
  return (req, ctx) => {
    const v = ctx.apiVersion;
    const asked = req.topics === null
      ? null
      : req.topics.flatMap((t) =>
        t.partitionIndexes.map((partition) => ({ topic: t.name, partition }))
      );
    const r = groups.fetchOffsets(req.groupId, asked);
    // v7+ require_stable: offsets a transaction has written but not yet committed are
    // UNSTABLE_OFFSET_COMMIT (the consumer retries), as Kafka 2.8 answers.
    let offsets: FetchedOffset[] = !req.requireStable
      ? r.offsets
      : r.offsets.map((o) =>
        groups.machine.hasPendingTxnOffsets(req.groupId, o.topic, o.partition)
          ? { ...o, offset: -1, leaderEpoch: -1, metadata: "", errorCode: UNSTABLE_OFFSET_COMMIT }
          : o
      );
    let errorCode = r.errorCode;
    if (errorCode !== ErrorCode.NONE) {
      offsets = v >= 2 ? [] : (asked ?? []).map((tp) => ({
        ...tp,
        offset: -1,
        leaderEpoch: -1,
        metadata: "",
        errorCode,
      }));
      if (v < 2) errorCode = ErrorCode.NONE;
    }
    return {
      throttleTimeMs: 0,
      errorCode,
      topics: [...byTopic(offsets)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({
          partitionIndex: p.partition,
          committedOffset: p.offset,
          committedLeaderEpoch: p.leaderEpoch,
          metadata: p.metadata,
          errorCode: p.errorCode,
        })),
      })),
    };
  };
}
