/**
 * Rack-unaware replica assignment exactly as Kafka 2.8's AdminUtils.assignReplicasToBrokers does
 * it (zk-layout.md §4): a start index and a shift drawn at random (or fixed, when partitions are
 * added), the first replica walking the brokers round-robin, the followers stepping by a shift that
 * grows by one each time the partitions wrap around the broker list.
 *
 * @module
 */

/** Why Kafka refuses an assignment: its messages, word for word. */
export class AssignmentError extends Error {
  override name = "AssignmentError";
}

/** How to place the replicas. */
export interface AssignmentOptions {
  /** The first broker's index; also the first shift when given (adding partitions). */
  fixedStartIndex?: number;
  /** The first new partition's id (adding partitions: the existing count). */
  startPartitionId?: number;
  /** Kafka's two draws, start index then shift, each an int in [0, n): injectable for tests. */
  nextInt?: (n: number) => number;
}

/**
 * Partition → replicas for `partitions` partitions of `replicationFactor` replicas over
 * `brokers` (in the order Kafka lists them: ascending for tools, the metadata cache's otherwise).
 *
 * @example
 * ```ts
 * assignReplicas([1, 2, 3], 3, 2, { nextInt: () => 2 }); // Map { 0 => [3, 1], 1 => [1, 2], 2 => [2, 3] }
 * ```
 */
export function assignReplicas(
  brokers: readonly number[],
  partitions: number,
  replicationFactor: number,
  opts: AssignmentOptions = {},
): Map<number, number[]> {
  const n = brokers.length;
  if (partitions <= 0) throw new AssignmentError("Number of partitions must be larger than 0.");
  if (replicationFactor <= 0) {
    throw new AssignmentError("Replication factor must be larger than 0.");
  }
  if (replicationFactor > n) {
    throw new AssignmentError(
      `Replication factor: ${replicationFactor} larger than available brokers: ${n}.`,
    );
  }
  const draw = opts.nextInt ?? ((k: number) => Math.floor(Math.random() * k));
  const fixed = opts.fixedStartIndex ?? -1;
  const start = fixed >= 0 ? fixed : draw(n);
  let shift = fixed >= 0 ? fixed : draw(n);
  let p = Math.max(0, opts.startPartitionId ?? -1);
  const out = new Map<number, number[]>();
  for (let i = 0; i < partitions; i++, p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + start) % n;
    const replicas = [brokers[first]];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[(first + 1 + (shift + j) % (n - 1)) % n]);
    }
    out.set(p, replicas);
  }
  return out;
}

/**
 * The fixed start index when adding partitions: the index of the first broker whose id is at
 * least partition 0's first replica, or 0 (AdminZkClient.addPartitions).
 */
export function startIndexForAddedPartitions(
  brokers: readonly number[],
  partition0FirstReplica: number | undefined,
): number {
  if (partition0FirstReplica === undefined) return 0;
  const i = brokers.findIndex((b) => b >= partition0FirstReplica);
  return i < 0 ? 0 : i;
}
