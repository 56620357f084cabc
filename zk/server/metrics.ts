/**
 * The server's measurements behind `mntr` and `/metrics`, as Apache ZooKeeper 3.8's ServerMetrics
 * keeps them: counters, summaries (count, sum, min, max, plus a sample for quantiles) and summary
 * sets keyed by a top-level namespace. Recording costs a few field writes and, for a summary, one
 * slot of a preallocated typed array: nothing is allocated per request (DESIGN.md's hot-path
 * rules); the quantiles are worked out only when someone asks.
 */

/** Apache's AvgMinMaxPercentileCounter keeps a uniform reservoir of 4096 samples. */
const PERCENTILE_SAMPLES = 4096;
/** Basic summaries print no quantiles in mntr; /metrics shows their median, from fewer samples. */
const MEDIAN_SAMPLES = 256;

/**
 * A summary of whole values (ms or bytes): count, sum, min and max, and a uniform random sample
 * (Vitter's algorithm R, as Apache's reservoir) for quantiles.
 *
 * @example
 * ```ts
 * const s = new Summary(true);
 * for (const v of [3, 14, 14, 4]) s.add(v);
 * s.sum; // 35
 * s.mntrQuantile(0.5); // 9
 * ```
 */
export class Summary {
  count = 0;
  sum = 0;
  min = 0;
  max = 0;
  private samples: Float64Array | null = null;

  /** `percentiles`: mntr prints p50/p95/p99/p999 for it (Apache's percentile summaries). */
  constructor(readonly percentiles = false) {}

  add(value: number): void {
    const n = ++this.count;
    if (n === 1 || value < this.min) this.min = value;
    if (n === 1 || value > this.max) this.max = value;
    this.sum += value;
    // Allocated on the first value: most of Apache's summaries never get one in a standalone server.
    const s = this.samples ??= new Float64Array(
      this.percentiles ? PERCENTILE_SAMPLES : MEDIAN_SAMPLES,
    );
    if (n <= s.length) s[n - 1] = value;
    else {
      const slot = Math.floor(Math.random() * n);
      if (slot < s.length) s[slot] = value;
    }
  }

  /** The average as Apache computes it (0 when empty). */
  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  private sorted(): Float64Array {
    const kept = Math.min(this.count, this.samples?.length ?? 0);
    return this.samples === null ? new Float64Array(0) : this.samples.slice(0, kept).sort();
  }

  /**
   * A quantile as mntr prints it: the Dropwizard snapshot Apache's counter uses (interpolated
   * between the two samples around `q × (n + 1)`), truncated to a whole number; 0 when empty.
   */
  mntrQuantile(q: number): number {
    const v = this.sorted();
    if (v.length === 0) return 0;
    const pos = q * (v.length + 1);
    const index = Math.floor(pos);
    if (index < 1) return Math.trunc(v[0]);
    if (index >= v.length) return Math.trunc(v[v.length - 1]);
    const lower = v[index - 1];
    return Math.trunc(lower + (pos - index) * (v[index] - lower));
  }

  /**
   * A quantile as the Prometheus client's summary reports it: a sample at that rank; NaN when
   * empty (Apache's `/metrics` prints `NaN` for a summary with no values yet).
   */
  rankQuantile(q: number): number {
    const v = this.sorted();
    if (v.length === 0) return NaN;
    return v[Math.max(0, Math.ceil(q * v.length) - 1)];
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = 0;
    this.max = 0;
  }
}

/**
 * Summaries by key, for Apache's per-namespace sets (`zk_<ns>_write_per_namespace`). Keys only
 * ever arrive (one per top-level znode written or read), so the map grows and never churns.
 */
export class SummarySet {
  readonly byKey: Map<string, Summary> = new Map();
  // The namespace of the last path, so a run of requests under one namespace cuts no substring.
  private lastKey = "";
  private last: Summary | null = null;

  /** Adds `value` to the summary of `path`'s top-level namespace (`/a/b` → `a`); `/` has none. */
  addForPath(path: string, value: number): void {
    const k = this.lastKey;
    if (
      this.last !== null && path.startsWith(k, 1) &&
      (path.length === k.length + 1 || path.charCodeAt(k.length + 1) === 47)
    ) {
      this.last.add(value);
      return;
    }
    const end = path.indexOf("/", 1);
    const ns = end === -1 ? path.slice(1) : path.slice(1, end);
    if (ns === "") return;
    let s = this.byKey.get(ns);
    if (s === undefined) this.byKey.set(ns, s = new Summary());
    this.lastKey = ns;
    this.last = s;
    s.add(value);
  }

  reset(): void {
    // Apache's resetAll empties the set; later writes start new summaries.
    this.byKey.clear();
    this.last = null;
    this.lastKey = "";
  }
}

