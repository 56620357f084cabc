/**
 * A Kafka 2.8 broker in ZooKeeper mode, assembled as KafkaServer.startup assembles Apache's:
 * open the log dirs (recovering what a crash left), listen, start the ZooKeeper session (the
 * start-up writes, `/brokers/ids/<id>`, the controller's election and failover, which tells the
 * log manager what to lead), load the group coordinator from `__consumer_offsets`, and serve.
 * `shutdown()` undoes it in Kafka's order: stop serving, stop the coordinator, close the logs
 * cleanly (flush, checkpoints, `.kafka_cleanshutdown`), then the ZooKeeper session, which takes
 * the broker's ephemeral znodes with it.
 *
 * The pieces live in their own layers (kafka/log, kafka/controller, kafka/group, handlers); this
 * file only wires them, so each stays testable alone.
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import { systemClock } from "../../internal/clock.ts";
import { kafkaLayout, Logger } from "../../internal/log.ts";
import type { BrokerConfig, Endpoint } from "../config/server_properties.ts";
import { topicDefaults } from "../config/topic_defaults.ts";
import { AutoTopicCreator, KafkaZkSession, topicAdminSettings } from "../controller/mod.ts";
import { KafkaController, type LocalReplicas } from "../controller/controller.ts";
import { KafkaZkBootstrap } from "../controller/zk_bootstrap.ts";
import { ProducerIdManager } from "../txn/producer_id_manager.ts";
import { initProducerIdHandler } from "../handlers/22_init_producer_id.ts";
import { TopicAdmin } from "../controller/topic_admin.ts";
import { groupConfigFrom, GroupCoordinator } from "../group/mod.ts";
import type { OffsetsTopicLog } from "../group/offsets_topic_log.ts";
import { defaultHandlers } from "../handlers/mod.ts";
import type { HandlerRegistry } from "../handlers/registry.ts";
import { metadataHandler } from "../handlers/03_metadata.ts";
import { produceHandler } from "../handlers/00_produce.ts";
import { fetchHandler } from "../handlers/01_fetch.ts";
import { listOffsetsHandler } from "../handlers/02_list_offsets.ts";
import { deleteRecordsHandler } from "../handlers/21_delete_records.ts";
import { offsetForLeaderEpochHandler } from "../handlers/23_offset_for_leader_epoch.ts";
import { createTopicsHandler } from "../handlers/19_create_topics.ts";
import { deleteTopicsHandler } from "../handlers/20_delete_topics.ts";
import { createPartitionsHandler } from "../handlers/37_create_partitions.ts";
import { describeLogDirsHandler } from "../handlers/35_describe_log_dirs.ts";
import { registerGroupHandlers } from "../handlers/group_handlers.ts";
import { registerZkAdminHandlers } from "../handlers/zk_admin_handlers.ts";
import { LogManager } from "../log/log_manager.ts";
import { logConfigFrom } from "../log/log_config.ts";
import { cleanerConfigFrom } from "../log/cleaner_config.ts";
import { BrokerConfigState } from "../config/broker_config_state.ts";
import { ConfigRepository } from "../config/config_repository.ts";
import { ConfigAdmin } from "../config/config_admin.ts";
import { BrokerLoggers } from "../config/broker_loggers.ts";
import { effectiveTopicConfig } from "../config/describe_configs.ts";
import { describeConfigsHandler } from "../handlers/32_describe_configs.ts";
import { alterConfigsHandler } from "../handlers/33_alter_configs.ts";
import { incrementalAlterConfigsHandler } from "../handlers/44_incremental_alter_configs.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { BrokerState } from "./broker_state.ts";
import { ReplicaManager } from "./replica_manager.ts";
import { wireTransactions } from "./transactions.ts";
import type { TransactionCoordinator } from "../txn/coordinator.ts";
import { KafkaListener } from "./server.ts";

/** Kafka's version string, as `--version` and the start-up banner print it. */
export const KAFKA_VERSION = "2.8.2";
/** The commit id Apache 2.8.2 prints after its version (`2.8.2 (Commit:3146c6ff4a24cc24)`). */
export const KAFKA_COMMIT = "3146c6ff4a24cc24";

/** The group coordinator's topic. */
export const OFFSETS_TOPIC = "__consumer_offsets";

