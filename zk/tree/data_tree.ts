/**
 * The data tree: a pure state machine over txns. It is fed committed txns in zxid order and
 * answers with results; watch triggers and quota warnings go to a sink. No I/O, no clocks.
 */
import type { ACL, Stat } from "../jute/records.ts";
import { EventType, OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import { ACLCache } from "./acl.ts";
import {
  CONTAINER_OWNER,
  isSessionOwner,
  isTTLOwner,
  type StoredData,
  ttlOwner,
  Znode,
} from "./znode.ts";
import { isCounted, TreeDigest, znodeDigest } from "./digest.ts";
import { childPath, nameOf, parentOf } from "./path.ts";
import type { Txn, TxnHeader } from "./txn.ts";
import {
  formatStats,
  LIMITS_NODE,
  parseStatsTrack,
  QUOTA_ROOT,
  type QuotaExceeded,
  quotaTarget,
  STATS_NODE,
  statsPath,
} from "./quota.ts";

/** Where the tree reports effects: watch triggers and soft-quota overruns. */
export interface TreeSink {
  trigger(path: string, type: number): void;
  quotaExceeded?(q: QuotaExceeded): void;
  /**
   * A znode was created, deleted or had its data set: its path and the bytes of data written
   * (0 for a delete), for Apache's per-namespace write metrics (DataTree.updateWriteStat).
   */
  written?(path: string, bytes: number): void;
}

/** The outcome of applying one txn (ProcessTxnResult). */
export interface TxnResult {
  type: number;
  err: number;
  path?: string;
  stat?: Stat;
  /** For multi: one result per sub-txn. */
  results?: TxnResult[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const noSink: TreeSink = { trigger() {} };

export class DataTree {
  readonly nodes: Map<string, Znode> = new Map();
  readonly acls: ACLCache = new ACLCache();
  /** Session id → paths of its ephemerals. */
  readonly ephemerals: Map<bigint, Set<string>> = new Map();
  readonly containers: Set<string> = new Set();
  readonly ttls: Set<string> = new Set();
  /** Paths that carry a quota (have a zookeeper_limits node). */
  readonly quotaPaths: Set<string> = new Set();
  lastProcessedZxid = 0;
  sink: TreeSink = noSink;
  /** Running total behind approximateDataSize(). */
  dataSize = 0;
  /**
   * The data-tree digest (Apache's NodeHashMapImpl): every change to a counted znode takes its old
   * digest out and puts its new one in, so the sum is always that of the tree as it stands.
   */
  readonly digest: TreeDigest = new TreeDigest();

  constructor() {
    // Apache's initial tree: /, /zookeeper, /zookeeper/quota, /zookeeper/config (read-only ACL).
    const root = this.blank();
    this.nodes.set("/", root);
    this.addInitial("/zookeeper", ACLCache.OPEN);
    this.addInitial(QUOTA_ROOT, ACLCache.OPEN);
    const readOnly = this.acls.intern([{ perms: 1, id: { scheme: "world", id: "anyone" } }]);
    this.addInitial("/zookeeper/config", readOnly);
    // Apache creates the config node with aclVersion -1 (SnapshotFormatter shows it so).
    this.nodes.get("/zookeeper/config")!.aversion = -1;
    for (const [path, node] of this.nodes) {
      this.dataSize += path.length + node.dataLength;
      this.count(path, node);
    }
  }

  /** Adds a znode's digest to the tree's, and notes it on the node. */
  private count(path: string, node: Znode, data: StoredData | Uint8Array = node.raw): void {
    if (!isCounted(path)) return;
    const d = znodeDigest(path, node, data);
    node.digestCache = d | 0;
    this.digest.add(d);
  }

  /** Takes a znode's digest, as last counted, out of the tree's before it changes or goes. */
  private uncount(path: string, node: Znode): void {
    if (isCounted(path)) this.digest.remove(node.digestCache >>> 0);
  }

  /** Empties the tree (nodes, sizes, digest) for a TreeBuilder to fill with restoreNode. */
  clearNodes(): void {
    this.nodes.clear();
    this.dataSize = 0;
    this.digest.clear();
  }

  /**
   * Changes fields of an existing znode outside a txn (replay over a fuzzy snapshot moves a
   * parent's cversion and pzxid), keeping the digest. Does nothing if there is no such node.
   */
  change(path: string, edit: (node: Znode) => void): void {
    const node = this.nodes.get(path);
    if (!node) return;
    this.uncount(path, node);
    edit(node);
    this.count(path, node);
  }

  private blank(acl = ACLCache.OPEN): Znode {
    // Apache's built-in nodes hold an empty array, not null.
    return new Znode(new Uint8Array(0), acl, 0, 0, 0, 0, 0, 0, 0, 0n, 0);
  }

  private addInitial(path: string, acl: number): void {
    this.nodes.set(path, this.blank(acl));
    this.nodes.get(parentOf(path))!.addChild(nameOf(path));
  }

  /** Number of znodes as Apache counts them (its map holds the root under "" and "/"). */
  get nodeCount(): number {
    return this.nodes.size + 1;
  }

  get(path: string): Znode | undefined {
    return this.nodes.get(path);
  }

  aclOf(node: Znode): ACL[] {
    return this.acls.get(node.acl);
  }

  /**
   * Approximate bytes of paths and data (mntr's zk_approximate_data_size), kept as a running total
   * as Apache does: quota bookkeeping rewriting a zookeeper_stats node does not move it.
   */
  approximateDataSize(): number {
    return this.dataSize;
  }

  /**
   * Ends a restore (TreeBuilder.finish): every quota's count and bytes recomputed from the nodes,
   * as Apache's DataTree.deserialize (setupQuota) does, since a fuzzy snapshot's stats nodes may
   * not match its nodes; the tree is then as of `zxid`.
   */
  restored(zxid: number): void {
    for (const target of this.quotaPaths) this.recountQuota(target);
    this.lastProcessedZxid = zxid;
  }

  /**
   * Puts a node read from a snapshot in place, with its ownership and quota bookkeeping (for
   * TreeBuilder: everything else changes the tree through apply).
   */
  restoreNode(path: string, node: Znode): void {
    this.nodes.set(path, node);
    this.dataSize += path.length + node.dataLength;
    this.count(path, node);
    this.acls.addRef(node.acl);
    const owner = node.ephemeralOwner;
    if (owner === CONTAINER_OWNER) this.containers.add(path);
    else if (isTTLOwner(owner)) this.ttls.add(path);
    else if (owner !== 0n) {
      let set = this.ephemerals.get(owner);
      if (!set) this.ephemerals.set(owner, set = new Set());
      set.add(path);
    }
    if (path.startsWith(QUOTA_ROOT + "/") && nameOf(path) === LIMITS_NODE) {
      this.quotaPaths.add(quotaTarget(parentOf(path)));
    }
  }

  /**
   * Applies a committed txn; never throws for a txn that prep produced. The only way a txn changes
   * the tree, live or replayed from the log.
   */
  apply(hdr: TxnHeader, txn: Txn): TxnResult {
    const r = this.applyOne(hdr, txn);
    this.catchUpParent(hdr.zxid, txn, r);
    if (hdr.zxid > this.lastProcessedZxid) this.lastProcessedZxid = hdr.zxid;
    return r;
  }

  /**
   * Replaying over a fuzzy snapshot: the snapshot may hold a node whose parent was serialised
   * before the node's create, or lack a node whose parent was serialised before its delete. The
   * create or delete then fails (NODEEXISTS, NONODE), yet the parent's cversion and pzxid must
   * still move on. Apache does the same in DataTree.processTxn, live or not: it adjusts the parent
   * of a NODEEXISTS create (for OpCode.create; here for every kind of create) and deleteNode moves
   * the parent's pzxid before it looks for the child (ZOOKEEPER-3145), which also covers
   * closeSession's paths. A txn prep produced never fails so, and this changes nothing.
   */
  private catchUpParent(zxid: number, txn: Txn, result: TxnResult): void {
    switch (txn.type) {
      case OpCode.multi:
        for (let i = 0; i < txn.txns.length; i++) {
          const r = result.results?.[i];
          if (r) this.catchUpParent(zxid, txn.txns[i], r);
        }
        return;
      case OpCode.delete:
      case OpCode.deleteContainer:
        if (result.err === Err.NONODE) this.movePzxid(txn.path, zxid);
        return;
      case OpCode.closeSession:
        for (const p of txn.paths2Delete) this.movePzxid(p, zxid);
        return;
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        if (result.err !== Err.NODEEXISTS) return;
        this.change(parentOf(txn.path), (parent) => {
          const cversion = txn.parentCVersion === -1 ? parent.cversion + 1 : txn.parentCVersion;
          if (cversion > parent.cversion) {
            parent.cversion = cversion;
            parent.pzxid = zxid;
          }
        });
      }
    }
  }

  private movePzxid(path: string, zxid: number): void {
    const parent = this.nodes.get(parentOf(path));
    // Most often already there (the delete itself moved it): leave the digest alone then.
    if (parent === undefined || zxid <= parent.pzxid) return;
    this.change(parentOf(path), (p) => void (p.pzxid = zxid));
  }

  private applyOne(hdr: TxnHeader, txn: Txn): TxnResult {
    switch (txn.type) {
      case OpCode.create:
      case OpCode.create2:
        return this.createNode(
          hdr,
          txn.type,
          txn.path,
          txn.data,
          txn.acl,
          txn.ephemeral ? hdr.clientId : 0n,
          txn.parentCVersion,
        );
      case OpCode.createContainer:
        return this.createNode(
          hdr,
          txn.type,
          txn.path,
          txn.data,
          txn.acl,
          CONTAINER_OWNER,
          txn.parentCVersion,
        );
      case OpCode.createTTL:
        return this.createNode(
          hdr,
          txn.type,
          txn.path,
          txn.data,
          txn.acl,
          ttlOwner(txn.ttl),
          txn.parentCVersion,
        );
      case OpCode.delete:
      case OpCode.deleteContainer:
        return this.deleteNode(txn.type, txn.path, hdr.zxid);
      case OpCode.setData:
        return this.setData(txn.path, txn.data, txn.version, hdr.zxid, hdr.time);
      case OpCode.setACL: {
        const node = this.nodes.get(txn.path);
        if (!node) return { type: txn.type, err: Err.NONODE, path: txn.path };
        this.acls.release(node.acl);
        node.acl = this.acls.intern(txn.acl);
        this.uncount(txn.path, node);
        node.aversion = txn.version;
        this.count(txn.path, node);
        return { type: txn.type, err: Err.OK, path: txn.path, stat: node.stat() };
      }
      case OpCode.check: {
        const node = this.nodes.get(txn.path);
        return { type: txn.type, err: node ? Err.OK : Err.NONODE, path: txn.path };
      }
      case OpCode.createSession:
        return { type: txn.type, err: Err.OK };
      case OpCode.closeSession:
        this.killSession(hdr.clientId, hdr.zxid, txn.paths2Delete);
        return { type: txn.type, err: Err.OK };
      case OpCode.error:
        return { type: txn.type, err: txn.err };
      case OpCode.multi:
        return this.applyMulti(hdr, txn.txns);
    }
  }

  private applyMulti(hdr: TxnHeader, txns: Txn[]): TxnResult {
    // A failed multi is logged as error sub-txns; ops before the failure answer OK, after it
    // RUNTIMEINCONSISTENCY, as Apache's DataTree does.
    const failedAt = txns.findIndex((t) =>
      t.type === OpCode.error && t.err !== Err.OK &&
      t.err !== Err.RUNTIMEINCONSISTENCY
    );
    const results: TxnResult[] = [];
    if (failedAt >= 0) {
      for (let i = 0; i < txns.length; i++) {
        const t = txns[i];
        const err = i < failedAt
          ? Err.OK
          : i === failedAt && t.type === OpCode.error
          ? t.err
          : Err.RUNTIMEINCONSISTENCY;
        results.push({ type: OpCode.error, err });
      }
      return { type: OpCode.multi, err: Err.OK, results };
    }
    for (const t of txns) results.push(this.applyOne(hdr, t));
    return { type: OpCode.multi, err: Err.OK, results };
  }

  private createNode(
    hdr: TxnHeader,
    type: number,
    path: string,
    data: Uint8Array,
    acl: ACL[],
    owner: bigint,
    parentCVersion: number,
  ): TxnResult {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) return { type, err: Err.NONODE, path };
    if (this.nodes.has(path)) return { type, err: Err.NODEEXISTS, path };
    if (parentCVersion === -1) parentCVersion = parent.cversion + 1;
    // Replaying a txn log over a fuzzy snapshot can see an older cversion; never move it back.
    if (parentCVersion > parent.cversion) {
      this.uncount(parentPath, parent);
      parent.cversion = parentCVersion;
      parent.pzxid = hdr.zxid;
      this.count(parentPath, parent);
    }
    const node = new Znode(
      data,
      this.acls.intern(acl),
      hdr.zxid,
      hdr.zxid,
      hdr.time,
      hdr.time,
      0,
      0,
      0,
      owner,
      hdr.zxid,
    );
    const name = nameOf(path);
    parent.addChild(name);
    this.nodes.set(path, node);
    this.dataSize += path.length + data.length;
    this.count(path, node, data);
    if (owner === CONTAINER_OWNER) this.containers.add(path);
    else if (isTTLOwner(owner)) this.ttls.add(path);
    else if (owner !== 0n) {
      let set = this.ephemerals.get(owner);
      if (!set) this.ephemerals.set(owner, set = new Set());
      set.add(path);
    }
    if (parentPath.startsWith(QUOTA_ROOT)) {
      if (name === LIMITS_NODE) this.quotaPaths.add(quotaTarget(parentPath));
      if (name === STATS_NODE) this.recountQuota(quotaTarget(parentPath));
    }
    if (this.quotaPaths.size > 0) {
      const q = this.quotaPrefix(path);
      if (q !== null) this.updateQuota(q, 1, data.length);
    }
    this.sink.written?.(path, data.length);
    this.sink.trigger(path, EventType.NodeCreated);
    this.sink.trigger(parentPath, EventType.NodeChildrenChanged);
    return { type, err: Err.OK, path, stat: node.stat() };
  }

  private deleteNode(type: number, path: string, zxid: number): TxnResult {
    const node = this.nodes.get(path);
    if (!node) return { type, err: Err.NONODE, path };
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath)!;
    this.nodes.delete(path);
    this.dataSize -= path.length + node.dataLength;
    this.uncount(path, node);
    this.acls.release(node.acl);
    parent.removeChild(nameOf(path));
    if (zxid > parent.pzxid) {
      this.uncount(parentPath, parent);
      parent.pzxid = zxid;
      this.count(parentPath, parent);
    }
    const owner = node.ephemeralOwner;
    if (owner === CONTAINER_OWNER) this.containers.delete(path);
    else if (isTTLOwner(owner)) this.ttls.delete(path);
    else if (owner !== 0n) {
      const set = this.ephemerals.get(owner);
      if (set) {
        set.delete(path);
        if (set.size === 0) this.ephemerals.delete(owner);
      }
    }
    if (parentPath.startsWith(QUOTA_ROOT) && nameOf(path) === LIMITS_NODE) {
      this.quotaPaths.delete(quotaTarget(parentPath));
    }
    if (this.quotaPaths.size > 0) {
      const q = this.quotaPrefix(path);
      if (q !== null) this.updateQuota(q, -1, -node.dataLength);
    }
    this.sink.written?.(path, 0);
    this.sink.trigger(path, EventType.NodeDeleted);
    this.sink.trigger(parentPath, EventType.NodeChildrenChanged);
    return { type, err: Err.OK, path };
  }

  private setData(
    path: string,
    data: Uint8Array,
    version: number,
    zxid: number,
    time: number,
  ): TxnResult {
    const node = this.nodes.get(path);
    if (!node) return { type: OpCode.setData, err: Err.NONODE, path };
    const diff = data.length - node.dataLength;
    this.dataSize += diff;
    this.uncount(path, node);
    node.data = data;
    node.version = version;
    node.mzxid = zxid;
    node.mtime = time;
    this.count(path, node, data);
    if (this.quotaPaths.size > 0) {
      const q = this.quotaPrefix(path);
      if (q !== null) this.updateQuota(q, 0, diff);
    }
    this.sink.written?.(path, data.length);
    this.sink.trigger(path, EventType.NodeDataChanged);
    return { type: OpCode.setData, err: Err.OK, path, stat: node.stat() };
  }

  private killSession(session: bigint, zxid: number, paths: string[]): void {
    const owned = this.ephemerals.get(session);
    // Most sessions own no ephemerals: nothing to collect, sort or delete.
    if (owned === undefined && paths.length === 0) return;
    const all = new Set(paths);
    if (owned) { for (const p of owned) all.add(p); }
    // Children before parents is not needed (ephemerals have none), but order paths for determinism.
    for (const p of [...all].sort()) {
      const n = this.nodes.get(p);
      if (n && n.ephemeralOwner === session) this.deleteNode(OpCode.delete, p, zxid);
    }
    this.ephemerals.delete(session);
  }

  /** The deepest quota'd path that is `path` or one of its ancestors (Apache's PathTrie lookup). */
  quotaPrefix(path: string): string | null {
    if (path.startsWith(QUOTA_ROOT + "/") || path === QUOTA_ROOT) return null;
    let p = path;
    for (;;) {
      if (this.quotaPaths.has(p)) return p;
      if (p === "/") return null;
      p = parentOf(p);
    }
  }

  private updateQuota(target: string, countDiff: number, bytesDiff: number): void {
    const statsNode = this.nodes.get(statsPath(target));
    const limitsNode = this.nodes.get(`${QUOTA_ROOT}${target}/${LIMITS_NODE}`);
    if (!statsNode || !limitsNode) return;
    // Stats and limits nodes live under /zookeeper/: out of the digest, so no count/uncount.
    const stats = parseStatsTrack(decoder.decode(statsNode.data));
    stats.count += countDiff;
    stats.bytes += bytesDiff;
    statsNode.data = encoder.encode(formatStats(stats.count, stats.bytes));
    const limits = parseStatsTrack(decoder.decode(limitsNode.data));
    const sink = this.sink.quotaExceeded;
    if (!sink) return;
    // Apache 3.7 (the seed) checks count on creates and deletes, bytes on every change.
    if (countDiff !== 0 && limits.count > -1 && stats.count > limits.count) {
      sink.call(this.sink, {
        path: target,
        kind: "count",
        current: stats.count,
        limit: limits.count,
      });
    }
    if (limits.bytes > -1 && stats.bytes > limits.bytes) {
      sink.call(this.sink, {
        path: target,
        kind: "bytes",
        current: stats.bytes,
        limit: limits.bytes,
      });
    }
  }

  /** Recomputes a quota'd subtree's count and bytes into its stats node (updateQuotaForPath). */
  private recountQuota(target: string): void {
    const statsNode = this.nodes.get(statsPath(target));
    if (!statsNode) return;
    let count = 0;
    let bytes = 0;
    const walk = (p: string) => {
      const n = this.nodes.get(p);
      if (!n) return;
      count++;
      bytes += n.dataLength;
      if (n.children) { for (const c of n.children) walk(childPath(p, c)); }
    };
    walk(target);
    statsNode.data = encoder.encode(formatStats(count, bytes));
  }

  /** Quota usage of a quota'd path (for mntr). */
  quotaUsage(
    target: string,
  ): { count: number; bytes: number; limits: ReturnType<typeof parseStatsTrack> } | null {
    const s = this.nodes.get(statsPath(target));
    const l = this.nodes.get(`${QUOTA_ROOT}${target}/${LIMITS_NODE}`);
    if (!s || !l) return null;
    const st = parseStatsTrack(decoder.decode(s.data));
    return { count: st.count, bytes: st.bytes, limits: parseStatsTrack(decoder.decode(l.data)) };
  }

  /** Number of nodes below `path`, excluding itself (getAllChildrenNumber). */
  countDescendants(path: string): number {
    const node = this.nodes.get(path);
    if (!node || !node.children) return 0;
    let n = 0;
    for (const c of node.children) n += 1 + this.countDescendants(childPath(path, c));
    return n;
  }

  /** Session ephemerals, for dump, getEphemerals and closeSession. */
  ephemeralsOf(session: bigint): string[] {
    return [...(this.ephemerals.get(session) ?? [])];
  }

  /** Total ephemerals (mntr zk_ephemerals_count). */
  ephemeralCount(): number {
    let n = 0;
    for (const s of this.ephemerals.values()) n += s.size;
    return n;
  }

  /** True when the node is a session ephemeral (may not have children). */
  static isEphemeral(node: Znode): boolean {
    return isSessionOwner(node.ephemeralOwner);
  }
}
