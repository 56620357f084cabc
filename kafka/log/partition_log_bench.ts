/**
 * `deno bench -A kafka/log/partition_log_bench.ts`: appends to a PartitionLog in a temp dir,
 * 16 KiB batches of 1 KiB or 100 B records, as a producer sends them (uncompressed, CreateTime):
 * with the default flush settings (page cache only) and with flush.messages=1 (every append
 * acknowledged after an fsync), the latter with 64 appends in flight so group commit can share
 * fsyncs, as many producers or partitions would. Each iteration appends APPENDS batches; divide to
 * get per-append figures (the README has the numbers measured here).
 */

import { systemClock } from "../../internal/clock.ts";
import { buildRecordBatch } from "../protocol/records/batch_builder.ts";
import { logConfigFrom } from "./log_config.ts";
import { PartitionLog } from "./partition_log.ts";

const APPENDS = 256;

function batchOf(recordBytes: number): Uint8Array {
  const count = Math.floor(16 * 1024 / (recordBytes + 10));
  const value = new Uint8Array(recordBytes).fill(0x61);
  const records = Array.from(
    { length: count },
    () => ({ timestamp: Date.now(), key: null, value }),
  );
  return buildRecordBatch({ records });
}

async function openLog(settings: Record<string, string>): Promise<PartitionLog> {
  const dir = await Deno.makeTempDir({ prefix: "herd-plog-bench-" });
  addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return PartitionLog.open(`${dir}/bench-0`, {
    topicPartition: { topic: "bench", partition: 0 },
    config: logConfigFrom(new Map(Object.entries({ "segment.bytes": "268435456", ...settings }))),
    clock: systemClock,
    hadCleanShutdown: true,
  });
}

/**
 * Appends APPENDS copies of `batch`, `inFlight` at a time. The log assigns offsets in place, so a
 * reused copy gets its base offset set back to 0, as a producer sends it (outside the CRC).
 */
async function run(log: PartitionLog, batch: Uint8Array, inFlight: number): Promise<void> {
  const copies = Array.from({ length: inFlight }, () => batch.slice());
  const views = copies.map((c) => new DataView(c.buffer));
  for (let i = 0; i < APPENDS; i += inFlight) {
    const n = Math.min(inFlight, APPENDS - i);
    const pending = [];
    for (let k = 0; k < n; k++) {
      views[k].setInt32(0, 0);
      views[k].setInt32(4, 0);
      pending.push(log.appendAsLeader(copies[k], 0));
    }
    await Promise.all(pending);
  }
}

for (const recordBytes of [1024, 100]) {
  const batch = batchOf(recordBytes);
  const label = `${recordBytes === 1024 ? "1 KiB" : "100 B"} records`;
  const plain = await openLog({});
  Deno.bench({
    name: `append ${APPENDS} × 16 KiB batches of ${label}, page cache`,
    group: `no flush, ${label}`,
    baseline: true,
    async fn() {
      await run(plain, batch, 1);
    },
  });
  Deno.bench({
    name: `append ${APPENDS} × 16 KiB batches of ${label}, 16 in flight`,
    group: `no flush, ${label}`,
    async fn() {
      await run(plain, batch, 16);
    },
  });
  const synced = await openLog({ "flush.messages": "1" });
  Deno.bench({
    name: `append ${APPENDS} × 16 KiB batches of ${label}, flush.messages=1, 1 in flight`,
    group: `flush.messages=1, ${label}`,
    async fn() {
      await run(synced, batch, 1);
    },
  });
  Deno.bench({
    name: `append ${APPENDS} × 16 KiB batches of ${label}, flush.messages=1, 64 in flight`,
    group: `flush.messages=1, ${label}`,
    async fn() {
      await run(synced, batch, 64);
    },
  });
}

const readLog = await openLog({});
const readBatch = batchOf(1024);
await run(readLog, readBatch, 16);
Deno.bench({
  name: `read 1 MiB fetches over ${APPENDS} × 16 KiB batches`,
  group: "read",
  fn() {
    let next = 0;
    while (next < readLog.logEndOffset) {
      const r = readLog.readSync(next, 1 << 20, { minOneMessage: true });
      next += Math.floor(r.records.length / readBatch.length) *
        new DataView(readBatch.buffer).getInt32(57);
    }
  },
});
