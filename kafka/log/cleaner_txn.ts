/**
 * What the log cleaner knows about transactions while it walks a log (Kafka 2.8.2's
 * CleanedTransactionMetadata): the aborted transactions from the `.txnindex` files are taken in
 * as the walk reaches their first offset; a transactional batch of an aborted transaction may be
 * discarded; an abort marker stays until no batch of its transaction is left (and it is then
 * listed in the cleaned segment's `.txnindex`); a commit marker may go once no batch of its
 * transaction was seen in the walk. Markers are also held back by the delete horizon, which the
 * caller applies.
 *
 * @module
 */

import type { AbortedTxn } from "./producer_state.ts";

interface AbortedTxnState {
  txn: AbortedTxn;
  /** The last offset of a batch of this aborted transaction seen in the walk. */
  lastObservedBatchOffset: number | undefined;
}

/** The transaction state of one walk over (part of) a log. */
export class CleanedTransactionMetadata {
  readonly #ongoingCommitted = new Set<number>();
  readonly #ongoingAborted = new Map<number, AbortedTxnState>();
  /** Not yet reached, by first offset (ascending). */
  #pending: AbortedTxn[] = [];
  #retainedAborts: AbortedTxn[] = [];

  /** Aborted transactions (from the txn indexes) the walk will meet. */
  addAbortedTransactions(txns: readonly AbortedTxn[]): void {
    if (txns.length === 0) return;
    this.#pending.push(...txns);
    this.#pending.sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /**
   * A control batch was read: whether it may be discarded. `type` is its marker's type, or
   * undefined for an empty control batch (one a previous clean emptied).
   */
  onControlBatchRead(
    lastOffset: number,
    producerId: number,
    type: "ABORT" | "COMMIT" | "UNKNOWN" | undefined,
  ): boolean {
    this.#consumeUpTo(lastOffset);
    if (type === undefined) return true;
    if (type === "ABORT") {
      const state = this.#ongoingAborted.get(producerId);
      this.#ongoingAborted.delete(producerId);
      if (state && state.lastObservedBatchOffset !== undefined) {
        this.#retainedAborts.push(state.txn);
        return false;
      }
      return true;
    }
    if (type === "COMMIT") return !this.#ongoingCommitted.delete(producerId);
    return false;
  }

  /** A data batch was read: whether it belongs to an aborted transaction (and may go). */
  onBatchRead(lastOffset: number, producerId: number, isTransactional: boolean): boolean {
    this.#consumeUpTo(lastOffset);
    if (!isTransactional) return false;
    const aborted = this.#ongoingAborted.get(producerId);
    if (aborted) {
      aborted.lastObservedBatchOffset = lastOffset;
      return true;
    }
    this.#ongoingCommitted.add(producerId);
    return false;
  }

  /**
   * The aborted transactions whose markers were kept since the last call: the cleaned segment
   * being written lists them in its `.txnindex`.
   */
  takeRetainedAborts(): AbortedTxn[] {
    const out = this.#retainedAborts;
    this.#retainedAborts = [];
    return out;
  }

  #consumeUpTo(offset: number): void {
    let n = 0;
    while (n < this.#pending.length && this.#pending[n].firstOffset <= offset) {
      const t = this.#pending[n++];
      if (!this.#ongoingAborted.has(t.producerId)) {
        this.#ongoingAborted.set(t.producerId, { txn: t, lastObservedBatchOffset: undefined });
      }
    }
    if (n > 0) this.#pending = this.#pending.slice(n);
  }
}
