/**
 * The load tool's own ceiling: kafka-producer-perf-test against a sink that costs it as little as
 * a broker can (herd's request path and record validation over memory logs that keep nothing, in
 * the bench's process). No broker can take records faster than the tool sends them to the sink,
 * so a produce figure reads against this as the machine's figures read against the disk: on 2
 * cores the perf tool's JVM is the bottleneck well before either broker is.
 */
import { withMemoryBroker } from "../kafka/server/_memory_broker.ts";
import { producePerf } from "./kafka_tools.ts";

/** What the tool reached against the sink (acks=1, default producer settings). */
export interface ToolCeiling {
  /** 100 B records per second. */
  produce100RecordsPerSec: number;
  /** 1 KiB records, MB/s (1024 × 1024 bytes, as the tool counts). */
  produce1kMbPerSec: number;
}

/** How many records each ceiling run sends (the broker figures' own counts). */
export interface CeilingPlan {
  warmRecords: number;
  records1k: number;
  records100: number;
  toolTimeoutMs: number;
}

/** Runs the producer perf tool against the sink: a warm-up, then 100 B and 1 KiB records. */
export async function measureToolCeiling(p: CeilingPlan): Promise<ToolCeiling> {
  let out: ToolCeiling | null = null;
  await withMemoryBroker({ "ceiling-1k": 1, "ceiling-100": 1 }, async (port) => {
    const boot = `127.0.0.1:${port}`;
    const t = p.toolTimeoutMs;
    // The same warm-up the brokers get: the sink's JIT is as warm as herd's broker is.
    await producePerf(boot, "ceiling-1k", p.warmRecords, 1024, "1", t);
    const small = await producePerf(boot, "ceiling-100", p.records100, 100, "1", t);
    const big = await producePerf(boot, "ceiling-1k", p.records1k, 1024, "1", t);
    out = { produce100RecordsPerSec: small.recordsPerSec, produce1kMbPerSec: big.mbPerSec };
  }, { discard: true });
  return out!;
}
