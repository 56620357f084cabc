/**
 * Test helpers for the log cleaner: keyed batches, a compacted partition log in a temp dir, a
 * cleaner over it, and the records a log holds (offset, key, value, timestamp).
 *
 * @module
 */

import { ManualClock } from "../../internal/clock.ts";
import { buildRecordBatch, type RecordBatchOptions } from "../protocol/records/batch_builder.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { legacyDeepMessages } from "../protocol/records/legacy.ts";
import { DEFAULT_CLEANER_CONFIG } from "./cleaner_config.ts";
import { LogCleaner, type LogCleanerOptions } from "./log_cleaner.ts";
import { PartitionLog } from "./partition_log.ts";
import { config } from "./_log_test_util.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A record as the tests compare them. */
export interface Rec {
  offset: number;
  key: string | null;
  /** null for a tombstone. */
  value: string | null;
  timestamp: number;
}

/** One batch of `[key, value]` pairs (value null: a tombstone) at `ts`, `ts + 1`, … */
export function keyed(
  pairs: [string | null, string | null][],
  ts: number,
  extra: Partial<RecordBatchOptions> = {},
): Uint8Array {
  return buildRecordBatch({
    records: pairs.map(([k, v], i) => ({
      timestamp: ts + i,
      key: k === null ? null : enc.encode(k),
      value: v === null ? null : enc.encode(v),
    })),
    ...extra,
  });
}

/** Every record of a byte range of whole batches (v2 and legacy). */
export function recordsIn(bytes: Uint8Array): Rec[] {
  const out: Rec[] = [];
  for (const e of scanEntries(bytes).entries) {
    const entry = bytes.subarray(e.position, e.position + e.sizeInBytes);
    if (entry[16] !== 2) {
      for (const m of legacyDeepMessages(entry, 0)) {
        out.push({
          offset: m.offset,
          key: m.key && dec.decode(m.key),
          value: m.value && dec.decode(m.value),
          timestamp: m.timestamp,
        });
      }
      continue;
    }
    for (const r of new RecordBatch(entry).records()) {
      out.push({
        offset: r.offset,
        key: r.key && dec.decode(r.key),
        value: r.value && dec.decode(r.value),
        timestamp: r.timestamp,
      });
    }
  }
  return out;
}

/** Every record the log serves, from its start. */
export function allRecords(log: PartitionLog): Rec[] {
  const out: Rec[] = [];
  let from = log.logStartOffset;
  while (from < log.logEndOffset) {
    const r = log.readSync(from, 1 << 20, { minOneMessage: true });
    if (r.records.length === 0) break;
    const recs = recordsIn(r.records);
    const batches = scanEntries(r.records).entries;
    const last = batches[batches.length - 1];
    const lastOffset = lastOffsetOf(
      r.records.subarray(last.position, last.position + last.sizeInBytes),
    );
    out.push(...recs.filter((x) => x.offset >= from));
    from = lastOffset + 1;
  }
  return out;
}

function lastOffsetOf(entry: Uint8Array): number {
  const v = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
  const base = Number(v.getBigInt64(0));
  return entry[16] === 2 ? base + v.getInt32(23) : base;
}

/** A compacted log in a temp dir, a manual clock, and a cleaner over that one log. */
export async function compactedLog(
  settings: Record<string, string | number> = {},
  cleaner: Partial<LogCleanerOptions> = {},
): Promise<
  { dir: string; logDir: string; log: PartitionLog; clock: ManualClock; cleaner: LogCleaner }
> {
  const dir = await Deno.makeTempDir({ prefix: "herd-clean-" });
  const clock = new ManualClock(1_700_000_000_000);
  const logDir = `${dir}/t-0`;
  const log = await PartitionLog.open(logDir, {
    topicPartition: { topic: "t", partition: 0 },
    config: config({ "cleanup.policy": "compact", ...settings }),
    clock,
    hadCleanShutdown: true,
    random: () => 0,
  });
  const c = await LogCleaner.open({
    config: { ...DEFAULT_CLEANER_CONFIG, ...cleaner.config },
    logDirs: [dir],
    clock,
    logs: () => [{ log, logDir: dir }],
    ...cleaner,
  });
  return { dir, logDir, log, clock, cleaner: c };
}

/** Set a segment's files' modification time (the delete horizon is measured by it, as Kafka). */
export function touchSegment(logDir: string, base: number, ms: number): void {
  const when = new Date(ms);
  for (const k of ["log", "index", "timeindex"]) {
    Deno.utimeSync(`${logDir}/${String(base).padStart(20, "0")}.${k}`, when, when);
  }
}
