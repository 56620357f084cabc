/**
 * The handlers that need the broker's log manager, replica manager, ZooKeeper entity configs or
 * registration (AlterReplicaLogDirs 34, DescribeClientQuotas 48, AlterClientQuotas 49,
 * DescribeUserScramCredentials 50, AlterUserScramCredentials 51, AlterIsr 56,
 * DescribeProducers 61), registered in one call so kafka/server/broker.ts wires them in one line.
 *
 * @module
 */
import type { EntityConfigStore } from "../config/client_quotas.ts";
import type { LogManager } from "../log/log_manager.ts";
import type { ReplicaManager } from "../server/replica_manager.ts";
import { alterReplicaLogDirsHandler } from "./34_alter_replica_log_dirs.ts";
import { describeClientQuotasHandler } from "./48_describe_client_quotas.ts";
import { alterClientQuotasHandler } from "./49_alter_client_quotas.ts";
import { describeUserScramCredentialsHandler } from "./50_describe_user_scram_credentials.ts";
import { alterUserScramCredentialsHandler } from "./51_alter_user_scram_credentials.ts";
import { alterIsrHandler } from "./56_alter_isr.ts";
import { describeProducersHandler } from "./61_describe_producers.ts";
import type { HandlerRegistry } from "./registry.ts";

/** The broker services those handlers use. */
export interface ZkAdminServices {
  readonly logs: LogManager;
  readonly replicas: ReplicaManager;
  readonly store: EntityConfigStore;
  /** This broker's epoch (its registration's czxid), once registered. */
  readonly brokerEpoch: () => number | undefined;
}

/** Registers keys 34, 48, 49, 50, 51, 56 and 61 over `s`. */
export function registerZkAdminHandlers(handlers: HandlerRegistry, s: ZkAdminServices): void {
  handlers
    .register(
      34,
      alterReplicaLogDirsHandler({
        logDirs: s.logs.logDirs,
        logDirOf: (topic, partition) =>
          s.logs.all().find((e) =>
            e.topicPartition.topic === topic && e.topicPartition.partition === partition
          )?.logDir,
      }),
    )
    .register(48, describeClientQuotasHandler(s.store))
    .register(49, alterClientQuotasHandler(s.store))
    .register(50, describeUserScramCredentialsHandler(s.store))
    .register(51, alterUserScramCredentialsHandler(s.store))
    .register(56, alterIsrHandler(s.brokerEpoch))
    .register(
      61,
      describeProducersHandler({
        producersOf: (topic, partition) => {
          const p = s.replicas.partition(topic, partition);
          if ("errorCode" in p) return { errorCode: p.errorCode };
          return s.logs.get(topic, partition)?.producerState.state.entries() ?? [];
        },
      }),
    );
}
