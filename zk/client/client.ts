/**
 * ZkClient: the promise-based ZooKeeper API over one session. Paths are relative to the
 * connect string's chroot; watches are kept client-side (watches.ts) and survive reconnects.
 */
import {
  type ACL,
  AddWatchMode,
  type ClientInfo,
  Err,
  EventType,
  OpCode,
  type OpResult,
  type Request,
  type Response,
  type Stat,
  ZkError,
} from "../jute/mod.ts";
import { Connection } from "./connection.ts";
import { ZkMultiError } from "./errors.ts";
import { HostList, parseConnectString } from "./host_list.ts";
import { createRequest, opRequest, readOpRequest, stripResults, toBytes } from "./ops.ts";
import { prependChroot, stripChroot, validatePath } from "./path.ts";
import type {
  ConnectOptions,
  CreateOptions,
  CreateResult,
  DataResult,
  Op,
  ReadOp,
  WatchedEvent,
  Watcher,
  ZkData,
  ZkState,
} from "./types.ts";
import { type WatchKind, WatchRegistry } from "./watches.ts";

type Settle<T> = (err: number, res: Response | null) => T;

/** A reply handler: a ZkError for `path` unless OK, else `pick` of the body. */
function ok<T>(path: string | undefined, pick: (res: Response) => T): Settle<T> {
  return (err, res) => {
    if (err !== Err.OK) throw new ZkError(err, path);
    return pick(res!);
  };
}

const nothing = (): void => {};

/**
 * A ZooKeeper client session.
 *
 * @example
 * ```ts
 * import { ZkClient } from "./client.ts";
 * const zk = await ZkClient.connect("127.0.0.1:2181/app", { sessionTimeout: 10000 });
 * await zk.create("/config", "v1");
 * const { data } = await zk.getData("/config", (e) => console.log("changed", e));
 * await zk.close();
 * ```
 */
export class ZkClient {
  #conn: Connection;
  #watches: WatchRegistry;
  #chroot: string | null;

