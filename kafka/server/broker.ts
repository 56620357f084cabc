/**
 * A Kafka 2.8 broker in ZooKeeper mode, assembled as KafkaServer.startup assembles Apache's:
 * connect to ZooKeeper (creating the chroot), create the top-level paths, read or make the
 * cluster id, open the log dirs, listen, register `/brokers/ids/<id>`, run for controller, and
 * serve. `shutdown()` undoes it in Kafka's order (stop serving, close logs cleanly, then the
 * ZooKeeper session, which takes the broker's ephemeral znodes with it).
 *
 * The pieces live in their own layers (kafka/controller, kafka/log, kafka/group, handlers); this
 * file only wires them, so each stays testable alone.
 *
 * @module
 */
import type { Clock } from "../../internal/clock.ts";
import { systemClock } from "../../internal/clock.ts";
import { kafkaLayout, Logger } from "../../internal/log.ts";
import { ZkClient } from "../../zk/client/mod.ts";
import type { BrokerConfig, Endpoint } from "../config/server_properties.ts";
import { KafkaZkBootstrap } from "../controller/zk_bootstrap.ts";
import { defaultHandlers } from "../handlers/mod.ts";
import type { HandlerRegistry } from "../handlers/registry.ts";
import type { BrokerState } from "./broker_state.ts";
import { KafkaListener } from "./server.ts";

/** Kafka's version string, as `--version` and the start-up banner print it. */
export const KAFKA_VERSION = "2.8.2";
/** The commit id Apache 2.8.2 prints after its version (`2.8.2 (Commit:3146c6ff4a24cc24)`). */
export const KAFKA_COMMIT = "3146c6ff4a24cc24";

/** What a broker starts from. */
export interface BrokerOptions {
  readonly config: BrokerConfig;
  /** Default: Kafka's layout on stdout. */
  readonly log?: Logger;
  readonly clock?: Clock;
  /** Extra handlers over the defaults (tests). */
  readonly handlers?: (registry: HandlerRegistry, state: BrokerState) => void;
}

