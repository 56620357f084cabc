/**
 * The Kafka error codes the group coordinator answers with (Apache Kafka 2.8.2's `Errors`), and
 * the messages FindCoordinator v1+ carries (`Errors.message()`: NONE's is its name).
 *
 * @module
 */

/** Kafka error codes used by the group coordinator and its handlers. */
export const ErrorCode = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  OFFSET_METADATA_TOO_LARGE: 12,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  INVALID_COMMIT_OFFSET_SIZE: 28,
  INVALID_REQUEST: 42,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
  GROUP_SUBSCRIBED_TO_TOPIC: 86,
  UNSTABLE_OFFSET_COMMIT: 88,
} as const;

const MESSAGES: Record<number, string> = {
  [-1]: "The server experienced an unexpected error when processing the request.",
  0: "NONE",
  14: "The coordinator is loading and hence can't process requests.",
  15: "The coordinator is not available.",
  16: "This is not the correct coordinator.",
  42: "This most likely occurs because of a request being malformed by the client library or " +
    "the message was sent to an incompatible broker. See the broker logs for more details.",
};

/**
 * The message Apache puts beside an error code (FindCoordinator v1+).
 *
 * @example
 * ```ts
 * errorMessage(15); // "The coordinator is not available."
 * ```
 */
export function errorMessage(code: number): string {
  return MESSAGES[code] ?? `error ${code}`;
}

/** How an append's failure is answered (GroupMetadataManager's mapping). */
export function storeError(code: number, offsetCommit: boolean): number {
  switch (code) {
    case ErrorCode.NONE:
      return code;
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case 19: // NOT_ENOUGH_REPLICAS
    case 20: // NOT_ENOUGH_REPLICAS_AFTER_APPEND
    case 7: // REQUEST_TIMED_OUT
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case 6: // NOT_LEADER_OR_FOLLOWER
    case 56: // KAFKA_STORAGE_ERROR
      return ErrorCode.NOT_COORDINATOR;
    case 10: // MESSAGE_TOO_LARGE
    case 18: // RECORD_LIST_TOO_LARGE
    case 4: // INVALID_FETCH_SIZE
      return offsetCommit ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE : ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
  }
}
