/**
 * Dynamic topic and broker configs in ZooKeeper, read and written as Kafka 2.8.2 does, through
 * zk/client only: `/config/topics/<t>` and `/config/brokers/<id>|<default>` hold
 * `{"version":1,"config":{…}}`; a change writes the entity znode (setData, or create on NONODE)
 * then a sequential `/config/changes/config_change_NNNNNNNNNN` naming it
 * (`{"version":2,"entity_path":"topics/t"}`). Every broker, the writer included, watches
 * `/config/changes` and applies each new notification by re-reading the entity; notifications
 * older than 15 minutes are deleted (DynamicConfigManager, ZkNodeChangeNotificationListener).
 *
 * @module
 */
import { type Clock, systemClock } from "../../internal/clock.ts";
import { CreateMode, type ZkClient, ZkError } from "../../zk/client/mod.ts";
import { decodeConfigChange, encodeConfigChange } from "../controller/znodes.ts";
import { type BrokerConfigState, DEFAULT_BROKER_ENTITY } from "./broker_config_state.ts";
import { configEntityPath, decodeEntityConfig, encodeEntityConfig } from "./config_znodes.ts";

const NONODE = -101;
const NODEEXISTS = -110;
const CHANGES = "/config/changes";
const PREFIX = "config_change_";
/** How long a notification stays (Kafka's changeExpirationMs). */
export const CONFIG_CHANGE_EXPIRATION_MS = 15 * 60 * 1000;

const isCode = (e: unknown, code: number) => e instanceof ZkError && e.code === code;

/** What the repository needs, and whom it tells. */
export interface ConfigRepositoryOptions {
  zk: ZkClient;
  /** This broker's configs; dynamic broker changes are applied to it. */
  state: BrokerConfigState;
  clock?: Clock;
  /** A topic's overrides changed (the whole new set). */
  onTopicConfigChange?: (topic: string, config: Map<string, string>) => void;
  /** `<default>` or this broker's dynamic configs changed (after `state` took them). */
  onBrokerConfigChange?: (entity: string, config: Map<string, string>) => void;
  /** Problems worth a WARN line (a notification Kafka could not read either). */
  log?: (message: string) => void;
}

/**
 * The config side of a broker's ZooKeeper session.
 *
 * @example
 * ```ts ignore
 * const repo = new ConfigRepository({ zk, state, onTopicConfigChange: (t, c) => logs.reconfigure(t, c) });
 * await repo.start();
 * await repo.changeTopicConfig("t", new Map([["retention.ms", "1000"]]));
 * ```
 */
export class ConfigRepository {
  readonly #zk: ZkClient;
  readonly #state: BrokerConfigState;
  readonly #clock: Clock;
  readonly #opts: ConfigRepositoryOptions;
  #lastChange = -1;
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;
  /** One watcher for /config/changes, so the client's watch set holds it once. */
  readonly #onChange = (): void => void this.#schedule();

  constructor(opts: ConfigRepositoryOptions) {
    this.#zk = opts.zk;
    this.#state = opts.state;
    this.#clock = opts.clock ?? systemClock;
    this.#opts = opts;
  }

  /** The sequence number of the last notification applied (-1: none yet). */
  get lastChange(): number {
    return this.#lastChange;
  }