const SERVER = "kafka.server.KafkaServer";

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
    private readonly zk: ZkClient,
    private readonly listener: KafkaListener,
    private readonly log: Logger,
    /** The broker epoch: the czxid of its registration znode. */
    readonly brokerEpoch: number,
  ) {}

  /** The port the (first) listener is bound to. */
  get port(): number {
    return this.listener.port;
  }

  /** Starts a broker; rejects with a readable error (and nothing left running) if it cannot. */
  static async start(o: BrokerOptions): Promise<KafkaBroker> {
    const c = o.config;
    const log = o.log ?? new Logger("", "INFO");
    log.layout = kafkaLayout;
    const id = c.brokerId;
    log.info(SERVER, "starting");
    log.info(SERVER, `Connecting to zookeeper on ${c.zookeeper.connect}`);
    const zk = await connectZk(c, log);
    let listener: KafkaListener | undefined;
    try {
      const boot = new KafkaZkBootstrap(zk);
      await boot.ensurePaths();
      const clusterId = await boot.clusterId();
      log.info(SERVER, `Cluster ID = ${clusterId}`);
      const endpoint = c.listeners[0];
      const state: BrokerState = {
        brokerId: id,
        clusterId,
        controllerId: -1,
        brokers: [],
        topics: new Map(),
      };
      const handlers = defaultHandlers();
      o.handlers?.(handlers, state);
      listener = KafkaListener.start({
        hostname: endpoint.host || "0.0.0.0",
        port: endpoint.port,
        state,
        handlers,
        maxRequestSize: Number(c.values.get("socket.request.max.bytes") ?? 104857600),
        log,
      });
      log.info(
        "kafka.network.Acceptor",
        `Awaiting socket connections on ${endpoint.host || "0.0.0.0"}:${listener.port}.`,
      );
      const advertised = advertisedEndpoints(c, listener.port);
      const epoch = await boot.registerBroker(id, {
        endpoints: advertised.map((e) => `${e.listenerName}://${e.host}:${e.port}`),
        securityProtocolMap: securityProtocolMap(c),
        jmxPort: -1,
        timestamp: (o.clock ?? systemClock).now(),
      });
      log.info(
        "kafka.zk.KafkaZkClient",
        `Registered broker ${id} at path /brokers/ids/${id} with addresses: ${
          advertised.map((e) => `${e.listenerName}://${e.host}:${e.port}`).join(",")
        }, czxid (broker epoch): ${epoch}`,
      );
      const self = advertised[0];
      state.brokers = [{ id, host: self.host, port: self.port, rack: rackOf(c) }];
      const won = await boot.electController(id, (o.clock ?? systemClock).now());
      state.controllerId = won.won ? id : won.controller;
      await boot.ensureFeature();
      log.info(SERVER, `[KafkaServer id=${id}] started`);
      return new KafkaBroker(state, zk, listener, log, epoch);
    } catch (e) {
      await listener?.close();
      await zk.close().catch(() => {});
      throw e;
    }
  }

  /** Stops serving, then closes the ZooKeeper session; idempotent. */
  shutdown(): Promise<void> {
    return this.stopping ??= (async () => {
      const id = this.state.brokerId;
      this.log.info(SERVER, `[KafkaServer id=${id}] shutting down`);
      await this.listener.close();
      await this.zk.close().catch(() => {});
      this.log.info(SERVER, `[KafkaServer id=${id}] shut down completed`);
    })();
  }
}

/** ZooKeeper could not be reached in zookeeper.connection.timeout.ms: Kafka's message for it. */
export class ZooKeeperClientTimeoutError extends Error {
  override name = "kafka.zookeeper.ZooKeeperClientTimeoutException";
  constructor(cause: unknown) {
    super("Timed out waiting for connection while in state: CONNECTING", { cause });
  }
}

/** The ZooKeeper session, with the chroot created first as Kafka does (createChrootIfNecessary). */
async function connectZk(c: BrokerConfig, log: Logger): Promise<ZkClient> {
  const hosts = c.zookeeper.hosts.map((h) => `${h.host}:${h.port}`).join(",");
  const opts = {
    sessionTimeout: c.zookeeperSessionTimeoutMs,
    connectTimeout: c.zookeeperConnectionTimeoutMs,
  };
  if (c.zookeeper.chroot !== "/") {
    const root = await ZkClient.connect(hosts, opts).catch((e) => {
      throw new ZooKeeperClientTimeoutError(e);
    });
    try {
      await new KafkaZkBootstrap(root).createRecursive(c.zookeeper.chroot, null);
    } finally {
      await root.close();
    }
  }
  log.info(
    "kafka.zookeeper.ZooKeeperClient",
    `[ZooKeeperClient Kafka server] Initializing a new session to ${c.zookeeper.connect}.`,
  );
  const zk = await ZkClient.connect(c.zookeeper.connect, opts).catch((e) => {
    throw new ZooKeeperClientTimeoutError(e);
  });
  log.info("kafka.zookeeper.ZooKeeperClient", "[ZooKeeperClient Kafka server] Connected.");
  return zk;
}

/** advertised.listeners with a port of 0 replaced by the bound one, and "" by the host name. */
function advertisedEndpoints(c: BrokerConfig, boundPort: number): Endpoint[] {
  return c.advertisedListeners.map((e) => ({
    ...e,
    host: e.host || Deno.hostname(),
    port: e.port === 0 ? boundPort : e.port,
  }));
}

function securityProtocolMap(c: BrokerConfig): [string, string][] {
  const raw = c.raw.get("listener.security.protocol.map") ?? "";
  return raw.split(",").filter((s) => s.includes(":")).map((s) => {
    const [name, proto] = s.split(":");
    return [name.trim(), proto.trim()];
  });
}

function rackOf(c: BrokerConfig): string | null {
  const r = c.raw.get("broker.rack");
  return r === undefined || r === null || r === "" ? null : r;
}