  private constructor(connectString: string, opts: ConnectOptions) {
    const cs = parseConnectString(connectString);
    this.#chroot = cs.chroot;
    this.#watches = new WatchRegistry(opts.watcher);
    this.#conn = new Connection({
      hosts: new HostList(cs.hosts),
      sessionTimeout: opts.sessionTimeout ?? 30000,
      readOnly: opts.readOnly ?? false,
      sessionId: opts.sessionId ?? 0n,
      password: opts.password ?? new Uint8Array(16),
      reconnectDelay: opts.reconnectDelay ?? 1000,
      log: opts.log ?? (() => {}),
      onState: (state) => this.#emit({ type: EventType.None, state, path: null }),
      onNotification: (type, state, path) =>
        this.#emit({ type, state, path: stripChroot(this.#chroot, path) }),
      watchPaths: () =>
        this.#watches.isEmpty ? null : this.#watches.paths((p) => prependChroot(this.#chroot, p)),
    });
  }

  /**
   * Connects to one of the hosts in `connectString` ("h1:2181,h2:2181[/chroot]") and resolves
   * once a session is established. Rejects with CONNECTIONLOSS after `connectTimeout`, or with
   * SESSIONEXPIRED when resuming a session that no longer exists.
   */
  static async connect(connectString: string, opts: ConnectOptions = {}): Promise<ZkClient> {
    const client = new ZkClient(connectString, opts);
    const timeout = opts.connectTimeout ?? opts.sessionTimeout ?? 30000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ZkError(Err.CONNECTIONLOSS)), timeout);
    });
    try {
      await Promise.race([client.#conn.start(), gaveUp]);
      return client;
    } catch (e) {
      await client.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The state, as Apache's ZooKeeper.States. */
  get state(): ZkState {
    return this.#conn.state;
  }
  /** The 64-bit session id. */
  get sessionId(): bigint {
    return this.#conn.sessionId;
  }
  /** The session password (16 bytes), to resume the session from another client. */
  get sessionPassword(): Uint8Array {
    return this.#conn.sessionPassword;
  }
  /** The session timeout granted by the server, in ms. */
  get negotiatedTimeout(): number {
    return this.#conn.negotiatedTimeout;
  }
  /** The chroot of the connect string, or null. */
  get chroot(): string | null {
    return this.#chroot;
  }
  /** The default watcher (session events and `watch = true` registrations). */
  get defaultWatcher(): Watcher {
    return this.#watches.defaultWatcher;
  }
  set defaultWatcher(w: Watcher) {
    this.#watches.defaultWatcher = w;
  }

  /** Creates a node; resolves with its path (with the sequence number for sequential modes). */
  create(path: string, data?: ZkData | null, opts: CreateOptions = {}): Promise<string> {
    const spec = { path, data, ...opts };
    return this.#send(
      () => createRequest(spec, this.#chroot, false),
      ok(path, (r) => stripChroot(this.#chroot, r.path!)),
    );
  }

  /** Creates a node; resolves with its path and Stat. */
  create2(path: string, data?: ZkData | null, opts: CreateOptions = {}): Promise<CreateResult> {
    const spec = { path, data, ...opts };
    return this.#send(
      () => createRequest(spec, this.#chroot, true),
      ok(path, (r) => ({ path: stripChroot(this.#chroot, r.path!), stat: r.stat! })),
    );
  }

  /** Deletes a node if its version matches (-1: any version). */
  delete(path: string, version = -1): Promise<void> {
    return this.#send(
      () => ({ type: OpCode.delete, path: this.#server(path), version }),
      ok(path, nothing),
    );
  }

  /**
   * The node's Stat, or null if it does not exist. A watcher (or `true` for the default one)
   * fires on NodeCreated if it does not exist, otherwise on NodeDataChanged or NodeDeleted.
   */
  exists(path: string, watch?: Watcher | boolean): Promise<Stat | null> {
    const w = this.#watcherOf(watch);
    const settle = ok(path, (r) => r.stat!);
    return this.#send(
      () => ({ type: OpCode.exists, path: this.#server(path), watch: w !== null }),
      (err, res) => {
        if (w !== null && err === Err.OK) this.#watches.add("data", path, w);
        if (w !== null && err === Err.NONODE) this.#watches.add("exist", path, w);
        return err === Err.NONODE ? null : settle(err, res);
      },
    );
  }

  /** The node's data and Stat; a watcher fires on NodeDataChanged or NodeDeleted. */
  getData(path: string, watch?: Watcher | boolean): Promise<DataResult> {
    return this.#read(OpCode.getData, path, "data", watch, (r) => ({
      data: r.data ?? null,
      stat: r.stat!,
    }));
  }

  /** Replaces the node's data if its version matches (-1: any); resolves with the new Stat. */
  setData(path: string, data: ZkData | null, version = -1): Promise<Stat> {
    return this.#send(
      () => ({ type: OpCode.setData, path: this.#server(path), data: toBytes(data), version }),
      ok(path, (r) => r.stat!),
    );
  }

  /** The node's ACL and Stat. */
  getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    return this.#send(
      () => ({ type: OpCode.getACL, path: this.#server(path) }),
      ok(path, (r) => ({ acl: r.acl!, stat: r.stat! })),
    );
  }

  /** Replaces the node's ACL if its ACL version (aversion) matches (-1: any). */
  setACL(path: string, acl: readonly ACL[], version = -1): Promise<Stat> {
    return this.#send(
      () => ({ type: OpCode.setACL, path: this.#server(path), acl: [...acl], version }),
      ok(path, (r) => r.stat!),
    );
  }

  /** The node's child names (unordered); a watcher fires on NodeChildrenChanged or NodeDeleted. */
  getChildren(path: string, watch?: Watcher | boolean): Promise<string[]> {
    return this.#read(OpCode.getChildren, path, "child", watch, (r) => r.children!);
  }

  /** getChildren plus the node's Stat. */
  getChildren2(
    path: string,
    watch?: Watcher | boolean,
  ): Promise<{ children: string[]; stat: Stat }> {
    return this.#read(OpCode.getChildren2, path, "child", watch, (r) => ({
      children: r.children!,
      stat: r.stat!,
    }));
  }

  #read<T>(
    type: typeof OpCode.getData | typeof OpCode.getChildren | typeof OpCode.getChildren2,
    path: string,
    kind: WatchKind,
    watch: Watcher | boolean | undefined,
    pick: (res: Response) => T,
  ): Promise<T> {
    const w = this.#watcherOf(watch);
    const settle = ok(path, pick);
    return this.#send(() => ({ type, path: this.#server(path), watch: w !== null }), (err, res) => {
      const value = settle(err, res);
      if (w !== null) this.#watches.add(kind, path, w);
      return value;
    });
  }

  /** The number of descendants of the node (not counting itself). */
  getAllChildrenNumber(path: string): Promise<number> {
    return this.#send(
      () => ({ type: OpCode.getAllChildrenNumber, path: this.#server(path) }),
      ok(path, (r) => r.totalNumber!),
    );
  }

  /** Paths of this session's ephemeral nodes whose path starts with `prefix`. */
  getEphemerals(prefix = "/"): Promise<string[]> {
    return this.#send(
      () => ({ type: OpCode.getEphemerals, path: this.#server(prefix) }),
      ok(prefix, (r) => r.ephemerals!.map((p) => stripChroot(this.#chroot, p))),
    );
  }

  /** Waits until the server this client is connected to has caught up with the leader. */
  sync(path: string): Promise<void> {
    return this.#send(() => ({ type: OpCode.sync, path: this.#server(path) }), ok(path, nothing));
  }

  /**
   * Runs the ops atomically. Resolves with one result per op; if any op fails nothing is
   * applied and it rejects with a ZkMultiError of the first failure, carrying all results.
   */
  multi(ops: readonly Op[]): Promise<OpResult[]> {
    return this.#send(
      () => ({ type: OpCode.multi, ops: ops.map((op) => opRequest(op, this.#chroot)) }),
      ok(undefined, (r) => {
        const results = stripResults(r.results!, this.#chroot);
        const i = results.findIndex((x) => x.err !== Err.OK);
        if (i >= 0) throw new ZkMultiError(results[i].err, ops[i]?.path, results);
        return results;
      }),
    );
  }

  /** Runs reads together; each result is a getData/getChildren result or an error (type -1). */
  multiRead(ops: readonly ReadOp[]): Promise<OpResult[]> {
    return this.#send(
      () => ({ type: OpCode.multiRead, ops: ops.map((op) => readOpRequest(op, this.#chroot)) }),
      ok(undefined, (r) => r.results!),
    );
  }

  /** Adds credentials to the session (e.g. "digest", "user:password"); kept across reconnects. */
  addAuth(scheme: string, auth: ZkData | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#conn.addAuth(scheme, auth === null ? null : toBytes(auth)!, (err) => {
        if (err === Err.OK) resolve();
        else reject(new ZkError(err));
      });
    });
  }

  /**
   * Adds a persistent watch (AddWatchMode.PERSISTENT: events on the node, including child
   * changes) or a recursive one (PERSISTENT_RECURSIVE: events on the node and every
   * descendant, no child events). It stays until removed. Default: the default watcher.
   */
  addWatch(path: string, mode: number, watcher?: Watcher): Promise<void> {
    const w = watcher ?? this.#watches.defaultWatcher;
    const kind: WatchKind = mode === AddWatchMode.PERSISTENT_RECURSIVE
      ? "persistentRecursive"
      : "persistent";
    return this.#send(
      () => ({ type: OpCode.addWatch, path: this.#server(path), mode }),
      ok(path, () => this.#watches.add(kind, path, w)),
    );
  }

  /**
   * Removes `watcher` (every watcher when omitted) of `watcherType` (WatcherType) from `path`.
   * Removed watchers receive DataWatchRemoved, ChildWatchRemoved or PersistentWatchRemoved.
   * With `local`, only the client's registration is dropped (works while disconnected).
   * Rejects with NOWATCHER if nothing matched.
   */
  async removeWatches(
    path: string,
    watcherType: number,
    watcher?: Watcher,
    local = false,
  ): Promise<void> {
    validatePath(path);
    const removals = this.#watches.select(path, watcherType, watcher);
    if (removals.length === 0) throw new ZkError(Err.NOWATCHER, path);
    if (!local) {
      // Keep the server's watch while another of our watchers still needs it.
      const keep = this.#watches.othersRemain(path, watcherType, removals);
      const type = keep ? OpCode.checkWatches : OpCode.removeWatches;
      await this.#send(() => ({ type, path: this.#server(path), watcherType }), ok(path, nothing));
    }
    for (const [w, event] of this.#watches.remove(path, removals)) this.#call(w, event);
  }

  /** Removes every watcher of `watcherType` on `path`. */
  removeAllWatches(path: string, watcherType: number, local = false): Promise<void> {
    return this.removeWatches(path, watcherType, undefined, local);
  }

  /** The identities this session is authenticated as. */
  whoAmI(): Promise<ClientInfo[]> {
    return this.#send(() => ({ type: OpCode.whoAmI }), ok(undefined, (r) => r.clientInfo!));
  }

  /**
   * Sends a dynamic reconfiguration (comma-separated server specs, or null) and resolves with
   * the new config data and Stat of /zookeeper/config.
   */
  reconfig(
    joining: string | null,
    leaving: string | null,
    newMembers: string | null,
    fromConfig = -1,
  ): Promise<DataResult> {
    return this.#send(
      () => ({
        type: OpCode.reconfig,
        joiningServers: joining,
        leavingServers: leaving,
        newMembers,
        curConfigId: fromConfig,
      }),
      ok(undefined, (r) => ({ data: r.data ?? null, stat: r.stat! })),
    );
  }

  /** Closes the session (its ephemeral nodes go) and the connection; idempotent. */
  close(): Promise<void> {
    return this.#conn.close();
  }

  /** The validated server path of a client path. */
  #server(path: string): string {
    validatePath(path);
    return prependChroot(this.#chroot, path);
  }

  #watcherOf(watch: Watcher | boolean | undefined): Watcher | null {
    if (typeof watch === "function") return watch;
    return watch === true ? this.#watches.defaultWatcher : null;
  }

  /**
   * Builds and submits a request. `build` runs inside the executor, so an invalid argument
   * rejects rather than throws; `settle` runs synchronously as the reply is read, so watches
   * are registered before any later notification is dispatched, and may throw to reject.
   */
  #send<T>(build: () => Request, settle: Settle<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#conn.submit(build(), (err, res) => {
        try {
          resolve(settle(err, res));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  #emit(event: WatchedEvent): void {
    for (const w of this.#watches.materialize(event)) this.#call(w, event);
  }

  #call(w: Watcher, event: WatchedEvent): void {
    try {
      w(event);
    } catch (e) {
      console.error("zk client: watcher threw", e);
    }
  }
}
