/**
 * The snapshot a leader writes straight onto the quorum stream after a SNAP packet
 * (quorum-protocol.md §3.3): sessions, the ACL cache, the znodes parent-first ended by the path
 * "/", then the string "BenWasHere" — no file header, checksum or digest, and no length, so it is
 * read record by record as the bytes arrive. The records are the file snapshot's, read with
 * zk/persist/snapshot.ts's readers; only the framing differs.
 *
 * @module
 */
import { JuteError, type JuteReader } from "../jute/reader.ts";
import type { JuteWriter } from "../jute/writer.ts";
import { readACLs, writeACLs } from "../jute/records.ts";
import { atSeal, readNode, type SnapshotSession, writeNode } from "../persist/snapshot.ts";
import type { DataTree } from "../tree/data_tree.ts";
import { TreeBuilder } from "../tree/tree_builder.ts";
import { QuorumStreamError } from "./quorum_packet.ts";

/** The signature after the nodes, which the learner checks (Learner.java:587-591). */
export const SNAP_SIGNATURE = "BenWasHere";

/** A snapshot received from the leader. */
export interface SnapStream {
  tree: DataTree;
  sessions: SnapshotSession[];
}

/**
 * Writes `tree` as a leader streams it after SNAP (§3.3): what herd's tests play as a leader,
 * and what a herd leader will send.
 */
export function writeSnapStream(w: JuteWriter, tree: DataTree, sessions: SnapshotSession[]): void {
  w.int(sessions.length);
  for (const s of sessions) {
    w.bigLong(s.id);
    w.int(s.timeout);
  }
  w.int(tree.acls.byId.size);
  for (const [id, list] of tree.acls.byId) {
    w.long(id);
    writeACLs(w, list);
  }
  for (const [path, node] of tree.nodes) writeNode(w, path, node);
  w.string("/");
  w.string(SNAP_SIGNATURE);
}

type Phase = "sessionCount" | "sessions" | "aclCount" | "acls" | "nodes" | "signature" | "done";

/**
 * Reads the SNAP stream's records from successive reads of the connection. Each call to
 * {@link SnapStreamReader.read} takes every whole record `r` holds and leaves `r.pos` at the
 * first incomplete one.
 */
export class SnapStreamReader {
  private phase: Phase = "sessionCount";
  private left = 0;
  // A SNAP replaces the whole tree, built-in nodes included (the leader sends those too).
  private readonly builder = new TreeBuilder();
  private tree: DataTree | undefined;
  private readonly sessions: SnapshotSession[] = [];

  constructor(private readonly zxid: number) {}

  /** The snapshot, once {@link read} has returned true. */
  result(): SnapStream {
    if (this.phase !== "done" || this.tree === undefined) {
      throw new Error("the SNAP stream is not complete");
    }
    return { tree: this.tree, sessions: this.sessions };
  }

  /** Reads what whole records `r` has; true once the signature has been read. */
  read(r: JuteReader): boolean {
    for (;;) {
      if (this.phase === "done") return true;
      const start = r.pos;
      try {
        this.record(r);
      } catch (e) {
        if (!(e instanceof JuteError)) throw e;
        r.pos = start;
        return false;
      }
    }
  }

  private record(r: JuteReader): void {
    switch (this.phase) {
      case "sessionCount":
        this.left = this.count(r, "session");
        this.phase = "sessions";
        return;
      case "sessions":
        if (this.left === 0) {
          this.phase = "aclCount";
          return;
        }
        this.sessions.push({ id: r.bigLong(), timeout: r.int() });
        this.left--;
        return;
      case "aclCount":
        this.left = this.count(r, "ACL cache");
        this.phase = "acls";
        return;
      case "acls":
        if (this.left === 0) {
          this.phase = "nodes";
          return;
        }
        this.acl(r);
        this.left--;
        return;
      case "nodes":
        this.node(r);
        return;
      case "signature": {
        const sig = r.str();
        if (sig !== SNAP_SIGNATURE) {
          throw new QuorumStreamError(`Missing signature. Got ${JSON.stringify(sig)}`);
        }
        this.tree = this.builder.finish(this.zxid);
        this.phase = "done";
        return;
      }
    }
  }

  private count(r: JuteReader, what: string): number {
    const n = r.int();
    if (n < 0) throw new QuorumStreamError(`SNAP stream: ${what} count ${n}`);
    return n;
  }

  private acl(r: JuteReader): void {
    // Both fields read before anything is kept, so a record cut short is retried whole.
    const id = r.long();
    const list = readACLs(r) ?? [];
    this.builder.acl(id, list);
  }

  private node(r: JuteReader): void {
    if (atSeal(r)) {
      r.str();
      this.phase = "signature";
      return;
    }
    // atSeal needs 5 bytes: with fewer, a short record could still be the seal; wait for more.
    if (r.remaining < 5) throw new JuteError("waiting for the next node");
    const { path, node } = readNode(r);
    if (!this.builder.link(path)) {
      throw new QuorumStreamError(`SNAP stream: parent of ${path} missing`);
    }
    this.builder.node(path, node);
  }
}
