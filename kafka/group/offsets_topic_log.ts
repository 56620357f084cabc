/**
 * How the coordinator reaches `__consumer_offsets`: an interface the broker wires to its
 * partition log, and an in-memory one for tests.
 *
 * @module
 */

/** The `__consumer_offsets` partitions as the coordinator uses them. */
export interface OffsetsTopicLog {
  /** offsets.topic.num.partitions (50 by default). */
  readonly partitionCount: number;
  /**
   * Appends one v2 batch (built with buildRecordBatch; the log assigns its offsets and leader
   * epoch) to `partition`; resolves when it is durable per the log's settings. A rejection may
   * carry a Kafka error code as `errorCode`.
   */
  append(partition: number, batch: Uint8Array): Promise<void>;
  /** Every record batch of `partition` from its start, for loading (nothing if it has none). */
  readAll(partition: number): AsyncIterable<Uint8Array>;
}

/**
 * An OffsetsTopicLog in memory: batches kept per partition with their offsets assigned, and a
 * switch to make appends fail (to test error paths) or hold them (to test answers that wait).
 *
 * @example
 * ```ts
 * const log = new MemoryOffsetsTopicLog(50);
 * log.partitionCount; // 50
 * ```
 */
export class MemoryOffsetsTopicLog implements OffsetsTopicLog {
  /** The batches of each partition, in append order. */
  readonly batches: Uint8Array[][];
  /** When set, appends reject with this Kafka error code. */
  failWith: number | null = null;
  /** When true, appends wait until {@link release} is called. */
  hold = false;
  #next: number[];
  #held: (() => void)[] = [];

  constructor(readonly partitionCount: number) {
    this.batches = Array.from({ length: partitionCount }, () => []);
    this.#next = new Array(partitionCount).fill(0);
  }

  append(partition: number, batch: Uint8Array): Promise<void> {
    if (!(partition >= 0 && partition < this.partitionCount)) {
      return Promise.reject(new RangeError(`no partition ${partition} of __consumer_offsets`));
    }
    if (this.failWith !== null) {
      return Promise.reject(
        Object.assign(new Error("append failed"), { errorCode: this.failWith }),
      );
    }
    const copy = batch.slice();
    const view = new DataView(copy.buffer);
    view.setBigInt64(0, BigInt(this.#next[partition]));
    // lastOffsetDelta + 1 records were given offsets.
    this.#next[partition] += view.getInt32(23) + 1;
    const done = () => {
      this.batches[partition].push(copy);
    };
    if (!this.hold) {
      done();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#held.push(() => (done(), resolve())));
  }

  /** Completes the held appends, in order. */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const h of held) h();
  }

  async *readAll(partition: number): AsyncIterable<Uint8Array> {
    for (const b of this.batches[partition] ?? []) yield b;
  }
}
