/**
 * A log-linear latency histogram in microseconds: exact below 512 µs, then 256 buckets per power
 * of two (under 0.4 % error). Recording is one array increment, so the load generator can record
 * every reply without allocating; histograms from several workers merge by adding counts.
 */

const SUB_BITS = 8;
const SUB = 1 << SUB_BITS;
const LINEAR = SUB * 2; // values below this get their own bucket
const OCTAVES = 32 - (SUB_BITS + 1);
const BUCKETS = LINEAR + OCTAVES * SUB;

function bucketOf(us: number): number {
  const v = us < 0 ? 0 : us >= 0xffffffff ? 0xffffffff : Math.floor(us);
  if (v < LINEAR) return v;
  const exp = 31 - Math.clz32(v); // ≥ SUB_BITS + 1
  const sub = (v >>> (exp - SUB_BITS)) & (SUB - 1);
  return LINEAR + (exp - SUB_BITS - 1) * SUB + sub;
}

function lowerBoundOf(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const octave = Math.floor((bucket - LINEAR) / SUB);
  const sub = (bucket - LINEAR) % SUB;
  const exp = octave + SUB_BITS + 1;
  return (SUB + sub) * 2 ** (exp - SUB_BITS);
}

/**
 * Latency counts in microseconds.
 *
 * @example
 * ```ts
 * const h = new Histogram();
 * h.record(1500);
 * h.percentile(99); // ≈ 1500
 * ```
 */
export class Histogram {
  /** One count per bucket; send this between workers and rebuild with `Histogram.from`. */
  readonly counts: Uint32Array;
  /** How many values were recorded. */
  total = 0;

  constructor(counts?: Uint32Array) {
    this.counts = counts ?? new Uint32Array(BUCKETS);
    if (counts) { for (const c of counts) this.total += c; }
  }

  /** Rebuilds a histogram from counts that crossed a worker boundary. */
  static from(counts: Uint32Array): Histogram {
    return new Histogram(new Uint32Array(counts));
  }

  /** Records one latency in microseconds. */
  record(us: number): void {
    this.counts[bucketOf(us)]++;
    this.total++;
  }

  /** Adds another histogram's counts to this one. */
  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
  }

  /** The value (µs) at or below which `p` percent of the recordings lie; NaN when empty. */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return lowerBoundOf(i);
    }
    return lowerBoundOf(BUCKETS - 1);
  }
}
