/**
 * The learner's shell (Apache's Learner/Observer/Follower threads): it recovers the data tree from
 * dataDir as a restarting server does, connects to the leader's quorum port, feeds what arrives
 * to the pure machine in learner.ts and carries out its effects one after another — epoch files,
 * the txn log with its fsyncs, snapshots, TRUNC, the tree — so that what it sends the leader is
 * never ahead of what is on disk.
 *
 * @module
 */
import { Logger } from "../../internal/log.ts";
import { JuteWriter } from "../jute/writer.ts";
import { OpCode } from "../jute/opcodes.ts";
import { readEpoch, writeEpoch } from "../persist/epoch.ts";
import { versionDir } from "../persist/files.ts";
import { recover } from "../persist/recovery.ts";
import { DigestCheck } from "../persist/digest_check.ts";
import { writeSnapshot } from "../persist/snapshot.ts";
import { TxnLogWriter } from "../persist/txn_log.ts";
import type { DataTree, TxnResult } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { LeaderStreamDecoder } from "./leader_stream.ts";
import {
  groupLogs,
  initialLearner,
  type LearnerEffect,
  type LearnerInput,
  type LearnerRole,
  type LearnerState,
  stepLearner,
  type SyncMode,
} from "./learner.ts";
import { truncateLog } from "./log_truncate.ts";
import {
  decodeLeaderPacket,
  encodeLearnerMessage,
  type LearnerMessage,
  type SessionTouch,
} from "./quorum_message.ts";
import { epochOf, hexZxid, packetTypeName, writeQuorumPacket } from "./quorum_packet.ts";

/** Where and how a {@link LearnerPeer} runs. */
export interface LearnerPeerOptions {
  role: LearnerRole;
  sid: number;
  dataDir: string;
  /** Defaults to dataDir. */
  dataLogDir?: string;
  /** The leader's quorum address (host and quorum port of its server.N line). */
  leader: { host: string; port: number };
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  /**
   * zoo.cfg's snapCount (100000): in broadcast, a snapshot and a log roll after about
   * snapCount/2 + random(snapCount/2) txns logged, as Apache's SyncRequestProcessor takes them.
   */
  snapCount?: number;
  logger?: Logger;
  /** Told when UPTODATE arrives: the learner serves from here on. */
  onSynced?: (s: { epoch: number; mode: SyncMode; zxid: number }) => void;
  /** Told after each txn is applied in broadcast or at the end of sync. */
  onApplied?: (zxid: number) => void;
  /** Told after each txn is applied, with the tree's result (a serving learner answers from it). */
  onCommitted?: (entry: TxnEntry, result: TxnResult) => void;
  /** The sessions clients touched since the last PING reply (none when not serving clients). */
  touches?: () => SessionTouch[];
  /** The leader's answer to a REVALIDATE. */
  onRevalidated?: (sessionId: bigint, valid: boolean) => void;
  /** The leader's SYNC: the oldest forwarded sync is done. */
  onSyncDone?: () => void;
  /** Given every chunk read from the leader, as read (captures for tests and debugging). */
  onBytes?: (chunk: Uint8Array) => void;
}

/** What a learner did, for logs and tests. */
export interface LearnerStats {
  syncMode: SyncMode | null;
  snapshotBytes: number;
  txnsApplied: number;
  /** Applied txns that carried the leader's tree digest, each compared with herd's tree. */
  digestsCompared: number;
  /** Txns appended to the log, and the fsyncs that made them durable. */
  txnsLogged: number;
  logFsyncs: number;
  syncedAt: number | null;
}

/**
 * One connection's worth of learning: recover, connect, sync, follow until the leader goes or
 * {@link LearnerPeer.stop} is called. A new election means a new LearnerPeer on the same dirs.
 *
 * @example
 * ```ts ignore
 * const peer = new LearnerPeer({ role: "observer", sid: 4, dataDir: "/var/lib/herd",
 *   leader: { host: "127.0.0.1", port: 2888 }, tickTime: 2000, initLimit: 10, syncLimit: 5 });
 * const done = peer.run(); // resolves with the reason the learner stopped
 * ```
 */
