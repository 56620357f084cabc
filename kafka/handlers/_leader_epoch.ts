/**
 * The leader-epoch check Fetch (v9+), ListOffsets (v4+) and OffsetForLeaderEpoch (v2+) make on
 * a request's current_leader_epoch (KIP-320): a client behind the leader's epoch is fenced, one
 * ahead of it knows of a leader this broker has not heard of yet.
 *
 * @module
 */
import { ErrorCode } from "../protocol/error_codes.ts";

/**
 * NONE when `requested` is absent (-1) or the partition's epoch; FENCED_LEADER_EPOCH when older;
 * UNKNOWN_LEADER_EPOCH when newer.
 */
export function leaderEpochError(requested: number | undefined, current: number): number {
  if (requested === undefined || requested < 0 || requested === current) return ErrorCode.NONE;
  return requested < current ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
}
