/**
 * Test helpers for the partition log: producer-style batches from the records codec, a temp
 * dir, a config from a few settings, and a walk over the batches a read returned.
 *
 * @module
 */

import { ManualClock } from "../../internal/clock.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { type LogConfig, logConfigFrom } from "./log_config.ts";
import { PartitionLog, type PartitionLogOptions } from "./partition_log.ts";

const enc = new TextEncoder();

/** A producer's batch: `count` records with keys `k<first+i>`, values of `valueBytes`. */
export function producerBatch(
  first: number,
  count: number,
  timestamp: number,
  valueBytes = 20,
): Uint8Array {
  const records = [];
  for (let i = 0; i < count; i++) {
    const v = new Uint8Array(valueBytes).fill(0x61 + ((first + i) % 26));
    records.push({ timestamp: timestamp + i, key: enc.encode(`k${first + i}`), value: v });
  }
  return buildRecordBatch({ records });
}

/** A LogConfig from a few topic settings. */
export function config(settings: Record<string, string | number> = {}): LogConfig {
  return logConfigFrom(new Map(Object.entries(settings).map(([k, v]) => [k, String(v)])));
}

/** Records in whole batches: [offset, key] of each. */
export function recordsOf(bytes: Uint8Array): [number, string][] {
  const out: [number, string][] = [];
  const dec = new TextDecoder();
  for (const e of scanEntries(bytes).entries) {
    const b = new RecordBatch(bytes.subarray(e.position, e.position + e.sizeInBytes));
    for (const r of b.records()) out.push([r.offset, r.key ? dec.decode(r.key) : ""]);
  }
  return out;
}

/** A temp dir for a test, and a partition log in `<dir>/t-0` opened with a manual clock. */
export async function openTemp(
  settings: Record<string, string | number> = {},
  extra: Partial<PartitionLogOptions> = {},
): Promise<{ dir: string; logDir: string; log: PartitionLog; clock: ManualClock }> {
  const dir = await Deno.makeTempDir({ prefix: "herd-plog-" });
  const clock = new ManualClock(1_700_000_000_000);
  const logDir = `${dir}/t-0`;
  const log = await PartitionLog.open(logDir, {
    topicPartition: { topic: "t", partition: 0 },
    config: config(settings),
    clock,
    hadCleanShutdown: true,
    random: () => 0,
    ...extra,
  });
  return { dir, logDir, log, clock };
}

/** The names in a dir, sorted. */
export function ls(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}
