/**
 * The controller of a Kafka 2.8 cluster on ZooKeeper, as one herd broker runs it: it wins
 * `/controller` (KafkaZkBootstrap.electController), loads brokers, topics and partition states, and
 * then keeps ZooKeeper and the broker in step the way Apache's KafkaController does
 * (zk-layout.md §2.2-§2.7): topics written by tools get their topic id and partition state znodes,
 * partitions added by `--alter` get theirs, `/admin/delete_topics` entries are carried out (local
 * logs first, then the znodes), live brokers are tracked. Every controller write is fenced on the
 * `/controller_epoch` version it won with (fenced_zk.ts).
 *
 * Like Apache's, it is one event queue: ZooKeeper watches only enqueue, one event runs at a time.
 * What it learns goes to the handlers' BrokerState, and what this broker must host goes to
 * {@link LocalReplicas} (the LogManager, wired by the broker): there is no LeaderAndIsr on the
 * wire between a one-broker controller and itself.
 *
 * @module
 */
import { EventType, type WatchedEvent, type Watcher, type ZkClient } from "../../zk/client/mod.ts";
import { kafkaLayout, Logger } from "../../internal/log.ts";
import { type Clock, systemClock } from "../../internal/clock.ts";
import type { BrokerState } from "../server/broker_state.ts";
import { ControllerMovedError, FencedZk, isZkCode, ZkCode } from "./fenced_zk.ts";
import { KafkaZkBootstrap, newClusterId } from "./zk_bootstrap.ts";
import { AdminZk } from "./admin_zk.ts";
import {
  decodeBroker,
  decodeController,
  decodePartitionState,
  decodeTopic,
  encodePartitionState,
  encodeTopic,
  type PartitionState,
} from "./znodes.ts";
import { electOfflineLeader, newPartitionState, takeReplicaOffline } from "./partition_election.ts";
import {
  type LiveBroker,
  type PartitionCtx,
  publishState,
  type TopicCtx,
} from "./controller_context.ts";

/** A partition this broker is to lead, with what its log needs. */
export interface LeaderPartition {
  topic: string;
  partition: number;
  /** Kafka's base64 topic id. */
  topicId: string;
  leaderEpoch: number;
  /** `/config/topics/<t>` overrides. */
  config: ReadonlyMap<string, string>;
}

/** What the controller tells the local broker to host (the LogManager, wired by the broker). */
export interface LocalReplicas {
  /** Become leader of these partitions (create the log if missing, with the topic's config map and topic id). */
  becomeLeader(parts: LeaderPartition[]): Promise<void>;
  /** Delete these partitions' logs. */
  deletePartitions(parts: { topic: string; partition: number }[]): Promise<void>;
}

/** What a controller is built with. */
export interface ControllerOptions {
  /** broker.id */
  readonly brokerId: number;
  /** The handlers' view, filled by the controller. */
  readonly state: BrokerState;
  /** The local side (logs). */
  readonly local: LocalReplicas;
  /** delete.topic.enable (default true). */
  readonly deleteTopicEnable?: boolean;
  /** Which listener's endpoint Metadata advertises for each broker (default: each one's first). */
  readonly listenerName?: string;
  /** Default: Kafka's layout on stdout, INFO. */
  readonly log?: Logger;
  /** The `/controller` timestamp. */
  readonly clock?: Clock;
  /** Topic ids for topics without one (default: random, as Uuid.randomUuid). */
  readonly newTopicId?: () => string;
}

const WHERE = "kafka.controller.KafkaController";

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: (ok: boolean) => void;
}