export class LearnerPeer {
  tree!: DataTree;
  readonly sessions = new Map<bigint, number>();
  readonly stats: LearnerStats = {
    syncMode: null,
    snapshotBytes: 0,
    txnsApplied: 0,
    digestsCompared: 0,
    txnsLogged: 0,
    logFsyncs: 0,
    syncedAt: null,
  };
  /**
   * The leader's TxnDigest after each txn against herd's tree, as Apache's DataTree compares
   * them: a mismatch means herd's tree differs from the leader's and is logged, not fatal (§3.2).
   */
  readonly digests: DigestCheck;
  private state!: LearnerState;
  private conn: Deno.TcpConn | null = null;
  private log!: TxnLogWriter;
  private readonly logger: Logger;
  private readonly where: string;
  private stopping = false;
  private readonly out = new JuteWriter(4096);
  /** Txns logged since the last snapshot, and how many to log before the next one. */
  private sinceSnapshot = 0;
  private snapAfter = 0;
  /** Writes in the order they were asked for, one at a time (forward() runs beside the loop). */
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly opts: LearnerPeerOptions) {
    this.logger = opts.logger ?? new Logger(String(opts.sid));
    this.where = `QuorumPeer[myid=${opts.sid}]`;
    const logger = this.logger;
    const where = `${this.where}:DataTree`;
    this.digests = new DigestCheck({
      info: (w, m) => logger.info(w, m),
      warn: (w, m) => logger.warn(w, m),
      error: (w, m) => logger.error(w, m),
      rateLimited: (m, v) => logger.warn(where, `Message:${m} Value:${v}`),
      flushRateLimited: () => {},
    });
  }

  private get dataLogDir(): string {
    return this.opts.dataLogDir ?? this.opts.dataDir;
  }

  /** The machine's state (read-only view for tests and status). */
  get learner(): LearnerState {
    return this.state;
  }

  /** Recovers, connects and runs until the connection ends; resolves with why it ended. */
  async run(): Promise<string> {
    await this.load();
    try {
      this.conn = await this.connect();
    } catch (e) {
      return `cannot connect to the leader: ${(e as Error).message}`;
    }
    this.conn.setNoDelay(true);
    try {
      await this.feed({ kind: "connected" });
      await this.readLoop(this.conn);
    } catch (e) {
      if (!this.stopping) {
        this.logger.warn(
          `${this.where}:Learner`,
          `Exception when ${this.verb()}: ${(e as Error).message}`,
        );
        this.state = { ...this.state, phase: "stopped", stopReason: (e as Error).message };
      }
    } finally {
      this.close();
    }
    return this.state.stopReason ?? "stopped";
  }

  private verb(): string {
    return this.opts.role === "observer" ? "observing the leader" : "following the leader";
  }

  /** Ends the connection; run() then resolves. */
  stop(): void {
    this.stopping = true;
    this.state = {
      ...this.state,
      phase: "stopped",
      stopReason: this.state?.stopReason ?? "stopped",
    };
    this.close();
  }

  private close(): void {
    try {
      this.conn?.close();
    } catch { /* already closed */ }
    this.conn = null;
    this.log?.close();
  }

  /** What a restarting server has: the tree from snapshot and log, and the epoch files. */
  private async load(): Promise<void> {
    await this.recoverTree();
    const dir = versionDir(this.opts.dataDir);
    const lastZxid = this.tree.lastProcessedZxid;
    // A missing epoch file is created from the last zxid, as QuorumPeer.loadDataBase does (§5.2).
    const current = await readEpoch(dir, "currentEpoch") ?? epochOf(lastZxid);
    const accepted = await readEpoch(dir, "acceptedEpoch") ?? current;
    this.state = initialLearner({
      role: this.opts.role,
      sid: this.opts.sid,
      acceptedEpoch: accepted,
      currentEpoch: current,
      lastZxid,
    });
  }

  /** The tree and sessions from the newest snapshot and the logs after it. */
  private async recoverTree(): Promise<void> {
    const r = await recover(this.opts.dataDir, this.dataLogDir);
    for (const n of r.notes) this.logger.warn(`${this.where}:FileTxnSnapLog`, n);
    this.tree = r.tree;
    this.sessions.clear();
    for (const [id, t] of r.sessions) this.sessions.set(id, t);
    this.log = new TxnLogWriter(versionDir(this.dataLogDir), 64 * 1024 * 1024, true);
  }

  /** Five attempts 100 ms apart, as Learner.connectToLeader makes (§1.6). */
  private async connect(): Promise<Deno.TcpConn> {
    const { host, port } = this.opts.leader;
    let last: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.stopping) break;
      try {
        return await Deno.connect({ hostname: host, port });
      } catch (e) {
        last = e;
        this.logger.warn(
          `${this.where}:Learner`,
          `Unexpected exception, tries=${attempt}, remaining init limit=?, connecting to ${host}:${port}`,
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw last ?? new Error("stopped");
  }

  /** Reads until EOF, a read timeout (initLimit, then syncLimit ticks after NEWLEADER) or a stop. */
  private async readLoop(conn: Deno.TcpConn): Promise<void> {
    const decoder = new LeaderStreamDecoder();
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      if (this.stopped()) return;
      const limit = this.state.phase === "newLeaderAcked" || this.state.phase === "broadcast"
        ? this.opts.syncLimit
        : this.opts.initLimit;
      const n = await this.readWithTimeout(conn, buf, limit * this.opts.tickTime);
      if (n === null) {
        await this.feed({ kind: "disconnected", reason: "the leader closed the connection" });
        return;
      }
      this.opts.onBytes?.(buf.slice(0, n));
      // Every packet this read completed is stepped first and their effects run together, so a
      // burst of txns is appended with one fsync (groupLogs).
      const effects: LearnerEffect[] = [];
      for (const ev of decoder.push(buf.subarray(0, n))) {
        if (ev.kind === "snap") this.stats.snapshotBytes = ev.bytes;
        const input: LearnerInput = ev.kind === "snap"
          ? { kind: "snap", zxid: ev.zxid, snapshot: ev.snapshot }
          : { kind: "message", message: decodeLeaderPacket(ev.packet) };
        const step = stepLearner(this.state, input);
        this.state = step.state;
        effects.push(...step.effects);
      }
      for (const e of groupLogs(effects)) await this.effect(e);
    }
  }

  /** Read through a method: feed() changes the state under the loop's feet. */
  private stopped(): boolean {
    return this.state.phase === "stopped";
  }

  private async readWithTimeout(conn: Deno.TcpConn, buf: Uint8Array, ms: number) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), ms));
    try {
      const n = await Promise.race([conn.read(buf), timeout]);
      if (n === "timeout") throw new Error(`Read timed out after ${ms} ms`);
      return n;
    } finally {
      clearTimeout(timer);
    }
  }

  private async feed(input: LearnerInput): Promise<void> {
    const { state, effects } = stepLearner(this.state, input);
    this.state = state;
    for (const e of effects) await this.effect(e);
  }

  private async effect(e: LearnerEffect): Promise<void> {
    const where = `${this.where}:Learner`;
    switch (e.kind) {
      case "send":
        return await this.send(e.message);
      case "writeEpoch":
        return await writeEpoch(versionDir(this.opts.dataDir), e.name, e.epoch);
      case "loadSnapshot":
        this.tree = e.snapshot.tree;
        this.sessions.clear();
        for (const s of e.snapshot.sessions) this.sessions.set(s.id, s.timeout);
        this.stats.syncMode = "snap";
        return;
      case "truncateLog":
        this.log.close();
        await truncateLog(this.opts.dataDir, this.dataLogDir, e.zxid);
        await this.recoverTree(); // the tree up to the zxid
        this.stats.syncMode = "trunc";
        return;
      case "takeSnapshot": {
        this.sinceSnapshot = 0;
        const sessions = [...this.sessions].map(([id, timeout]) => ({ id, timeout }));
        const dir = versionDir(this.opts.dataDir);
        const path = await writeSnapshot(dir, this.tree, sessions, Number.MAX_SAFE_INTEGER, true);
        this.log.roll();
        this.logger.info(
          `${where}`,
          `Snapshotting: ${hexZxid(this.tree.lastProcessedZxid)} to ${path}`,
        );
        return;
      }
      case "log":
        this.stats.txnsLogged += e.entries.length;
        this.stats.logFsyncs++;
        await this.log.append(e.entries);
        return await this.maybeSnapshot(e.entries.length);
      case "apply":
        return this.apply(e.entry);
      case "replyPing":
        // Never a null buffer (§8): an empty list when no client touched a session.
        return await this.send({
          kind: "pingReply",
          zxid: e.zxid,
          touches: this.opts.touches?.() ?? [],
          authinfo: e.authinfo,
        });
      case "synced":
        this.stats.syncMode ??= e.mode;
        this.stats.syncedAt = Date.now();
        this.logger.info(
          `${this.where}:QuorumPeer`,
          `Peer state changed: ${
            this.opts.role === "observer" ? "observing" : "following"
          } - broadcast`,
        );
        this.opts.onSynced?.({ epoch: e.epoch, mode: e.mode, zxid: this.tree.lastProcessedZxid });
        return;
      case "revalidated":
        return this.opts.onRevalidated?.(e.sessionId, e.valid);
      case "syncDone":
        return this.opts.onSyncDone?.();
      case "warn":
        return this.logger.warn(where, e.text);
      case "info":
        return this.logger.info(where, e.text);
      case "fail":
        this.logger.error(where, e.reason);
        this.close();
        return;
    }
  }

  /**
   * In broadcast, a snapshot every so many txns keeps restarts short and lets old logs be purged.
   * It is fuzzy as Apache's are: a follower's logged, uncommitted proposals stay in the log that
   * recovery replays after it.
   */
  private async maybeSnapshot(logged: number): Promise<void> {
    if (this.state.phase !== "broadcast") return;
    const snapCount = this.opts.snapCount ?? 100000;
    if (this.snapAfter === 0) {
      this.snapAfter = snapCount / 2 + Math.floor(Math.random() * (snapCount / 2));
    }
    this.sinceSnapshot += logged;
    if (this.sinceSnapshot < this.snapAfter) return;
    this.snapAfter = 0;
    await this.effect({ kind: "takeSnapshot" });
  }

  /** Applies a committed txn as recovery replays one, fuzzy-snapshot fix-ups included. */
  private apply(e: TxnEntry): void {
    const { hdr, txn } = e;
    if (txn.type === OpCode.createSession) this.sessions.set(hdr.clientId, txn.timeOut);
    else if (hdr.type === OpCode.closeSession) this.sessions.delete(hdr.clientId);
    // DataTree.apply catches a fuzzy snapshot's parents up itself, as Apache's processTxn does.
    const result = this.tree.apply(hdr, txn);
    this.digests.replayed(e, this.tree);
    if (e.digest !== undefined) this.stats.digestsCompared++;
    this.stats.txnsApplied++;
    this.opts.onApplied?.(hdr.zxid);
    this.opts.onCommitted?.(e, result);
  }

  /**
   * Sends a client's REQUEST or a REVALIDATE to the leader (a serving learner's forwarding);
   * dropped when the connection is gone, as the client is then closed too.
   */
  forward(m: LearnerMessage & { kind: "request" | "revalidate" }): void {
    this.send(m).catch(() => {/* the read loop sees the broken connection */});
  }

  private send(m: LearnerMessage): Promise<void> {
    const conn = this.conn;
    if (conn === null) return Promise.resolve();
    const w = this.out;
    w.reset();
    const p = encodeLearnerMessage(m);
    writeQuorumPacket(w, p);
    const bytes = w.buf.slice(0, w.pos);
    const write = async () => {
      let off = 0;
      while (off < bytes.length) off += await conn.write(bytes.subarray(off));
    };
    const done = this.writing.then(write);
    this.writing = done.catch(() => {});
    return done.then(() => this.sent(p.type, p.zxid, m.kind));
  }

  private sent(type: number, zxid: number, kind: LearnerMessage["kind"]): void {
    if (kind === "pingReply" || this.logger.level !== "DEBUG") return;
    this.logger.log(
      "DEBUG",
      `${this.where}:Learner`,
      `sent ${packetTypeName(type)} ${hexZxid(zxid)}`,
    );
  }
}
