/**
 * What the sync stage asks of a log: make a batch of txns durable. The txn log (FileStore) is one;
 * an in-memory server has none.
 */
import type { TxnEntry } from "../tree/txn.ts";

/**
 * Makes batches of txns durable. `persist` returns null when it finished synchronously (nothing
 * to wait for), otherwise a promise settled once the batch is durable. A later batch may be handed
 * over before an earlier one's promise settles; it lands in the log after it.
 */
export interface Durability {
  persist(batch: readonly TxnEntry[]): Promise<void> | null;
}

/** No durability: txns are "durable" as soon as they are prepared. */
export const inMemory: Durability = { persist: () => null };
