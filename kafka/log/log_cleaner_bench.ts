/**
 * The log cleaner's throughput: a compacted log of 1 KiB and 100 B records over 10 000 keys
 * (each key written 10 times), cleaned in one pass: MB/s of log (the dirty section's size over
 * the pass's time) and of bytes read (the offset map's pass plus the cleaning pass).
 *
 * `deno run -A kafka/log/log_cleaner_bench.ts`
 *
 * @module
 */
import { compactedLog, keyed } from "./_cleaner_test_util.ts";

async function cleanOnce(valueBytes: number, perBatch: number): Promise<void> {
  const { dir, log, cleaner } = await compactedLog({
    "segment.bytes": 16 * 1024 * 1024,
    "segment.ms": 3_600_000,
    "min.cleanable.dirty.ratio": 0.01,
  });
  const value = "x".repeat(valueBytes);
  let n = 0;
  for (let b = 0; b < 100_000 / perBatch; b++) {
    const pairs: [string, string][] = [];
    for (let i = 0; i < perBatch; i++) pairs.push([`key-${(n++ * 7919) % 10_000}`, value]);
    await log.appendAsLeader(keyed(pairs, 1_700_000_000_000 + b), 0);
  }
  // A batch two hours later rolls the active segment (segment.ms), so all of the above is cleanable.
  await log.appendAsLeader(keyed([["roll", "x"]], 1_700_000_000_000 + 7_200_000), 0);
  const t = performance.now();
  const r = await cleaner.cleanOnce();
  const ms = performance.now() - t;
  const logMb = r!.stats.bytesRead / 1e6;
  const readMb = (r!.stats.mapBytesRead + r!.stats.bytesRead) / 1e6;
  const rate = (x: number) => (x / (ms / 1000)).toFixed(0);
  console.log(
    `${valueBytes} B values, ${perBatch}/batch: a ${logMb.toFixed(0)} MB log cleaned in ` +
      `${ms.toFixed(0)} ms: ${rate(logMb)} MB/s of log, ${rate(readMb)} MB/s read (map + clean); ` +
      `${r!.stats.messagesRead} → ${r!.stats.messagesWritten} records`,
  );
  await log.close();
  await Deno.remove(dir, { recursive: true });
}

if (import.meta.main) {
  await cleanOnce(1024, 10);
  await cleanOnce(100, 100);
  await cleanOnce(1024, 1);
}
