/**
 * OffsetDelete (key 47), v0: deletes a group's offsets of topics it does not consume
 * (GROUP_SUBSCRIBED_TO_TOPIC for those it does; partitions not in the metadata get
 * UNKNOWN_TOPIC_OR_PARTITION). A group-level error is answered with no topics, as Apache does.
 *
 * @module
 */
import type { GroupCoordinator } from "../group/coordinator.ts";
import { ErrorCode } from "../group/errors.ts";
import type {
  OffsetDeleteRequest,
  OffsetDeleteResponse,
} from "../protocol/messages/offset_delete.ts";
import { byTopic, partitionExists } from "./_group_common.ts";
import type { Handler } from "./handler.ts";

/**
 * The OffsetDelete handler.
 *
 * @example
 * ```ts ignore
 * registry.register(47, offsetDeleteHandler(groups));
 * ```
 */
export function offsetDeleteHandler(
  groups: GroupCoordinator,
): Handler<OffsetDeleteRequest, OffsetDeleteResponse> {
  return async (req, ctx) => {
    const all: { topic: string; partition: number; errorCode: number }[] = req.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        errorCode: partitionExists(ctx, t.name, p.partitionIndex)
          ? ErrorCode.NONE
          : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      }))
    );
    const known = all.filter((p) => p.errorCode === ErrorCode.NONE);
    const r = await groups.deleteOffsets(req.groupId, known);
    if (r.errorCode !== ErrorCode.NONE) {
      return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [] };
    }
    known.forEach((p, i) => p.errorCode = r.partitionErrors[i]);
    return {
      errorCode: ErrorCode.NONE,
      throttleTimeMs: 0,
      topics: [...byTopic(all)].map(([name, ps]) => ({
        name,
        partitions: ps.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })),
      })),
    };
  };
}
