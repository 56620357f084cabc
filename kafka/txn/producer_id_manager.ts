/**
 * Producer ids for InitProducerId (Kafka 2.8.2's ProducerIdManager in ZooKeeper mode): the broker
 * claims blocks of 1000 ids in `/latest_producer_id_block` (kafka/controller/zk_bootstrap.ts's
 * claimProducerIdBlock, a conditional write retried when another broker wins) and hands them out
 * in order, claiming the next block when one runs out. A 2.8.2 broker claims its first block when
 * it starts (the transaction coordinator's start-up), so the first producer gets the block's start
 * even if other brokers claimed blocks meanwhile.
 *
 * @module
 */

/** A claimed block: ids `start`…`end`, both included (the znode's block_start/block_end). */
export interface ClaimedBlock {
  readonly start: bigint | number;
  readonly end: bigint | number;
}

/** Claims the next block (zk_bootstrap's claimProducerIdBlock, bound to this broker's id). */
export type ClaimProducerIdBlock = () => Promise<ClaimedBlock>;

/** The ids ran past what a JS number holds exactly (Kafka's limit is Long.MaxValue). */
export class ProducerIdsExhaustedError extends Error {
  override name = "ProducerIdsExhaustedError";
}

/**
 * Hands out producer ids from claimed blocks; calls are serialised, so concurrent requests never
 * claim two blocks at once or get the same id.
 *
 * @example
 * ```ts
 * import { ProducerIdManager } from "./producer_id_manager.ts";
 * let next = 0n;
 * const ids = new ProducerIdManager(() => {
 *   const block = { start: next, end: next + 999n };
 *   next += 1000n;
 *   return Promise.resolve(block);
 * });
 * await ids.start();
 * await ids.generateProducerId(); // 0
 * await ids.generateProducerId(); // 1
 * ```
 */
export class ProducerIdManager {
  #next = -1;
  #end = -1;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly claim: ClaimProducerIdBlock) {}

  /** Claims the first block (a 2.8.2 broker does at start-up). Idempotent. */
  start(): Promise<void> {
    return this.#serial(async () => {
      if (this.#end < 0) await this.#claimBlock();
    });
  }

  /** The next producer id, claiming a new block when the current one is used up. */
  generateProducerId(): Promise<number> {
    return this.#serial(async () => {
      if (this.#end < 0 || this.#next > this.#end) await this.#claimBlock();
      return this.#next++;
    });
  }

  /** The block being handed out, as `[next, end]` (-1s before the first claim). */
  get currentBlock(): { next: number; end: number } {
    return { next: this.#next, end: this.#end };
  }

  async #claimBlock(): Promise<void> {
    const b = await this.claim();
    const start = Number(b.start);
    const end = Number(b.end);
    if (!Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new ProducerIdsExhaustedError(
        `Cannot use producer id block ${b.start}-${b.end}: ids above 2^53 are not supported`,
      );
    }
    this.#next = start;
    this.#end = end;
  }

  #serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(f);
    this.#queue = run.catch(() => {});
    return run;
  }
}
