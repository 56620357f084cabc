/**
 * Fetch (key 1), v0–v12, as a single Apache Kafka 2.8.2 broker answers consumers: whole batches
 * from each partition's fetch offset up to the high watermark (read_uncommitted) or the last
 * stable offset (read_committed, with the aborted transactions overlapping what is returned, from
 * the segments' `.txnindex`, so the consumer drops their records), within the partition's
 * and the response's byte limits (v3+: the first partition with data returns at least one batch
 * even when it is larger, KIP-74), waiting up to max_wait_ms for min_bytes to arrive.
 *
 * Fetch sessions (v7+, KIP-227) are answered with session id 0, which is what a broker whose
 * session cache is full says: the client keeps sending full fetches, and every answer lists every
 * partition asked. Old fetches (v0–v3) get their records down-converted to magic 0/1.
 *
 * @module
 */
import type {
  FetchableTopicResponse,
  FetchRequest,
  FetchResponse,
  PartitionData,
} from "../protocol/messages/fetch.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { downConvert } from "../protocol/records/down_convert.ts";
import { RecordsError } from "../protocol/records/errors.ts";
import type { LedPartition, LogView, ReplicaManager } from "../server/replica_manager.ts";
import { leaderEpochError } from "./_leader_epoch.ts";
import { AFTER_ENCODE, type Handler } from "./handler.ts";
import { giveReadBuffer } from "../log/read_pool.ts";

const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * The Fetch handler over `replicas`.
 *
 * @example
 * ```ts ignore
 * registry.register(1, fetchHandler(replicaManager));
 * ```
 */
export function fetchHandler(replicas: ReplicaManager): Handler<FetchRequest, FetchResponse> {
  return async (request, ctx) => {
    const v = ctx.apiVersion;
    const targets = resolve(replicas, request);
    let out = await readAll(request, v, targets);
    if (out.bytes < request.minBytes && request.maxWaitMs > 0 && !out.anyError) {
      release(out.pooled);
      const logs: LogView[] = [];
      for (const t of targets) for (const p of t) if (!("errorCode" in p)) logs.push(p.log);
      await replicas.waitForData(logs, request.minBytes - out.bytes, request.maxWaitMs);
      out = await readAll(request, v, targets);
    }
    const pooled = out.pooled;
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses: out.topics,
      // The records are views of pooled read buffers: reusable once encoded into the output.
      [AFTER_ENCODE]: () => release(pooled),
    };
  };
}

type Target = LedPartition | { errorCode: number };

/** Each asked partition's log, or the error to answer for it. */
function resolve(replicas: ReplicaManager, request: FetchRequest): Target[][] {
  return request.topics.map((t) =>
    t.partitions.map((p): Target => {
      const led = replicas.partition(t.topic, p.partition);
      if ("errorCode" in led) return { errorCode: led.errorCode };
      const fenced = leaderEpochError(p.currentLeaderEpoch, led.state.leaderEpoch);
      return fenced === ErrorCode.NONE ? led : { errorCode: fenced };
    })
  );
}

interface ReadOut {
  topics: FetchableTopicResponse[];
  bytes: number;
  anyError: boolean;
  /** The pooled read buffers the records are views of. */
  pooled: Uint8Array[];
}

function release(pooled: Uint8Array[]): void {
  for (const b of pooled) giveReadBuffer(b);
  pooled.length = 0;
}

async function readAll(request: FetchRequest, v: number, targets: Target[][]): Promise<ReadOut> {
  const committed = (request.isolationLevel ?? 0) === 1;
  let remaining = v >= 3 ? (request.maxBytes ?? 0x7fffffff) : 0x7fffffff;
  let minOneMessage = v >= 3;
  let bytes = 0;
  let anyError = false;
  const pooled: Uint8Array[] = [];
  const topics: FetchableTopicResponse[] = [];
  for (let ti = 0; ti < request.topics.length; ti++) {
    const t = request.topics[ti];
    const partitions: PartitionData[] = [];
    for (let pi = 0; pi < t.partitions.length; pi++) {
      const p = t.partitions[pi];
      const target = targets[ti][pi];
      if ("errorCode" in target) {
        anyError = true;
        partitions.push(errorData(p.partition, target.errorCode));
        continue;
      }
      const log = target.log;
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
        anyError = true;
        partitions.push(errorData(p.partition, ErrorCode.OFFSET_OUT_OF_RANGE));
        continue;
      }
      const limit = Math.min(p.partitionMaxBytes, remaining);
      let records = EMPTY;
      let hw = log.highWatermark;
      const lso = log.lastStableOffset ?? hw;
      let logStart = log.logStartOffset;
      if (limit > 0 || minOneMessage) {
        const read = await log.read(p.fetchOffset, limit, {
          minOneMessage,
          maxOffset: committed ? lso : hw,
          pooled: true,
        });
        records = read.records;
        if (records.length > 0) pooled.push(records);
        hw = read.highWatermark;
        logStart = read.logStartOffset;
      }
      const aborted = committed
        ? records.length > 0 && log.abortedTransactions
          ? log.abortedTransactions(p.fetchOffset, lastOffsetOf(records) + 1)
          : []
        : null;
      if (records.length > 0 && v < 4) {
        try {
          records = downConvert(records, v <= 1 ? 0 : 1, p.fetchOffset);
        } catch (e) {
          if (!(e instanceof RecordsError)) throw e;
          anyError = true;
          partitions.push(errorData(p.partition, e.code));
          continue;
        }
      }
      if (records.length > 0) minOneMessage = false;
      remaining -= records.length;
      bytes += records.length;
      partitions.push({
        partitionIndex: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: hw,
        lastStableOffset: lso,
        logStartOffset: logStart,
        abortedTransactions: aborted,
        preferredReadReplica: -1,
        records,
      });
    }
    topics.push({ topic: t.topic, partitions });
  }
  return { topics, bytes, anyError, pooled };
}

function errorData(partition: number, errorCode: number): PartitionData {
  return {
    partitionIndex: partition,
    errorCode,
    highWatermark: -1,
    lastStableOffset: -1,
    logStartOffset: -1,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: EMPTY,
  };
}

/** The last offset of the last entry of whole batches (v2 batch or legacy wrapper message). */
function lastOffsetOf(records: Uint8Array): number {
  const v = new DataView(records.buffer, records.byteOffset, records.byteLength);
  let pos = 0;
  let last = pos;
  while (pos + 12 <= records.length) {
    last = pos;
    pos += 12 + v.getInt32(pos + 8);
  }
  const offset = Number(v.getBigInt64(last));
  return v.getInt8(last + 16) === 2 ? offset + v.getInt32(last + 23) : offset;
}
