/**
 * Test support: records a history of znode operations (linearizability.ts's {@link HistoryOp})
 * from several concurrent clients of herd's TypeScript ZooKeeper client, timed on one monotonic
 * clock. An op that ends in an error other than the model's (NoNode, NodeExists, BadVersion) —
 * connection loss, session expiry, our own timeout — is recorded with no return: it may or may
 * not have happened. A read that fails that way is left out (it changed nothing and saw nothing).
 *
 * Reads: a ZooKeeper follower answers reads from its own copy, which may trail the leader, so
 * plain reads are only sequentially consistent per client, not linearizable; Apache's documented
 * remedy is sync() then read. {@link HistoryRecorder.read} therefore does sync then getData and
 * records the two as one read whose interval runs from the sync's call to the read's return:
 * the read must reflect every write completed before the sync was called, which is what the
 * checker then holds it to.
 *
 * @module
 */
import { Err, type ZkClient, ZkError } from "../client/mod.ts";
import type { HistoryOp, ZnodeOp, ZnodeResult } from "./linearizability.ts";

/** Counts of what was recorded, for a test's summary. */
export interface HistoryCounts {
  ok: number;
  /** Answered with a model error (NoNode, NodeExists, BadVersion). */
  refused: number;
  /** Writes with an unknown outcome. */
  unknown: number;
  /** Reads that failed and were left out. */
  droppedReads: number;
}

/** A history under construction. */
export class HistoryRecorder {
  readonly ops: HistoryOp[] = [];
  readonly counts: HistoryCounts = { ok: 0, refused: 0, unknown: 0, droppedReads: 0 };
  readonly #t0 = performance.now();

  /** @param timeoutMs how long an op may take before it is recorded as unknown. */
  constructor(readonly timeoutMs = 10_000) {}

  /** Milliseconds since the recorder was made. */
  now(): number {
    return performance.now() - this.#t0;
  }

  /** Runs `op` as `client` on `zk` (a read as sync + getData) and records it. */
  async run(client: number, zk: ZkClient, op: ZnodeOp): Promise<HistoryOp> {
    const call = this.now();
    let result: ZnodeResult | undefined;
    try {
      result = await this.#withTimeout(this.#issue(zk, op));
    } catch (e) {
      result = modelError(e);
    }
    const h: HistoryOp = result === undefined
      ? { client, call, op }
      : { client, call, ret: this.now(), op, result };
    if (result === undefined && op.kind === "get") {
      this.counts.droppedReads++;
      return h;
    }
    if (result === undefined) this.counts.unknown++;
    else if ("error" in result) this.counts.refused++;
    else this.counts.ok++;
    this.ops.push(h);
    return h;
  }

  async #issue(zk: ZkClient, op: ZnodeOp): Promise<ZnodeResult> {
    switch (op.kind) {
      case "get": {
        await zk.sync(op.path);
        const { data, stat } = await zk.getData(op.path);
        return { value: new TextDecoder().decode(data ?? new Uint8Array()), version: stat.version };
      }
      case "set": {
        const stat = await zk.setData(op.path, op.value, op.version ?? -1);
        return { ok: true, version: stat.version };
      }
      case "create":
        await zk.create(op.path, op.value);
        return { ok: true, version: 0 };
      case "delete":
        await zk.delete(op.path, op.version ?? -1);
        return { ok: true };
    }
  }

  #withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), this.timeoutMs);
    });
    p.catch(() => {}); // a late failure after the timeout is no one's business
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  }
}

/** The model's error for `e`, or undefined when the outcome is unknown. */
function modelError(e: unknown): ZnodeResult | undefined {
  if (!(e instanceof ZkError)) return undefined;
  if (e.code === Err.NONODE) return { error: "NoNode" };
  if (e.code === Err.NODEEXISTS) return { error: "NodeExists" };
  if (e.code === Err.BADVERSION) return { error: "BadVersion" };
  return undefined;
}