/** What a broker starts from. */
export interface BrokerOptions {
  readonly config: BrokerConfig;
  /** Default: Kafka's layout on stdout. */
  readonly log?: Logger;
  readonly clock?: Clock;
  /** When the log manager's background tasks first run (Kafka's fixed 30 s; tests shorten it). */
  readonly initialTaskDelayMs?: number;
  /** Extra handlers over the broker's (tests). */
  readonly handlers?: (registry: HandlerRegistry, state: BrokerState) => void;
}

const SERVER = "kafka.server.KafkaServer";

/** The broker configs that schedule the log manager's background work. */
const LOG_MANAGER_KEYS = [
  "log.retention.check.interval.ms",
  "log.flush.scheduler.interval.ms",
  "log.flush.offset.checkpoint.interval.ms",
  "log.flush.start.offset.checkpoint.interval.ms",
  "replica.high.watermark.checkpoint.interval.ms",
];

/** ZooKeeper could not be reached in zookeeper.connection.timeout.ms: Kafka's message for it. */
export class ZooKeeperClientTimeoutError extends Error {
  override name = "kafka.zookeeper.ZooKeeperClientTimeoutException";
  constructor(cause: unknown) {
    super("Timed out waiting for connection while in state: CONNECTING", { cause });
  }
}

/**
 * A running broker.
 *
 * @example
 * ```ts ignore
 * const b = await KafkaBroker.start({ config });
 * console.log(b.port);
 * await b.shutdown();
 * ```
 */
