/**
 * The broker settings of the log cleaner (Kafka 2.8.2's CleanerConfig), from server.properties
 * keys. log.cleaner.threads is accepted and divides the dedupe buffer as in Kafka, but herd cleans
 * one log at a time on its event loop (one thread's worth of work, interleaved with serving).
 *
 * @module
 */

/** The log cleaner's settings. */
export interface CleanerConfig {
  /** log.cleaner.enable (default true). */
  enable: boolean;
  /** log.cleaner.threads (default 1): the dedupe buffer is shared between them. */
  threads: number;
  /** log.cleaner.backoff.ms (default 15000): the pause when there was nothing to clean. */
  backoffMs: number;
  /** log.cleaner.dedupe.buffer.size (default 128 MiB): bounds the offset map. */
  dedupeBufferSize: number;
  /** log.cleaner.io.buffer.size (default 512 KiB): half of it per read and per write. */
  ioBufferSize: number;
  /** log.cleaner.io.buffer.load.factor (default 0.9): how full the offset map may get. */
  ioBufferLoadFactor: number;
}

/** Kafka 2.8.2's defaults. */
export const DEFAULT_CLEANER_CONFIG: CleanerConfig = {
  enable: true,
  threads: 1,
  backoffMs: 15_000,
  dedupeBufferSize: 134_217_728,
  ioBufferSize: 524_288,
  ioBufferLoadFactor: 0.9,
};

/** A cleaner setting Kafka would refuse at start. */
export class CleanerConfigError extends Error {
  override name = "CleanerConfigError";
}

/**
 * The cleaner settings in `props` (server.properties keys; absent or empty ones take Kafka's
 * defaults), over `given`.
 *
 * @example
 * ```ts
 * cleanerConfigFrom(new Map([["log.cleaner.backoff.ms", "100"]])).backoffMs; // 100
 * ```
 */
export function cleanerConfigFrom(
  props: ReadonlyMap<string, string | null | undefined>,
  given: Partial<CleanerConfig> = {},
): CleanerConfig {
  const text = (k: string) => {
    const v = props.get(k);
    return v === undefined || v === null || v.trim() === "" ? undefined : v.trim();
  };
  const num = (k: string, fallback: number) => {
    const v = text(k);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new CleanerConfigError(`${k}=${v} is not a number`);
    return n;
  };
  const d = { ...DEFAULT_CLEANER_CONFIG, ...given };
  const enable = text("log.cleaner.enable");
  if (enable !== undefined && !/^(true|false)$/i.test(enable)) {
    throw new CleanerConfigError(`log.cleaner.enable=${enable} is not a boolean`);
  }
  const c: CleanerConfig = {
    enable: enable === undefined ? d.enable : enable.toLowerCase() === "true",
    threads: num("log.cleaner.threads", d.threads),
    backoffMs: num("log.cleaner.backoff.ms", d.backoffMs),
    dedupeBufferSize: num("log.cleaner.dedupe.buffer.size", d.dedupeBufferSize),
    ioBufferSize: num("log.cleaner.io.buffer.size", d.ioBufferSize),
    ioBufferLoadFactor: num("log.cleaner.io.buffer.load.factor", d.ioBufferLoadFactor),
  };
  if (c.enable && c.dedupeBufferSize / Math.max(c.threads, 1) <= 1024 * 1024) {
    // KafkaConfig's check, word for word.
    throw new CleanerConfigError(
      "log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.",
    );
  }
  return c;
}

/** Bytes of offset map one cleaner gets (Kafka: min(buffer / threads, Int.MaxValue)). */
export function offsetMapMemory(c: CleanerConfig): number {
  return Math.min(Math.floor(c.dedupeBufferSize / Math.max(c.threads, 1)), 0x7fffffff);
}