/**
 * Apache's DataTree adds the stat it returns (6 longs and 5 ints) to each read's bytes
 * (DataTree.STAT_OVERHEAD_BYTES, 68 in 3.8.0's jar).
 */
export const STAT_OVERHEAD_BYTES = 6 * 8 + 5 * 4;

/**
 * The counters and summaries herd measures, under Apache's metric names. The server, its
 * pipeline and the txn log record into the fields; `mntr` and `/metrics` read them by name.
 */
export class ServerMetrics {
  /** Bytes of every packet read from clients, length prefix included (4 for a 4lw). */
  bytesReceived = 0;
  /** Sessions the session tracker expired. */
  staleSessionsExpired = 0;
  /** Txns handed to the durability stage. */
  syncProcessorRequestQueued = 0;
  /** Digests that did not match while loading the database (DigestCheck). */
  digestMismatches = 0;

  /** ms per txn log fsync. */
  readonly fsyncTime: Summary = new Summary();
  /** Txns per group commit. */
  readonly syncProcessorBatchSize: Summary = new Summary();
  /** Txns waiting when the durability stage took its next batch. */
  readonly syncProcessorQueueSize: Summary = new Summary();
  /** ms to append a batch to the txn log (before its fsync). */
  readonly syncProcessTime: Summary = new Summary();
  /** ms a txn waited for the durability stage to take it. */
  readonly syncProcessorQueueTime: Summary = new Summary(true);
  /** ms from a txn's arrival at the durability stage to its batch being durable. */
  readonly syncProcessorQueueAndFlushTime: Summary = new Summary(true);
  /** ms a batch took to become durable (write and fsync). */
  readonly syncProcessorQueueFlushTime: Summary = new Summary(true);
  /** ms from receiving a write to answering it. */
  readonly updateLatency: Summary = new Summary(true);
  /** ms from receiving a read (pings included, as in Apache) to answering it. */
  readonly readLatency: Summary = new Summary(true);
  /** ms to load the database at start. */
  readonly dbInitTime: Summary = new Summary();
  /** ms to read the newest valid snapshot at start. */
  readonly startupSnapLoadTime: Summary = new Summary();
  /** Txns replayed from the log at start. */
  readonly startupTxnsLoaded: Summary = new Summary();
  /** ms to replay them. */
  readonly startupTxnsLoadTime: Summary = new Summary();
  /** ms per snapshot written. */
  readonly snapshotTime: Summary = new Summary();
  /** Bytes per read (path, data or child names, and the stat) by top-level namespace. */
  readonly readPerNamespace: SummarySet = new SummarySet();
  /** Bytes per write (path and data) by top-level namespace. */
  readonly writePerNamespace: SummarySet = new SummarySet();

  /** The summaries above under Apache's names (without the avg_/min_… prefixes). */
  readonly summaries: ReadonlyMap<string, Summary> = new Map([
    ["fsynctime", this.fsyncTime],
    ["sync_processor_batch_size", this.syncProcessorBatchSize],
    ["sync_processor_queue_size", this.syncProcessorQueueSize],
    ["sync_process_time", this.syncProcessTime],
    ["sync_processor_queue_time_ms", this.syncProcessorQueueTime],
    ["sync_processor_queue_and_flush_time_ms", this.syncProcessorQueueAndFlushTime],
    ["sync_processor_queue_flush_time_ms", this.syncProcessorQueueFlushTime],
    ["updatelatency", this.updateLatency],
    ["readlatency", this.readLatency],
    ["dbinittime", this.dbInitTime],
    ["startup_snap_load_time", this.startupSnapLoadTime],
    ["startup_txns_loaded", this.startupTxnsLoaded],
    ["startup_txns_load_time", this.startupTxnsLoadTime],
    ["snapshottime", this.snapshotTime],
  ]);

  /** The summary sets under Apache's names, in the order its mntr prints them. */
  readonly summarySets: ReadonlyMap<string, SummarySet> = new Map([
    ["read_per_namespace", this.readPerNamespace],
    ["write_per_namespace", this.writePerNamespace],
  ]);

  /** The counters under Apache's names. */
  counters(): Record<string, number> {
    return {
      bytes_received_count: this.bytesReceived,
      stale_sessions_expired: this.staleSessionsExpired,
      sync_processor_request_queued: this.syncProcessorRequestQueued,
      digest_mismatches_count: this.digestMismatches,
    };
  }

  /** `srst`: Apache's ServerStats.reset() resets every ServerMetrics value too. */
  reset(): void {
    this.bytesReceived = 0;
    this.staleSessionsExpired = 0;
    this.syncProcessorRequestQueued = 0;
    this.digestMismatches = 0;
    for (const s of this.summaries.values()) s.reset();
    for (const s of this.summarySets.values()) s.reset();
  }
}