/** One broker's controller. */
export class KafkaController {
  readonly brokerId: number;
  readonly #o: ControllerOptions;
  readonly #log: Logger;
  #zk: ZkClient | null = null;
  /** Bumped by each attach: events of an older session are dropped. */
  #gen = 0;
  #active = false;
  #epoch = 0;
  #fenced: FencedZk | null = null;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #topics = new Map<string, TopicCtx>();
  readonly #live = new Map<number, LiveBroker>();
  /** Topics in `/admin/delete_topics` whose deletion has not completed. */
  readonly #deleting = new Set<string>();
  readonly #waiters = new Set<Waiter>();
  /** This session's watchers, one instance per path so a re-arm does not double them. */
  #watchers = new Map<string, Watcher>();

  constructor(options: ControllerOptions) {
    this.#o = options;
    this.brokerId = options.brokerId;
    this.#log = options.log ?? new Logger("", "INFO", undefined, kafkaLayout);
  }

  /** True while this broker is the controller. */
  get isActive(): boolean {
    return this.#active;
  }

  /** The controller epoch this broker won (0 when it never did). */
  get epoch(): number {
    return this.#epoch;
  }

  /** The current ZooKeeper session's client. */
  get zk(): ZkClient {
    if (this.#zk === null) throw new Error("the controller has no ZooKeeper session");
    return this.#zk;
  }

  /** True when `topic` is queued for deletion (CreatePartitions refuses such topics). */
  isQueuedForDeletion(topic: string): boolean {
    return this.#deleting.has(topic);
  }

  /**
   * Takes a (new) ZooKeeper session, on which the broker is registered: runs the election there
   * (Kafka's Startup, or RegisterBrokerAndReelect after a session expiry). Resolves once the
   * election and, when won, the failover are done.
   */
  attach(zk: ZkClient): Promise<void> {
    this.#zk = zk;
    const gen = ++this.#gen;
    this.#watchers = new Map();
    this.#resign();
    return this.#enqueue(gen, "Startup", () => this.#elect(gen));
  }

  /** Stops handling events (the session is the broker's to close). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#gen++;
    await this.#queue;
    for (const w of this.#waiters) w.resolve(false);
    this.#waiters.clear();
  }

  /**
   * Resolves true once `ready()` holds (checked now and after every controller event), false
   * after `timeoutMs`: how CreateTopics and DeleteTopics wait for the controller's work.
   */
  waitFor(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    if (timeoutMs <= 0 || this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = {
        ready,
        resolve: (ok) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Runs the events queued so far; resolves when they are done (for tests and the broker). */
  settled(): Promise<void> {
    return this.#queue;
  }

  // ---- the event queue ---------------------------------------------------------------------------

  #enqueue(gen: number, name: string, fn: () => Promise<void>): Promise<void> {
    const run = async () => {
      if (gen !== this.#gen || this.#closed) return;
      try {
        await fn();
      } catch (e) {
        if (e instanceof ControllerMovedError) {
          this.#log.info(WHERE, `[Controller id=${this.brokerId}] ${e.message}; resigning`);
          this.#resign();
          await this.#elect(gen).catch((err) => this.#failed("Reelect", err));
        } else {
          this.#failed(name, e);
        }
      } finally {
        this.#publish();
      }
    };
    const p = this.#queue.then(run);
    this.#queue = p.catch(() => {});
    return p;
  }

  #failed(name: string, e: unknown): void {
    if (this.#closed) return;
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    this.#log.error(
      WHERE,
      `[Controller id=${this.brokerId}] Error processing event ${name}: ${why}`,
    );
  }

  /** A watcher for `key` of this session that enqueues `name` running `fn`. */
  #watcher(
    gen: number,
    key: string,
    name: string,
    fn: (e: WatchedEvent) => Promise<void>,
  ): Watcher {
    let w = this.#watchers.get(key);
    if (w === undefined) {
      w = (event) => {
        if (event.type === EventType.None) return; // session state, handled by the broker
        void this.#enqueue(gen, name, () => fn(event));
      };
      this.#watchers.set(key, w);
    }
    return w;
  }

  #publish(): void {
    publishState(this.#o.state, this.#topics, this.#live, this.#deleting, this.#o.listenerName);
    for (const w of [...this.#waiters]) {
      if (w.ready()) {
        this.#waiters.delete(w);
        w.resolve(true);
      }
    }
  }

  // ---- election ----------------------------------------------------------------------------------

  #resign(): void {
    if (this.#active) this.#log.info(WHERE, `[Controller id=${this.brokerId}] Resigned`);
    this.#active = false;
    this.#fenced = null;
  }

  /** KafkaController.elect: watch `/controller`, and take it if nobody holds it. */
  async #elect(gen: number): Promise<void> {
    const zk = this.zk;
    const watch = this.#watcher(
      gen,
      "/controller",
      "ControllerChange",
      (e) => this.#onControllerChange(gen, e),
    );
    await zk.exists("/controller", watch);
    const now = (this.#o.clock ?? systemClock).now();
    const r = await new KafkaZkBootstrap(zk).electController(this.brokerId, now);
    if (!r.won) {
      this.#o.state.controllerId = r.controller;
      return;
    }
    this.#active = true;
    this.#epoch = r.epoch;
    this.#fenced = new FencedZk(zk, r.epochZkVersion);
    this.#o.state.controllerId = this.brokerId;
    this.#log.info(
      WHERE,
      `[Controller id=${this.brokerId}] ${this.brokerId} successfully elected as the controller. Epoch incremented to ${r.epoch} and epoch zk version is now ${r.epochZkVersion}`,
    );
    await this.#onFailover(gen);
  }

  async #onControllerChange(gen: number, e: WatchedEvent): Promise<void> {
    const zk = this.zk;
    const watch = this.#watcher(
      gen,
      "/controller",
      "ControllerChange",
      (ev) => this.#onControllerChange(gen, ev),
    );
    if (e.type === EventType.NodeDeleted) {
      this.#resign();
      await this.#elect(gen);
      return;
    }
    await zk.exists("/controller", watch);
    let id = -1;
    try {
      const r = await zk.getData("/controller");
      id = r.data === null ? -1 : decodeController("/controller", r.data);
    } catch (err) {
      if (!isZkCode(err, ZkCode.NONODE)) throw err;
    }
    if (id !== this.brokerId) this.#resign();
    if (id === -1) {
      await this.#elect(gen);
      return;
    }
    this.#o.state.controllerId = id;
  }

  // ---- failover ----------------------------------------------------------------------------------

  /** onControllerFailover (§2.2 steps 6-13) for a one-broker controller. */
  async #onFailover(gen: number): Promise<void> {
    const zk = this.zk;
    const fenced = this.#fenced!;
    await new KafkaZkBootstrap(zk).ensureFeature();
    this.#topics.clear();
    this.#live.clear();
    this.#deleting.clear();
    await this.#readBrokers(gen);
    const names = await zk.getChildren(
      "/brokers/topics",
      this.#watcher(gen, "/brokers/topics", "TopicChange", () => this.#onTopicChange(gen)),
    );
    await this.#loadTopics(gen, names);
    const pending = await zk.getChildren(
      "/admin/delete_topics",
      this.#watcher(gen, "/admin/delete_topics", "TopicDeletion", () => this.#onTopicDeletion(gen)),
    );
    // Partitions still without a state znode are brand new; offline ones get a leader if they can.
    const fresh: [string, number][] = [];
    for (const t of this.#topics.values()) {
      for (const [p, pc] of t.partitions) if (pc.state === null) fresh.push([t.name, p]);
    }
    await this.#createPartitionStates(fresh);
    await this.#electOffline();
    // The legacy election znode is always deleted after failover, usually failing with NONODE.
    await fenced.deleteIfExists("/admin/preferred_replica_election");
    await this.#becomeLeader(this.#partitionsOf(this.#topics.keys()));
    await this.#processDeletions(gen, pending);
  }

  /** `L /brokers/ids +w` and `G` of each: the live brokers, their epochs (czxid) and endpoints. */
  async #readBrokers(gen: number): Promise<{ added: number[]; removed: number[] }> {
    const zk = this.zk;
    const ids = await zk.getChildren(
      "/brokers/ids",
      this.#watcher(gen, "/brokers/ids", "BrokerChange", () => this.#onBrokerChange(gen)),
    );
    const seen = new Map<number, LiveBroker>();
    const reads = ids.map(async (name) => {
      const id = Number(name);
      if (!Number.isInteger(id)) return;
      try {
        const r = await zk.getData(`/brokers/ids/${name}`);
        if (r.data === null) return; // registration not finished (create, then setData)
        seen.set(id, {
          id,
          czxid: r.stat.czxid,
          reg: decodeBroker(`/brokers/ids/${name}`, r.data),
        });
      } catch (e) {
        if (!isZkCode(e, ZkCode.NONODE)) throw e;
      }
    });
    await Promise.all(reads);
    const added: number[] = [];
    const removed: number[] = [];
    for (const [id, b] of seen) {
      const old = this.#live.get(id);
      // A larger czxid is a bounce: a failure followed by a start-up (§2.7).
      if (old !== undefined && old.czxid !== b.czxid) removed.push(id);
      if (old === undefined || old.czxid !== b.czxid) added.push(id);
    }
    for (const id of this.#live.keys()) if (!seen.has(id)) removed.push(id);
    this.#live.clear();
    for (const id of [...seen.keys()].sort((a, b) => a - b)) this.#live.set(id, seen.get(id)!);
    return { added, removed };
  }

  #alive(): Set<number> {
    return new Set(this.#live.keys());
  }

  /**
   * `G /brokers/topics/<t> +w` for each new topic, a topic id for those without one
   * (`F[S /brokers/topics/<t> v=-1]`), and `G` of each partition's state.
   */
  async #loadTopics(gen: number, names: string[]): Promise<void> {
    const zk = this.zk;
    const loaded = await Promise.all(names.map(async (name) => {
      const path = `/brokers/topics/${name}`;
      const watch = this.#watcher(
        gen,
        path,
        "PartitionModifications",
        () => this.#onPartitionModification(gen, name),
      );
      try {
        const r = await zk.getData(path, watch);
        return { name, assignment: r.data === null ? null : decodeTopic(path, r.data) };
      } catch (e) {
        if (isZkCode(e, ZkCode.NONODE)) return { name, assignment: null };
        throw e;
      }
    }));
    for (const { name, assignment } of loaded) {
      if (assignment === null) continue;
      let topicId = assignment.topicId;
      if (topicId === undefined) {
        topicId = (this.#o.newTopicId ?? newClusterId)();
        await this.#fenced!.setData(
          `/brokers/topics/${name}`,
          encodeTopic({ ...assignment, topicId }),
          -1,
        );
        this.#log.info(
          WHERE,
          `[Controller id=${this.brokerId}] Assigned topic id ${topicId} to topic ${name}`,
        );
      }
      const t: TopicCtx = { name, topicId, partitions: new Map() };
      for (const [p, replicas] of assignment.partitions) {
        t.partitions.set(p, { replicas, state: null, version: -1 });
      }
      this.#topics.set(name, t);
      await this.#readStates(t, [...t.partitions.keys()]);
    }
  }

  async #readStates(t: TopicCtx, partitions: number[]): Promise<void> {
    const zk = this.zk;
    await Promise.all(partitions.map(async (p) => {
      const path = `/brokers/topics/${t.name}/partitions/${p}/state`;
      const pc = t.partitions.get(p)!;
      try {
        const r = await zk.getData(path);
        if (r.data === null) return;
        pc.state = decodePartitionState(path, r.data);
        pc.version = r.stat.version;
      } catch (e) {
        if (!isZkCode(e, ZkCode.NONODE)) throw e;
      }
    }));
  }

  /**
   * onNewPartitionCreation (§2.3 step 9): fenced creates of `partitions`, `partitions/<p>` and
   * `partitions/<p>/state`, in that order, each stage pipelined; NODEEXISTS tolerated on the
   * first two (and a state znode someone else made is read back).
   */
  async #createPartitionStates(parts: [string, number][]): Promise<void> {
    const fenced = this.#fenced!;
    const alive = this.#alive();
    // Only partitions that get a leader are created (the rest wait for a replica's broker).
    const ready: [TopicCtx, number, PartitionCtx, PartitionState][] = [];
    for (const [name, p] of parts) {
      const t = this.#topics.get(name);
      const pc = t?.partitions.get(p);
      if (t === undefined || pc === undefined) continue;
      const state = newPartitionState(pc.replicas, alive, this.#epoch);
      if (state !== null) {
        ready.push([t, p, pc, state]);
        continue;
      }
      this.#log.error(
        "state.change.logger",
        `[Controller id=${this.brokerId} epoch=${this.#epoch}] Controller failed to elect leader for partition ${name}-${p}: no live replicas among [${
          pc.replicas.join(",")
        }]`,
      );
    }
    if (ready.length === 0) return;
    const tolerate = (e: unknown) => {
      if (!isZkCode(e, ZkCode.NODEEXISTS)) throw e;
    };
    const dir = (t: TopicCtx) => `/brokers/topics/${t.name}/partitions`;
    const topics = [...new Set(ready.map(([t]) => t))];
    await Promise.all(topics.map((t) => fenced.create(dir(t), null).catch(tolerate)));
    await Promise.all(ready.map(([t, p]) => fenced.create(`${dir(t)}/${p}`, null).catch(tolerate)));
    await Promise.all(ready.map(async ([t, p, pc, state]) => {
      try {
        await fenced.create(`${dir(t)}/${p}/state`, encodePartitionState(state));
        pc.state = state;
        pc.version = 0;
      } catch (e) {
        if (!isZkCode(e, ZkCode.NODEEXISTS)) throw e;
        await this.#readStates(t, [p]);
      }
    }));
  }

  /** `F[S state v=zkVersion]`, keeping the context in step. */
  async #writeState(t: TopicCtx, p: number, state: PartitionState): Promise<void> {
    const pc = t.partitions.get(p)!;
    const path = `/brokers/topics/${t.name}/partitions/${p}/state`;
    pc.version = await this.#fenced!.setData(path, encodePartitionState(state), pc.version);
    pc.state = state;
  }

  /** Offline partitions (leader -1 or dead) with a live ISR replica get it as leader. */
  async #electOffline(): Promise<[string, number][]> {
    const alive = this.#alive();
    const touched: [string, number][] = [];
    for (const t of this.#topics.values()) {
      if (this.#deleting.has(t.name)) continue;
      for (const [p, pc] of t.partitions) {
        if (pc.state === null || alive.has(pc.state.leader)) continue;
        const next = electOfflineLeader(pc.state, pc.replicas, alive, this.#epoch);
        if (next === null) continue;
        await this.#writeState(t, p, next);
        touched.push([t.name, p]);
      }
    }
    return touched;
  }

  /** Tells the local side to lead those of `parts` ([topic, partition]) this broker leads. */
  async #becomeLeader(parts: readonly (readonly [string, number])[]): Promise<void> {
    const out: LeaderPartition[] = [];
    const configs = new Map<string, Map<string, string>>();
    const admin = new AdminZk(this.zk);
    for (const [name, p] of parts) {
      const t = this.#topics.get(name);
      const state = t?.partitions.get(p)?.state;
      if (t === undefined || state?.leader !== this.brokerId || this.#deleting.has(name)) continue;
      let config = configs.get(name);
      if (config === undefined) configs.set(name, config = await admin.topicConfig(name));
      out.push({
        topic: name,
        partition: p,
        topicId: t.topicId,
        leaderEpoch: state.leaderEpoch,
        config,
      });
    }
    if (out.length > 0) await this.#o.local.becomeLeader(out);
  }

  /** Every [topic, partition] of `topics`. */
  #partitionsOf(topics: Iterable<string>): [string, number][] {
    const out: [string, number][] = [];
    for (const name of topics) {
      for (const p of this.#topics.get(name)?.partitions.keys() ?? []) out.push([name, p]);
    }
    return out;
  }

  // ---- events ------------------------------------------------------------------------------------

  /** TopicChange: new topics are loaded and get partitions; vanished ones are forgotten. */
  async #onTopicChange(gen: number): Promise<void> {
    if (!this.#active) return;
    const names = await this.zk.getChildren(
      "/brokers/topics",
      this.#watcher(gen, "/brokers/topics", "TopicChange", () => this.#onTopicChange(gen)),
    );
    const now = new Set(names);
    for (const name of [...this.#topics.keys()]) if (!now.has(name)) this.#topics.delete(name);
    const added = names.filter((n) => !this.#topics.has(n));
    if (added.length === 0) return;
    this.#log.info(
      WHERE,
      `[Controller id=${this.brokerId}] New topics: [Set(${added.join(", ")})]`,
    );
    await this.#loadTopics(gen, added);
    const fresh: [string, number][] = [];
    for (const name of added) {
      const t = this.#topics.get(name);
      if (t === undefined) continue;
      for (const [p, pc] of t.partitions) if (pc.state === null) fresh.push([name, p]);
    }
    await this.#createPartitionStates(fresh);
    await this.#becomeLeader(fresh);
  }

  /** PartitionModifications: partitions added to an existing topic get state znodes. */
  async #onPartitionModification(gen: number, name: string): Promise<void> {
    if (!this.#active) return;
    const path = `/brokers/topics/${name}`;
    const watch = this.#watcher(
      gen,
      path,
      "PartitionModifications",
      () => this.#onPartitionModification(gen, name),
    );
    let data: Uint8Array | null;
    try {
      data = (await this.zk.getData(path, watch)).data;
    } catch (e) {
      if (isZkCode(e, ZkCode.NONODE)) return; // deleted: TopicChange forgets it
      throw e;
    }
    const t = this.#topics.get(name);
    if (t === undefined || data === null || this.#deleting.has(name)) return;
    const assignment = decodeTopic(path, data);
    const added = [...assignment.partitions.keys()].filter((p) => !t.partitions.has(p));
    if (added.length === 0) return;
    for (const p of added) {
      t.partitions.set(p, { replicas: assignment.partitions.get(p)!, state: null, version: -1 });
    }
    this.#log.info(
      WHERE,
      `[Controller id=${this.brokerId}] New partitions to be added ${
        added.map((p) => `${name}-${p}`).join(",")
      }`,
    );
    await this.#createPartitionStates(added.map((p) => [name, p]));
    await this.#becomeLeader(added.map((p) => [name, p] as const));
  }

  /** BrokerChange: offline partitions of returning brokers are elected; dead replicas go offline. */
  async #onBrokerChange(gen: number): Promise<void> {
    if (!this.#active) return;
    const { added, removed } = await this.#readBrokers(gen);
    if (added.length === 0 && removed.length === 0) return;
    this.#log.info(
      WHERE,
      `[Controller id=${this.brokerId}] Newly added brokers: ${added.join(",")}, deleted brokers: ${
        removed.join(",")
      }, all live brokers: ${[...this.#live.keys()].join(",")}`,
    );
    const gone = new Set(removed.filter((id) => !this.#live.has(id)));
    if (gone.size > 0) await this.#onBrokerFailure(gone);
    const touched = await this.#electOffline();
    // Partitions no broker could host before (no state znode yet) are created now.
    const fresh: [string, number][] = [];
    for (const t of this.#topics.values()) {
      if (this.#deleting.has(t.name)) continue;
      for (const [p, pc] of t.partitions) if (pc.state === null) fresh.push([t.name, p]);
    }
    await this.#createPartitionStates(fresh);
    await this.#becomeLeader([...touched, ...fresh]);
    if (this.#deleting.size > 0) await this.#processDeletions(gen, [...this.#deleting]);
  }

  /** onBrokerFailure: leaders on dead brokers are replaced, dead replicas leave the ISR. */
  async #onBrokerFailure(dead: Set<number>): Promise<void> {
    const alive = this.#alive();
    for (const t of this.#topics.values()) {
      for (const [p, pc] of t.partitions) {
        if (pc.state === null || !pc.state.isr.some((r) => dead.has(r))) continue;
        let next: PartitionState | null = pc.state;
        if (dead.has(next.leader)) next = electOfflineLeader(next, pc.replicas, alive, this.#epoch);
        if (next === null) {
          next = pc.state;
          for (const r of pc.state.isr) {
            if (dead.has(r)) next = takeReplicaOffline(next, r, this.#epoch) ?? next;
          }
        } else {
          const isr = next.isr.filter((r) => !dead.has(r));
          next = { ...next, isr: isr.length > 0 ? isr : next.isr };
        }
        await this.#writeState(t, p, next);
      }
    }
  }

  /** TopicDeletion: `L /admin/delete_topics +w`, then carry the entries out. */
  async #onTopicDeletion(gen: number): Promise<void> {
    if (!this.#active) return;
    const names = await this.zk.getChildren(
      "/admin/delete_topics",
      this.#watcher(gen, "/admin/delete_topics", "TopicDeletion", () => this.#onTopicDeletion(gen)),
    );
    await this.#processDeletions(gen, names);
  }

  /**
   * TopicDeletionManager for one broker: unknown topics' entries are dropped; with deletion off
   * every entry is; a topic with a replica on a dead broker waits for it. Otherwise its replicas
   * go offline (state written with leader -1), the local logs are deleted, then the znodes:
   * `/brokers/topics/<t>` recursively, `/config/topics/<t>`, `/admin/delete_topics/<t>`.
   */
  async #processDeletions(_gen: number, names: string[]): Promise<void> {
    if (!this.#active) return;
    const fenced = this.#fenced!;
    for (const name of names) {
      const t = this.#topics.get(name);
      if (t === undefined || this.#o.deleteTopicEnable === false) {
        this.#deleting.delete(name);
        await fenced.deleteIfExists(`/admin/delete_topics/${name}`);
        continue;
      }
      if (!this.#deleting.has(name)) {
        this.#deleting.add(name);
        this.#log.info(
          WHERE,
          `[Controller id=${this.brokerId}] Starting topic deletion for topics ${name}`,
        );
      }
      const alive = this.#alive();
      const ineligible = [...t.partitions.values()].some((pc) =>
        pc.replicas.some((r) => !alive.has(r))
      );
      if (ineligible) continue;
      for (const [p, pc] of t.partitions) {
        for (const r of pc.replicas) {
          if (pc.state === null) break;
          const next = takeReplicaOffline(pc.state, r, this.#epoch);
          if (next !== null) await this.#writeState(t, p, next);
        }
      }
      const local = [...t.partitions].filter(([, pc]) => pc.replicas.includes(this.brokerId));
      if (local.length > 0) {
        await this.#o.local.deletePartitions(local.map(([p]) => ({ topic: name, partition: p })));
      }
      await fenced.deleteRecursive(`/brokers/topics/${name}`);
      await fenced.deleteIfExists(`/config/topics/${name}`);
      await fenced.deleteIfExists(`/admin/delete_topics/${name}`);
      this.#topics.delete(name);
      this.#deleting.delete(name);
      this.#log.info(
        WHERE,
        `[Controller id=${this.brokerId}] Deletion of topic ${name} successfully completed`,
      );
    }
  }
}