export class KafkaBroker {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly state: BrokerState,
    readonly logs: LogManager,
    readonly replicas: ReplicaManager,
    readonly groups: GroupCoordinator,
    readonly transactions: TransactionCoordinator,
    private readonly session: KafkaZkSession,
    private readonly configs: ConfigRepository,
    private readonly listener: KafkaListener,
    private readonly log: Logger,
  ) {}

  /** The port the (first) listener is bound to. */
  get port(): number {
    return this.listener.port;
  }

  /** Starts a broker; rejects with a readable error (and nothing left running) if it cannot. */
  static async start(o: BrokerOptions): Promise<KafkaBroker> {
    const c = o.config;
    const clock = o.clock ?? systemClock;
    const log = o.log ?? new Logger("", "INFO");
    log.layout = kafkaLayout;
    // Levels per logger name on `log`, which BROKER_LOGGER configs read and change.
    const loggers = new BrokerLoggers(log);
    const id = c.brokerId;
    log.info(SERVER, "starting");
    log.info(SERVER, `Connecting to zookeeper on ${c.zookeeper.connect}`);
    const state: BrokerState = {
      brokerId: id,
      clusterId: null,
      controllerId: -1,
      brokers: [],
      topics: new Map(),
    };
    const cleanup: (() => Promise<unknown>)[] = [];
    try {
      // Topic defaults, plus the broker keys of the log manager's own schedule.
      const defaults = new Map(topicDefaults(c));
      for (const k of LOG_MANAGER_KEYS) {
        const v = c.raw.get(k);
        if (v !== undefined && v !== null) defaults.set(k, v);
      }
      const logs = await LogManager.open({
        logDirs: c.logDirs,
        brokerId: id,
        clock,
        defaults,
        producerIdExpirationMs: Number(
          c.values.get("transactional.id.expiration.ms") ?? 604_800_000,
        ),
        cleaner: cleanerConfigFrom(c.raw),
        log,
        initialTaskDelayMs: o.initialTaskDelayMs,
      });
      cleanup.push(() => logs.shutdown());
      const configState = new BrokerConfigState(c);
      // A topic's log runs with its overrides over the broker's effective (dynamic) defaults.
      const configFor = (overrides: ReadonlyMap<string, string>) =>
        logConfigFrom(effectiveTopicConfig(configState, overrides));
      let repo: ConfigRepository | undefined = undefined;
      const topicConfig = (topic: string) =>
        repo ? repo.topicConfig(topic) : Promise.resolve(new Map<string, string>());
      const reconfigure = (topic: string, overrides: ReadonlyMap<string, string>) => {
        const config = configFor(overrides);
        const t = state.topics.get(topic);
        for (const p of t?.partitions ?? []) logs.get(topic, p.partition)?.updateConfig(config);
      };
      const replicas = new ReplicaManager(state, logs, clock);
      replicas.minInsyncReplicasOf = (topic) => logs.get(topic, 0)?.config.minInsyncReplicas ?? 1;

      const local: LocalReplicas = {
        async becomeLeader(parts) {
          for (const p of parts) {
            await logs.getOrCreate(
              { topic: p.topic, partition: p.partition },
              configFor(p.config),
              p.topicId,
            );
          }
        },
        async deletePartitions(parts) {
          for (const p of parts) await logs.delete({ topic: p.topic, partition: p.partition });
        },
      };
      const controller = new KafkaController({
        brokerId: id,
        state,
        local,
        deleteTopicEnable: c.values.get("delete.topic.enable") !== false,
        log,
        clock,
      });
      const admin = new TopicAdmin(controller, state, topicAdminSettings(c));
      const auto = new AutoTopicCreator(admin);
      const offsetsTopic = offsetsTopicLog(
        replicas,
        logs,
        Number(
          c.values.get("offsets.topic.num.partitions") ?? 50,
        ),
      );
      const groups = new GroupCoordinator({
        log: offsetsTopic,
        config: groupConfigFrom(c.values),
        clock,
        ensureOffsetsTopic: async () =>
          (await auto.ensureInternalTopic(OFFSETS_TOPIC)).code === ErrorCode.NONE &&
          state.topics.get(OFFSETS_TOPIC)?.partitions.every((p) => p.leader === id) === true &&
          !("errorCode" in replicas.partition(OFFSETS_TOPIC, 0)),
      });

      const handlers = defaultHandlers();
      handlers
        .replace(3, metadataHandler(auto))
        .register(0, produceHandler(replicas))
        .register(1, fetchHandler(replicas))
        .register(2, listOffsetsHandler(replicas))
        .register(19, createTopicsHandler(admin))
        .register(20, deleteTopicsHandler(admin))
        .register(21, deleteRecordsHandler(replicas))
        .register(23, offsetForLeaderEpochHandler(replicas))
        .register(35, describeLogDirsHandler(logs))
        .register(37, createPartitionsHandler(admin));
      registerGroupHandlers(handlers, groups);
      const topicExists = (t: string) => state.topics.has(t);
      const configRepo = {
        fetchEntityConfig: (type: string, entity: string) => repo!.fetchEntityConfig(type, entity),
        changeTopicConfig: (t: string, m: ReadonlyMap<string, string>) =>
          repo!.changeTopicConfig(t, m),
        changeBrokerConfig: (b: number | null, m: ReadonlyMap<string, string>) =>
          repo!.changeBrokerConfig(b, m),
      };
      const configAdmin = new ConfigAdmin({
        state: configState,
        repo: configRepo,
        topicExists,
        loggers,
      });
      handlers
        .register(
          32,
          describeConfigsHandler({ state: configState, topicConfig, topicExists, loggers }),
        )
        .register(33, alterConfigsHandler(configAdmin))
        .register(44, incrementalAlterConfigsHandler(configAdmin));
      let brokerEpoch: number | undefined = undefined;
      registerZkAdminHandlers(handlers, {
        logs,
        replicas,
        store: {
          fetchEntityConfig: (t, e) => repo!.fetchEntityConfig(t, e),
          changeEntityConfig: (t, e, m) => repo!.changeEntityConfig(t, e, m),
          entityNames: (t) => repo!.entityNames(t),
        },
        brokerEpoch: () => brokerEpoch,
      });
      o.handlers?.(handlers, state);

      // Producer ids come in blocks claimed in /latest_producer_id_block, once the session is up.
      let zkSession: KafkaZkSession | undefined = undefined;
      const producerIds = new ProducerIdManager(() =>
        new KafkaZkBootstrap(zkSession!.zk).claimProducerIdBlock(id)
      );
      handlers.register(22, initProducerIdHandler(producerIds));
      const transactions = wireTransactions({
        values: c.values,
        state,
        replicas,
        logs,
        groups,
        auto,
        producerIds,
        handlers,
        clock,
        log,
      });

      const endpoint = c.listeners[0];
      const listener = KafkaListener.start({
        hostname: endpoint.host || "0.0.0.0",
        port: endpoint.port,
        state,
        handlers,
        maxRequestSize: Number(c.values.get("socket.request.max.bytes") ?? 104857600),
        log,
      });
      cleanup.unshift(() => listener.close());
      log.info(
        "kafka.network.Acceptor",
        `Awaiting socket connections on ${endpoint.host || "0.0.0.0"}:${listener.port}.`,
      );
      const advertised = advertisedEndpoints(c, listener.port);
      let session: KafkaZkSession;
      try {
        session = await KafkaZkSession.start({
          connect: c.zookeeper.connect,
          sessionTimeoutMs: c.zookeeperSessionTimeoutMs,
          connectionTimeoutMs: c.zookeeperConnectionTimeoutMs,
          brokerId: id,
          registration: () => ({
            endpoints: advertised.map((e) => `${e.listenerName}://${e.host}:${e.port}`),
            securityProtocolMap: securityProtocolMap(advertised),
            jmxPort: -1,
            timestamp: clock.now(),
          }),
          controller,
          onBrokerEpoch: (e) => brokerEpoch = e,
          onClusterId: (cid) => {
            state.clusterId = cid;
            log.info(SERVER, `Cluster ID = ${cid}`);
          },
          log,
        });
      } catch (e) {
        throw isConnectionLoss(e) ? new ZooKeeperClientTimeoutError(e) : e;
      }
      cleanup.splice(1, 0, () => session.close());
      zkSession = session;
      await producerIds.start();
      repo = new ConfigRepository({
        zk: session.zk,
        state: configState,
        clock,
        onTopicConfigChange: reconfigure,
        onBrokerConfigChange: () => {
          for (const t of state.topics.keys()) topicConfig(t).then((m) => reconfigure(t, m));
        },
        log: (m) => log.warn("kafka.server.DynamicConfigManager", m),
      });
      await repo.start();
      await groups.start();
      await transactions.start();
      logs.startBackground();
      log.info(SERVER, `[KafkaServer id=${id}] started`);
      return new KafkaBroker(
        state,
        logs,
        replicas,
        groups,
        transactions,
        session,
        repo,
        listener,
        log,
      );
    } catch (e) {
      for (const f of cleanup) await f().catch(() => {});
      throw e;
    }
  }

  /** Stops serving, then closes logs and the ZooKeeper session; idempotent. */
  shutdown(): Promise<void> {
    return this.stopping ??= (async () => {
      const id = this.state.brokerId;
      this.log.info(SERVER, `[KafkaServer id=${id}] shutting down`);
      await this.listener.close();
      this.replicas.wakeAll();
      this.groups.stop();
      this.transactions.stop();
      this.configs.stop();
      await this.logs.shutdown();
      await this.session.close().catch(() => {});
      this.log.info(SERVER, `[KafkaServer id=${id}] shut down completed`);
    })();
  }
}

