/**
 * The Kafka error codes the topic admin paths answer with, and the error that carries one with
 * Apache 2.8.2's message (ApiError: a code and a message, null when Kafka sends none).
 *
 * @module
 */

/** Kafka error codes (org.apache.kafka.common.protocol.Errors) used by topic administration. */
export const ErrorCode = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  REQUEST_TIMED_OUT: 7,
  COORDINATOR_NOT_AVAILABLE: 15,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  NOT_CONTROLLER: 41,
  INVALID_REQUEST: 42,
  POLICY_VIOLATION: 44,
  TOPIC_DELETION_DISABLED: 73,
  UNKNOWN_TOPIC_ID: 100,
} as const;

/** A refused topic operation: Kafka's error code and message (null: Kafka sends none). */
export class AdminError extends Error {
  override name = "AdminError";
  constructor(readonly code: number, readonly apiMessage: string | null) {
    super(apiMessage ?? `error ${code}`);
  }
}

/** What one topic's operation came to: NONE, or the code and message of the failure. */
export interface ApiResult {
  readonly code: number;
  readonly message: string | null;
}

/** Success. */
export const OK: ApiResult = { code: ErrorCode.NONE, message: null };

/** An AdminError as a result; anything else is a bug, answered as Kafka answers one. */
export function resultOf(e: unknown): ApiResult {
  if (e instanceof AdminError) return { code: e.code, message: e.apiMessage };
  // Errors.UNKNOWN_SERVER_ERROR (-1), with the exception's message, as ApiError.fromThrowable.
  return { code: -1, message: e instanceof Error ? e.message : String(e) };
}
