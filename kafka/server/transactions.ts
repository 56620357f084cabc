/**
 * Transactions wired into the broker: the transaction coordinator over `__transaction_state`
 * (created like `__consumer_offsets`, by the AutoTopicCreator on the first FindCoordinator for a
 * transactional id), markers appended straight to the partitions through the ReplicaManager with
 * the coordinator's epoch (Apache sends WriteTxnMarkers to itself; one broker needs no request),
 * offsets partitions told to commit or drop their transactional offsets, and the handlers:
 * InitProducerId (22) for transactional ids, FindCoordinator (10) key type 1, AddPartitionsToTxn
 * (24), AddOffsetsToTxn (25), EndTxn (26), WriteTxnMarkers (27), TxnOffsetCommit (28).
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import type { Logger } from "../../internal/log.ts";
import type { AutoTopicCreator } from "../controller/mod.ts";
import type { GroupCoordinator } from "../group/coordinator.ts";
import { findCoordinatorHandler } from "../handlers/10_find_coordinator.ts";
import { initProducerIdHandler } from "../handlers/22_init_producer_id.ts";
import { addPartitionsToTxnHandler } from "../handlers/24_add_partitions_to_txn.ts";
import { addOffsetsToTxnHandler } from "../handlers/25_add_offsets_to_txn.ts";
import { endTxnHandler } from "../handlers/26_end_txn.ts";
import { type WriteTxnMarker, writeTxnMarkersHandler } from "../handlers/27_write_txn_markers.ts";
import { txnOffsetCommitHandler } from "../handlers/28_txn_offset_commit.ts";
import type { HandlerRegistry } from "../handlers/registry.ts";
import type { LogManager } from "../log/log_manager.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { buildEndTxnMarkerBatch } from "../protocol/records/control.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import {
  type MarkerRequest,
  TRANSACTION_STATE_TOPIC,
  TransactionCoordinator,
  type TransactionTopicLog,
} from "../txn/coordinator.ts";
import type { ProducerIdManager } from "../txn/producer_id_manager.ts";
import { txnConfigFrom } from "../txn/state_machine.ts";
import type { BrokerState } from "./broker_state.ts";
import type { ReplicaManager } from "./replica_manager.ts";

const OFFSETS_TOPIC = "__consumer_offsets";
const LOGGER = "kafka.coordinator.transaction.TransactionCoordinator";

/** What the transactions need of the broker. */
export interface TransactionWiring {
  values: ReadonlyMap<string, unknown>;
  state: BrokerState;
  replicas: ReplicaManager;
  logs: LogManager;
  groups: GroupCoordinator;
  auto: AutoTopicCreator;
  producerIds: ProducerIdManager;
  handlers: HandlerRegistry;
  clock: Clock;
  log?: Logger;
}

/**
 * Builds the transaction coordinator and registers its handlers (replacing 10 and 22). Call
 * `start()` once the ZooKeeper session is up, `stop()` at shutdown.
 */
export function wireTransactions(w: TransactionWiring): TransactionCoordinator {
  const config = txnConfigFrom(w.values);
  const writeMarker = markerWriter(w);
  const txns = new TransactionCoordinator({
    config: { ...config, partitionCount: transactionTopicPartitions(w, config.partitionCount) },
    clock: w.clock,
    log: transactionTopicLog(w, config.partitionCount),
    producerIds: w.producerIds,
    writeMarkers: (m) => writeAllMarkers(w, writeMarker, m),
    ensureTopic: async () =>
      (await w.auto.ensureInternalTopic(TRANSACTION_STATE_TOPIC)).code === ErrorCode.NONE &&
      topicLed(w),
    warn: (m) => w.log?.warn(LOGGER, m),
  });
  w.handlers
    .replace(10, findCoordinatorHandler(w.groups, () => txns.ready()))
    .replace(
      22,
      initProducerIdHandler(
        w.producerIds,
        (req, given) => txns.initProducerId(req.transactionalId, req.transactionTimeoutMs, given),
      ),
    )
    .register(24, addPartitionsToTxnHandler(txns))
    .register(25, addOffsetsToTxnHandler(txns, (g) => w.groups.partitionFor(g)))
    .register(26, endTxnHandler(txns))
    .register(27, writeTxnMarkersHandler(writeMarker))
    .register(28, txnOffsetCommitHandler(w.groups));
  return txns;
}

