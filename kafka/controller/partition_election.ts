/**
 * The partition state machine's decisions, pure (zk-layout.md §2.3 step 9, §2.6 step 4, §2.7):
 * what the state znode of a new partition holds, which leader an offline partition gets, and what
 * taking a replica offline does to a partition's leader and ISR. The controller writes the result.
 *
 * @module
 */
import type { PartitionState } from "./znodes.ts";

/**
 * A new partition: leader the first live replica in assignment order, ISR the live replicas,
 * leader epoch 0 (PartitionStateMachine.initializeLeaderAndIsrForPartitions); null when no
 * replica is alive (Kafka then leaves the partition without a state znode).
 *
 * @example
 * ```ts
 * newPartitionState([3, 1], new Set([1, 3]), 7); // { controllerEpoch: 7, leader: 3, leaderEpoch: 0, isr: [3, 1] }
 * ```
 */
export function newPartitionState(
  replicas: readonly number[],
  alive: ReadonlySet<number>,
  controllerEpoch: number,
): PartitionState | null {
  const live = replicas.filter((r) => alive.has(r));
  if (live.length === 0) return null;
  return { controllerEpoch, leader: live[0], leaderEpoch: 0, isr: live };
}

/**
 * OfflinePartitionLeaderElection without unclean election: the first replica in assignment order
 * that is alive and in the ISR leads, the ISR keeps its live members; null when none qualifies
 * (the partition stays offline and nothing is written).
 */
export function electOfflineLeader(
  current: PartitionState,
  replicas: readonly number[],
  alive: ReadonlySet<number>,
  controllerEpoch: number,
): PartitionState | null {
  const leader = replicas.find((r) => alive.has(r) && current.isr.includes(r));
  if (leader === undefined) return null;
  return {
    controllerEpoch,
    leader,
    leaderEpoch: current.leaderEpoch + 1,
    isr: current.isr.filter((r) => alive.has(r)),
  };
}

/**
 * A replica going OfflineReplica (ReplicaStateMachine): it stops leading (leader -1) and leaves
 * the ISR unless it is the last member; the leader epoch rises. Null when the replica is not in
 * the ISR (Kafka writes nothing then).
 *
 * @example
 * ```ts
 * takeReplicaOffline({ controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1] }, 1, 1);
 * // { controllerEpoch: 1, leader: -1, leaderEpoch: 1, isr: [1] }
 * ```
 */
export function takeReplicaOffline(
  current: PartitionState,
  replica: number,
  controllerEpoch: number,
): PartitionState | null {
  if (!current.isr.includes(replica)) return null;
  return {
    controllerEpoch,
    leader: current.leader === replica ? -1 : current.leader,
    leaderEpoch: current.leaderEpoch + 1,
    isr: current.isr.length === 1 ? [...current.isr] : current.isr.filter((r) => r !== replica),
  };
}
