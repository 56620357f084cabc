/**
 * What the group state machine asks its shell to do: answer a request (now or after a
 * rebalance or an append), or append records to a partition of `__consumer_offsets` and tell
 * the machine how that went.
 *
 * @module
 */
import type { ReplyId } from "./group.ts";
import type { OffsetsTopicEntry } from "./records.ts";

/** A member as the leader's JoinGroup answer lists it. */
export interface JoinedMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Uint8Array;
}

/** A JoinGroup answer (KafkaApis turns it into the response of the request's version). */
export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  /** The leader's member id; "" when there is none. */
  leader: string;
  memberId: string;
  /** Filled for the leader only. */
  members: JoinedMember[];
}

/** A SyncGroup answer. */
export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Uint8Array;
}

/** A LeaveGroup answer: the top-level error and one per leaving member, in request order. */
export interface LeaveResult {
  errorCode: number;
  memberErrors: number[];
}

/** An OffsetDelete answer: the top-level error and one per partition, in request order. */
export interface OffsetDeleteResult {
  errorCode: number;
  partitionErrors: number[];
}

/** Any deferred answer, tagged by API. */
export type ReplyBody =
  | { api: "join"; result: JoinResult }
  | { api: "sync"; result: SyncResult }
  | { api: "heartbeat"; errorCode: number }
  | { api: "leave"; result: LeaveResult }
  | { api: "commit"; errors: number[] }
  | { api: "deleteGroups"; errors: number[] }
  | { api: "offsetDelete"; result: OffsetDeleteResult };

/** One thing for the shell to do. */
export type Effect =
  | { type: "reply"; id: ReplyId; body: ReplyBody }
  | {
    type: "append";
    /** Pass back to `appendCompleted` with the outcome. */
    token: number;
    partition: number;
    entries: OffsetsTopicEntry[];
    /** An offset commit's batch (base sequence 0) rather than group metadata / tombstones. */
    offsetCommit: boolean;
    /** A TxnOffsetCommit's batch: transactional, with the producer's id and epoch. */
    producer?: { producerId: number; producerEpoch: number };
  };
