/**
 * ListPartitionReassignments (key 46), v0: the reassignments in progress. A single broker has
 * none to run (a reassignment needs a second replica to move to), so the answer is always the
 * empty list, which is what `kafka-topics --describe` expects of a cluster at rest.
 *
 * @module
 */
import type {
  ListPartitionReassignmentsRequest,
  ListPartitionReassignmentsResponse,
} from "../protocol/messages/list_partition_reassignments.ts";
import { ErrorCode } from "../protocol/error_codes.ts";

/**
 * Answers ListPartitionReassignments: none in progress.
 *
 * @example
 * ```ts ignore
 * registry.register(46, handleListPartitionReassignments);
 * ```
 */
export function handleListPartitionReassignments(
  _request: ListPartitionReassignmentsRequest,
): ListPartitionReassignmentsResponse {
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics: [] };
}
