/**
 * The broker's ZooKeeper session as Kafka 2.8's KafkaZkClient keeps it: connect (pre-creating a
 * chroot over a separate session first, §2.1 step 1), the start-up writes (paths, cluster id), the
 * broker's registration, then the controller's election on that session. When the session expires
 * the broker does what Kafka's ZooKeeperClient and `RegisterBrokerAndReelect` do: a new session,
 * the checked-ephemeral registration again, and a new election (§2.7, "Session expiry").
 *
 * @module
 */
import { KeeperState, ZkClient } from "../../zk/client/mod.ts";
import { kafkaLayout, Logger } from "../../internal/log.ts";
import type { KafkaController } from "./controller.ts";
import { KafkaZkBootstrap } from "./zk_bootstrap.ts";
import type { BrokerRegistration } from "./znodes.ts";

/** What a session is started with. */
export interface KafkaZkSessionOptions {
  /** zookeeper.connect, with its chroot if any. */
  readonly connect: string;
  /** zookeeper.session.timeout.ms (Kafka's default 18000). */
  readonly sessionTimeoutMs?: number;
  /** zookeeper.connection.timeout.ms (default: the session timeout). */
  readonly connectionTimeoutMs?: number;
  readonly brokerId: number;
  /** The `/brokers/ids/<id>` registration (timestamp refreshed at each registration). */
  readonly registration: () => BrokerRegistration;
  /** Attached to every new session once the broker is registered. */
  readonly controller: KafkaController;
  /** Called with `/cluster/id` once it is known. */
  readonly onClusterId?: (id: string) => void;
  /** Called with the broker epoch (the registration's czxid) at each registration. */
  readonly onBrokerEpoch?: (epoch: number) => void;
  readonly log?: Logger;
}

const WHERE = "kafka.zk.KafkaZkClient";

/** The broker's session, re-established after an expiry. */
export class KafkaZkSession {
  readonly #o: KafkaZkSessionOptions;
  readonly #log: Logger;
  #zk: ZkClient | null = null;
  #closed = false;
  #renewing: Promise<void> | null = null;

  private constructor(o: KafkaZkSessionOptions) {
    this.#o = o;
    this.#log = o.log ?? new Logger("", "INFO", undefined, kafkaLayout);
  }

  /**
   * Connects, makes the start-up writes and registers the broker, then runs the controller's
   * election; resolves with the session once the election (and failover, if won) is done.
   */
  static async start(o: KafkaZkSessionOptions): Promise<KafkaZkSession> {
    const s = new KafkaZkSession(o);
    await s.#ensureChroot();
    const zk = await s.#connect();
    try {
      const boot = new KafkaZkBootstrap(zk);
      await boot.ensurePaths();
      o.onClusterId?.(await boot.clusterId());
      await s.#register(zk);
    } catch (e) {
      await zk.close();
      throw e;
    }
    return s;
  }

  /** The current session's client. */
  get zk(): ZkClient {
    if (this.#zk === null) throw new Error("no ZooKeeper session");
    return this.#zk;
  }

  /** Closes the session (its ephemerals, `/brokers/ids/<id>` and `/controller`, go with it). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#renewing?.catch(() => {});
    await this.#o.controller.close();
    await this.#zk?.close();
  }

  /** Forces what an expiry does (for tests): a new session, registration, election. */
  renew(): Promise<void> {
    this.#renewing ??= this.#renew().finally(() => this.#renewing = null);
    return this.#renewing;
  }

  async #ensureChroot(): Promise<void> {
    const slash = this.#o.connect.indexOf("/");
    if (slash < 0 || this.#o.connect.slice(slash) === "/") return;
    const chroot = this.#o.connect.slice(slash);
    const zk = await ZkClient.connect(this.#o.connect.slice(0, slash), this.#connectOptions());
    try {
      await new KafkaZkBootstrap(zk).createRecursive(chroot, null, true);
    } finally {
      await zk.close();
    }
  }

  #connectOptions() {
    const sessionTimeout = this.#o.sessionTimeoutMs ?? 18000;
    return { sessionTimeout, connectTimeout: this.#o.connectionTimeoutMs ?? sessionTimeout };
  }

  async #connect(): Promise<ZkClient> {
    this.#log.info(
      "kafka.zookeeper.ZooKeeperClient",
      `[ZooKeeperClient Kafka server] Initializing a new session to ${this.#o.connect}.`,
    );
    let zk: ZkClient | null = null;
    zk = await ZkClient.connect(this.#o.connect, {
      ...this.#connectOptions(),
      watcher: (e) => {
        if (e.path === null && e.state === KeeperState.Expired && zk !== null && zk === this.#zk) {
          void this.renew().catch(() => {});
        }
      },
    });
    this.#zk = zk;
    return zk;
  }

  async #register(zk: ZkClient): Promise<void> {
    const epoch = await new KafkaZkBootstrap(zk).registerBroker(
      this.#o.brokerId,
      this.#o.registration(),
    );
    this.#log.info(
      WHERE,
      `Registered broker ${this.#o.brokerId} at path /brokers/ids/${this.#o.brokerId} with addresses: ${
        this.#o.registration().endpoints.join(",")
      }, czxid (broker epoch): ${epoch}`,
    );
    this.#o.onBrokerEpoch?.(epoch);
    await this.#o.controller.attach(zk);
  }

  /** Kafka's ZooKeeperClient retries a new session until it gets one, then re-registers. */
  async #renew(): Promise<void> {
    const old = this.#zk;
    this.#zk = null;
    await old?.close().catch(() => {});
    let delay = 100;
    while (!this.#closed) {
      try {
        const zk = await this.#connect();
        if (this.#closed) {
          await zk.close();
          return;
        }
        await this.#register(zk);
        return;
      } catch (e) {
        this.#log.error(
          WHERE,
          `Error re-registering after session expiry: ${(e as Error).message}`,
        );
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  }
}
