/**
 * Micro-benchmarks of the record layer: `deno bench kafka/protocol/records`. Each name gives the
 * bytes one iteration handles, so MB/s = bytes / (avg time); README.md has a run's figures.
 */
import type { Compression } from "./attributes.ts";
import { buildRecordBatch, type RecordInput } from "./batch_builder.ts";
import { decompress } from "./compression.ts";
import { crc32c } from "./crc32c.ts";
import { RecordBatch } from "./record_batch.ts";
import { validateAndAssignOffsets } from "./validate.ts";

const NOW = Date.now();

function records(count: number, valueSize: number): RecordInput[] {
  const value = new Uint8Array(valueSize);
  for (let i = 0; i < valueSize; i++) value[i] = 97 + (i * 7 + (i >> 5)) % 26;
  return Array.from({ length: count }, (_, i) => ({
    timestamp: NOW + i,
    key: null,
    value,
  }));
}

const MiB = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
Deno.bench("crc32c 1 MiB", { group: "crc" }, () => {
  crc32c(MiB);
});

// Producer-sized batches (batch.size 16 KiB) and 1 MiB batches, 1 KiB and 100 B values.
const shapes: [string, number, number][] = [
  ["1 KiB records, 16 KiB batch", 16, 1024],
  ["100 B records, 16 KiB batch", 160, 100],
  ["1 KiB records, 1 MiB batch", 1024, 1024],
  ["100 B records, 1 MiB batch", 10240, 100],
];
for (const [name, count, size] of shapes) {
  const pristine = buildRecordBatch({ records: records(count, size) });
  const batch = new Uint8Array(pristine.length);
  for (const timestampType of ["CreateTime", "LogAppendTime"] as const) {
    let next = 0;
    Deno.bench(`validate+assign ${name} (${batch.length} B) ${timestampType}`, {
      group: name,
    }, () => {
      // Back to the client's bytes (a LogAppendTime pass leaves its bit set); the copy is
      // memcpy speed, a few percent of an iteration.
      batch.set(pristine);
      const v = validateAndAssignOffsets(batch, {
        nextOffset: next,
        now: NOW,
        timestampType,
        partitionLeaderEpoch: 0,
        maxMessageBytes: 2 << 20,
      });
      next = v.lastOffset + 1;
    });
  }
}

// Text-like values that differ record to record, so codecs see realistic matches.
const enc = new TextEncoder();
const mixed: RecordInput[] = Array.from({ length: 1024 }, (_, i) => ({
  timestamp: NOW,
  key: null,
  value: enc.encode(
    Array.from({ length: 40 }, (_, j) => `record ${i * 40 + j} of a value; `).join("").slice(
      0,
      1024,
    ),
  ),
}));
for (const codec of [1, 2, 3, 4] as Compression[]) {
  const section = new RecordBatch(buildRecordBatch({ records: mixed, compression: codec }))
    .bytes.subarray(61);
  const plain = decompress(codec, section).length;
  Deno.bench(`decompress codec ${codec} (${plain} B out)`, { group: "decompress" }, () => {
    decompress(codec, section);
  });
}