/** `__consumer_offsets` as the group coordinator sees it: appends and reads through the logs. */
function offsetsTopicLog(
  replicas: ReplicaManager,
  logs: LogManager,
  partitionCount: number,
): OffsetsTopicLog {
  return {
    partitionCount,
    async append(partition, batch) {
      const out = await replicas.append(OFFSETS_TOPIC, partition, batch, -1, "coordinator");
      if (!out.ok) {
        throw Object.assign(new Error(out.errorMessage ?? `append to ${OFFSETS_TOPIC} failed`), {
          errorCode: out.errorCode,
        });
      }
    },
    async *readAll(partition) {
      const log = logs.get(OFFSETS_TOPIC, partition);
      if (!log) return;
      let offset = log.logStartOffset;
      while (offset < log.highWatermark) {
        const { records } = await log.read(offset, 1 << 20, { minOneMessage: true });
        const scan = scanEntries(records);
        if (scan.entries.length === 0) break;
        const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
        for (const e of scan.entries) {
          yield records.subarray(e.position, e.position + e.sizeInBytes);
          // A v2 batch: base offset (int64 at 0) + last offset delta (int32 at 23).
          offset = Number(view.getBigInt64(e.position)) + view.getInt32(e.position + 23) + 1;
        }
      }
    },
  };
}

function isConnectionLoss(e: unknown): boolean {
  return e instanceof Error && /CONNECTIONLOSS/.test(`${e.name} ${e.message}`);
}

/** advertised.listeners with a port of 0 replaced by the bound one, and "" by the host name. */
function advertisedEndpoints(c: BrokerConfig, boundPort: number): Endpoint[] {
  return c.advertisedListeners.map((e) => ({
    ...e,
    host: e.host || Deno.hostname(),
    port: e.port === 0 ? boundPort : e.port,
  }));
}

/**
 * The registration's listener_security_protocol_map: the advertised listeners' own entries only
 * (Kafka writes one per endpoint, not the whole listener.security.protocol.map).
 */
function securityProtocolMap(endpoints: readonly Endpoint[]): [string, string][] {
  return endpoints.map((e) => [e.listenerName, e.securityProtocol]);
}