/** The topic's own partition count when it exists (it wins over the setting, as in Kafka). */
function transactionTopicPartitions(w: TransactionWiring, configured: number): number {
  return w.state.topics.get(TRANSACTION_STATE_TOPIC)?.partitions.length ?? configured;
}

/** Whether every partition of `__transaction_state` is led here with its log open. */
function topicLed(w: TransactionWiring): boolean {
  const t = w.state.topics.get(TRANSACTION_STATE_TOPIC);
  return t !== undefined && t.partitions.length > 0 &&
    t.partitions.every((p) => !("errorCode" in w.replicas.partition(t.name, p.partition)));
}

/** Appends one marker; a marker on `__consumer_offsets` settles its transactional offsets. */
function markerWriter(w: TransactionWiring): WriteTxnMarker {
  return async (m) => {
    const batch = buildEndTxnMarkerBatch({
      type: m.commit ? "COMMIT" : "ABORT",
      coordinatorEpoch: m.coordinatorEpoch,
      producerId: m.producerId,
      producerEpoch: m.producerEpoch,
      timestamp: w.clock.now(),
    });
    const out = await w.replicas.append(m.topic, m.partition, batch, -1, "coordinator");
    if (!out.ok) return out.errorCode;
    if (m.topic === OFFSETS_TOPIC) w.groups.completeTxn(m.producerId, m.partition, m.commit);
    return ErrorCode.NONE;
  };
}

/**
 * A transaction's markers on all its partitions (Kafka's TransactionMarkerChannelManager): a
 * partition whose topic is gone is dropped, a fenced one too (a newer coordinator or producer
 * epoch wrote there); any other failure is retried later.
 */
async function writeAllMarkers(
  w: TransactionWiring,
  write: WriteTxnMarker,
  m: MarkerRequest,
): Promise<number> {
  const codes = await Promise.all(m.partitions.map((tp) =>
    write({
      topic: tp.topic,
      partition: tp.partition,
      producerId: m.producerId,
      producerEpoch: m.producerEpoch,
      coordinatorEpoch: m.coordinatorEpoch,
      commit: m.result === "COMMIT",
    }).then((code) => {
      if (code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && !w.state.topics.has(tp.topic)) {
        return ErrorCode.NONE;
      }
      if (
        code === ErrorCode.INVALID_PRODUCER_EPOCH ||
        code === ErrorCode.TRANSACTION_COORDINATOR_FENCED
      ) {
        w.log?.warn(
          LOGGER,
          `Marker for ${m.transactionalId} on ${tp.topic}-${tp.partition} dropped: error ${code}`,
        );
        return ErrorCode.NONE;
      }
      return code;
    })
  ));
  return codes.find((c) => c !== ErrorCode.NONE) ?? ErrorCode.NONE;
}

/** `__transaction_state` through the ReplicaManager and the logs. */
function transactionTopicLog(w: TransactionWiring, configured: number): TransactionTopicLog {
  return {
    get partitionCount() {
      return transactionTopicPartitions(w, configured);
    },
    exists: () => topicLed(w),
    async append(partition, batch) {
      const out = await w.replicas.append(
        TRANSACTION_STATE_TOPIC,
        partition,
        batch,
        -1,
        "coordinator",
      );
      if (!out.ok) {
        throw Object.assign(new Error(out.errorMessage ?? `append failed (${out.errorCode})`), {
          errorCode: out.errorCode,
        });
      }
    },
    async *readAll(partition) {
      const log = w.logs.get(TRANSACTION_STATE_TOPIC, partition);
      if (!log) return;
      let offset = log.logStartOffset;
      while (offset < log.highWatermark) {
        const { records } = await log.read(offset, 1 << 20, { minOneMessage: true });
        const scan = scanEntries(records);
        if (scan.entries.length === 0) break;
        const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
        for (const e of scan.entries) {
          yield records.subarray(e.position, e.position + e.sizeInBytes);
          offset = Number(view.getBigInt64(e.position)) + view.getInt32(e.position + 23) + 1;
        }
      }
    },
    coordinatorEpoch: (p) =>
      w.state.topics.get(TRANSACTION_STATE_TOPIC)?.partitions[p]?.leaderEpoch ?? 0,
  };
}
