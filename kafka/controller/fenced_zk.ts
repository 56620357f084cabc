/**
 * The controller's writes, fenced as Kafka 2.8 fences them (zk-layout.md §2 `F[op]`, §6.2 pitfall
 * 3): every write is `multi[check /controller_epoch version=epochZkVersion, op]`, so a controller
 * that lost its election (someone else bumped the epoch) fails its next write instead of
 * overwriting the new controller's state. A BADVERSION on the check, result[0], is how Kafka tells
 * that apart from the op's own failure.
 *
 * @module
 */
import { type Op, type ZkClient, ZkError, ZkMultiError } from "../../zk/client/mod.ts";
import type { OpResult } from "../../zk/client/mod.ts";

const BADVERSION = -103;
const NONODE = -101;
const NODEEXISTS = -110;
const encoder = new TextEncoder();

/** Another broker is controller now (the epoch moved): this one must resign. */
export class ControllerMovedError extends Error {
  override name = "ControllerMovedError";
}

/** True when `e` is a ZooKeeper error with this code. */
export function isZkCode(e: unknown, code: number): boolean {
  return e instanceof ZkError && e.code === code;
}

/** The ZooKeeper codes the controller tells apart. */
export const ZkCode = { NONODE, NODEEXISTS, BADVERSION } as const;

/** Writes of the controller of epoch zkVersion `epochZkVersion`. */
export class FencedZk {
  constructor(readonly zk: ZkClient, readonly epochZkVersion: number) {}

  /** `F[op]`: the op's result; the op's own failure as a ZkError; a lost epoch as ControllerMovedError. */
  async run(op: Op): Promise<OpResult> {
    try {
      const [, result] = await this.zk.multi([
        { type: "check", path: "/controller_epoch", version: this.epochZkVersion },
        op,
      ]);
      return result;
    } catch (e) {
      if (e instanceof ZkMultiError) {
        if (e.results[0]?.err === BADVERSION || e.results[0]?.err === NONODE) {
          throw new ControllerMovedError(
            `Controller epoch zkVersion check fails. Expected zkVersion = ${this.epochZkVersion}`,
          );
        }
        throw new ZkError(e.code, op.path);
      }
      throw e;
    }
  }

  /** `F[C path data]` (persistent). */
  create(path: string, data: string | null): Promise<OpResult> {
    return this.run({ type: "create", path, data: data === null ? null : encoder.encode(data) });
  }

  /** `F[S path data v=version]`: the new Stat's version. */
  async setData(path: string, data: string, version = -1): Promise<number> {
    const r = await this.run({ type: "setData", path, data: encoder.encode(data), version });
    return r.stat?.version ?? -1;
  }

  /** `F[D path v=version]`. */
  async delete(path: string, version = -1): Promise<void> {
    await this.run({ type: "delete", path, version });
  }

  /** `F[D path]`, a missing node being fine. */
  async deleteIfExists(path: string): Promise<void> {
    await this.delete(path).catch((e) => {
      if (!isZkCode(e, NONODE)) throw e;
    });
  }

  /**
   * KafkaZkClient.deleteRecursive: children first (depth first, `L` on each node), then the node,
   * each delete fenced; nodes that vanished meanwhile are skipped.
   */
  async deleteRecursive(path: string): Promise<void> {
    let children: string[];
    try {
      children = await this.zk.getChildren(path);
    } catch (e) {
      if (isZkCode(e, NONODE)) return;
      throw e;
    }
    for (const c of children) await this.deleteRecursive(`${path}/${c}`);
    await this.deleteIfExists(path);
  }
}
