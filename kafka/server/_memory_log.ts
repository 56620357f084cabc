/**
 * A partition log in memory for the data-path tests: the same validation as the disk log
 * (validateAndAssignOffsets), batches kept in a list. It tests the handlers and the replica
 * manager apart from how kafka/log keeps segments.
 *
 * @module
 */
import { validateAndAssignOffsets } from "../protocol/records/validate.ts";
import type { AppendInfo, LogSource, LogView, ReadInfo } from "./replica_manager.ts";

interface Kept {
  base: number;
  last: number;
  maxTimestamp: number;
  epoch: number;
  bytes: Uint8Array;
}

/** One partition's log in memory. */
export class MemoryLog implements LogView {
  logStartOffset = 0;
  logEndOffset = 0;
  private readonly batches: Kept[] = [];

  /**
   * `discard`: validate and assign offsets as usual but keep nothing (reads find no records):
   * a broker that costs its clients nothing but the validation, for the bench's load-tool ceiling.
   */
  constructor(
    private readonly timestampType: "CreateTime" | "LogAppendTime" = "CreateTime",
    private readonly now: () => number = Date.now,
    private readonly discard = false,
  ) {}

  get highWatermark(): number {
    return this.logEndOffset;
  }

  appendAsLeader(records: Uint8Array, leaderEpoch: number): Promise<AppendInfo> {
    const now = this.now();
    const v = validateAndAssignOffsets(records, {
      nextOffset: this.logEndOffset,
      now,
      timestampType: this.timestampType,
      partitionLeaderEpoch: leaderEpoch,
    });
    for (const b of this.discard ? [] : v.batches) {
      this.batches.push({
        base: b.baseOffset,
        last: b.lastOffset,
        maxTimestamp: b.maxTimestamp,
        epoch: leaderEpoch,
        bytes: v.records.slice(b.position, b.position + b.sizeInBytes),
      });
    }
    this.logEndOffset = v.lastOffset + 1;
    return Promise.resolve({
      baseOffset: v.firstOffset,
      lastOffset: v.lastOffset,
      logAppendTime: this.timestampType === "LogAppendTime" ? now : -1,
      logStartOffset: this.logStartOffset,
    });
  }

  read(
    fetchOffset: number,
    maxBytes: number,
    o: { minOneMessage: boolean; maxOffset?: number },
  ): Promise<ReadInfo> {
    const max = o.maxOffset ?? this.logEndOffset;
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const b of this.batches) {
      if (b.last < fetchOffset || b.base >= max) continue;
      if (size + b.bytes.length > maxBytes && !(o.minOneMessage && parts.length === 0)) break;
      parts.push(b.bytes);
      size += b.bytes.length;
    }
    const records = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      records.set(p, at);
      at += p.length;
    }
    return Promise.resolve({
      records,
      highWatermark: this.highWatermark,
      logStartOffset: this.logStartOffset,
    });
  }

  offsetForTimestamp(ts: number) {
    const last = this.batches.at(-1);
    if (ts === -1) {
      return Promise.resolve({
        offset: this.logEndOffset,
        timestamp: -1,
        leaderEpoch: last?.epoch,
      });
    }
    if (ts === -2) {
      return Promise.resolve({
        offset: this.logStartOffset,
        timestamp: -1,
        leaderEpoch: this.batches[0]?.epoch,
      });
    }
    const b = this.batches.find((b) => b.maxTimestamp >= ts && b.last >= this.logStartOffset);
    return Promise.resolve(
      b && { offset: Math.max(b.base, this.logStartOffset), timestamp: b.maxTimestamp },
    );
  }

  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number } {
    const next = this.batches.find((b) => b.epoch > epoch);
    if (next) return { epoch, endOffset: next.base };
    return { epoch: this.batches.at(-1)?.epoch ?? -1, endOffset: this.logEndOffset };
  }

  deleteRecordsBefore(offset: number): Promise<number> {
    this.logStartOffset = Math.max(this.logStartOffset, offset);
    return Promise.resolve(this.logStartOffset);
  }
}

/** Memory logs by topic and partition, made on first use. */
export class MemoryLogs implements LogSource {
  private readonly logs = new Map<string, MemoryLog>();
  /** `discard`: every log validates appends and keeps nothing (see {@linkcode MemoryLog}). */
  constructor(private readonly discard = false) {}
  get(topic: string, partition: number): MemoryLog {
    const k = `${topic}-${partition}`;
    let l = this.logs.get(k);
    if (!l) this.logs.set(k, l = new MemoryLog("CreateTime", Date.now, this.discard));
    return l;
  }
}