  /** An entity's configs; empty when its znode does not exist. */
  async fetchEntityConfig(entityType: string, entity: string): Promise<Map<string, string>> {
    const path = configEntityPath(entityType, entity);
    try {
      return decodeEntityConfig(path, (await this.#zk.getData(path)).data);
    } catch (e) {
      if (isCode(e, NONODE)) return new Map();
      throw e;
    }
  }

  /** The children of `/config/<entityType>` (`users/<u>/clients` too), [] when it is absent. */
  async entityNames(entityType: string): Promise<string[]> {
    try {
      return await this.#zk.getChildren(`/config/${entityType}`);
    } catch (e) {
      if (isCode(e, NONODE)) return [];
      throw e;
    }
  }

  /** A topic's overrides (`/config/topics/<t>`). */
  topicConfig(topic: string): Promise<Map<string, string>> {
    return this.fetchEntityConfig("topics", topic);
  }

  /**
   * AdminZkClient.changeEntityConfig: writes the entity znode (setData at any version, create
   * with its parents on NONODE, setData again if a racing writer created it), then the change
   * notification.
   */
  async changeEntityConfig(
    entityType: string,
    entity: string,
    config: ReadonlyMap<string, string>,
  ): Promise<void> {
    const path = configEntityPath(entityType, entity);
    const data = encodeEntityConfig(config);
    try {
      await this.#zk.setData(path, data, -1);
    } catch (e) {
      if (!isCode(e, NONODE)) throw e;
      try {
        await this.#createRecursive(path, data);
      } catch (e2) {
        if (!isCode(e2, NODEEXISTS)) throw e2;
        await this.#zk.setData(path, data, -1);
      }
    }
    await this.#createRecursive(CHANGES, null).catch((e) => {
      if (!isCode(e, NODEEXISTS)) throw e;
    });
    await this.#zk.create(`${CHANGES}/${PREFIX}`, encodeConfigChange(entityType, entity), {
      mode: CreateMode.PERSISTENT_SEQUENTIAL,
    });
  }

  /** Replaces a topic's overrides. */
  changeTopicConfig(topic: string, config: ReadonlyMap<string, string>): Promise<void> {
    return this.changeEntityConfig("topics", topic, config);
  }

  /** Replaces a broker's (`brokerId`) or the cluster default's (null) dynamic configs. */
  changeBrokerConfig(brokerId: number | null, config: ReadonlyMap<string, string>): Promise<void> {
    return this.changeEntityConfig(
      "brokers",
      brokerId === null ? DEFAULT_BROKER_ENTITY : String(brokerId),
      config,
    );
  }

  /**
   * Loads the dynamic broker configs (cluster default, then this broker's), applies every
   * pending notification and watches for more, then hands every topic's overrides to
   * `onTopicConfigChange` (DynamicConfigManager.startup); resolves once that is done.
   */
  async start(): Promise<void> {
    for (const entity of [DEFAULT_BROKER_ENTITY, String(this.#state.brokerId)]) {
      this.#state.update(entity, await this.fetchEntityConfig("brokers", entity));
    }
    await this.#schedule();
    if (this.#opts.onTopicConfigChange === undefined) return;
    let topics: string[];
    try {
      topics = await this.#zk.getChildren("/config/topics");
    } catch (e) {
      if (isCode(e, NONODE)) return;
      throw e;
    }
    for (const topic of topics.sort()) {
      this.#opts.onTopicConfigChange(topic, await this.topicConfig(topic));
    }
  }

  /** Stops reacting to notifications (the session is the caller's to close). */
  stop(): void {
    this.#stopped = true;
  }

  /** Runs one pass over /config/changes after those already queued. */
  #schedule(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#processChanges()).catch((e) => {
      if (!this.#stopped) this.#opts.log?.(`error processing ${CHANGES}: ${e}`);
    });
    return this.#queue;
  }

  async #processChanges(): Promise<void> {
    if (this.#stopped) return;
    let children: string[];
    try {
      children = await this.#zk.getChildren(CHANGES, this.#onChange);
    } catch (e) {
      if (!isCode(e, NONODE)) throw e;
      // Not there yet: watch for its creation instead.
      await this.#zk.exists(CHANGES, this.#onChange);
      return;
    }
    // Kafka sorts the names as strings: the 10-digit suffix keeps that numeric.
    const changes = children.filter((c) => /^config_change_\d+$/.test(c)).sort();
    for (const name of changes) {
      const seq = Number(name.slice(PREFIX.length));
      if (seq <= this.#lastChange) continue;
      await this.#apply(`${CHANGES}/${name}`);
      this.#lastChange = seq;
    }
    await this.#purge(changes);
  }

  /** Applies one notification: re-reads the entity it names and tells whoever listens. */
  async #apply(path: string): Promise<void> {
    let data: Uint8Array | null;
    try {
      data = (await this.#zk.getData(path)).data;
    } catch (e) {
      if (isCode(e, NONODE)) return; // purged meanwhile
      throw e;
    }
    if (data === null) return;
    let change: { entityType: string; entity: string };
    try {
      change = decodeConfigChange(path, data);
    } catch (e) {
      this.#opts.log?.(`ignoring ${path}: ${(e as Error).message}`);
      return;
    }
    const config = await this.fetchEntityConfig(change.entityType, change.entity);
    if (change.entityType === "topics") {
      this.#opts.onTopicConfigChange?.(change.entity, config);
    } else if (change.entityType === "brokers") {
      const ours = change.entity === DEFAULT_BROKER_ENTITY ||
        change.entity === String(this.#state.brokerId);
      if (!ours) return;
      this.#state.update(change.entity, config);
      this.#opts.onBrokerConfigChange?.(change.entity, config);
    }
  }

  /** Deletes notifications created more than 15 minutes ago (by ZooKeeper's clock, ctime). */
  async #purge(changes: string[]): Promise<void> {
    const now = this.#clock.now();
    for (const name of changes) {
      const path = `${CHANGES}/${name}`;
      const stat = await this.#zk.exists(path);
      if (stat === null || stat.ctime + CONFIG_CHANGE_EXPIRATION_MS >= now) continue;
      await this.#zk.delete(path, -1).catch((e) => {
        if (!isCode(e, NONODE)) throw e;
      });
    }
  }

  /** Kafka's createRecursive: parents made top-down with null data, tolerating NODEEXISTS. */
  async #createRecursive(path: string, data: string | null): Promise<void> {
    try {
      await this.#zk.create(path, data);
      return;
    } catch (e) {
      if (!isCode(e, NONODE)) throw e;
    }
    const parts = path.split("/").slice(1, -1);
    for (let i = 1; i <= parts.length; i++) {
      await this.#zk.create(`/${parts.slice(0, i).join("/")}`, null).catch((e) => {
        if (!isCode(e, NODEEXISTS)) throw e;
      });
    }
    await this.#zk.create(path, data);
  }
}
