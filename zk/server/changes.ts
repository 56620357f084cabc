/**
 * Outstanding changes: what the tree will look like once every prepared-but-not-yet-applied txn
 * is applied (Apache's ChangeRecords). Prep validates against this view so txns can be prepared
 * while earlier ones are still being made durable.
 */
import type { ACL } from "../jute/records.ts";
import type { DataTree } from "../tree/data_tree.ts";
import { hashPath, SlotMap } from "../../internal/slot_map.ts";

export interface NodeRecord {
  version: number;
  /** Stored cversion (count of child creations). */
  cversion: number;
  aversion: number;
  owner: bigint;
  childCount: number;
  acl: ACL[];
  dataLength: number;
  /** zxid of the txn that produced this record (0 when read from the tree). */
  zxid: number;
}

/** A path's pending state (null: "will not exist") and the zxid of the last txn that set it. */
interface Change {
  rec: NodeRecord | null;
  zxid: number;
}

type Saved = Map<string, Change | undefined>;

export class ChangeView {
  /**
   * path → its change. A SlotMap, not a Map: an entry goes in and out per write, and a Map's
   * churned tables would keep every record alive through scavenges (see slot_map.ts).
   */
  private readonly pending = new SlotMap<string, Change>(hashPath);
  private byZxid: { zxid: number; path: string }[] = [];
  /** Entries before this index have been applied. */
  private head = 0;

  constructor(readonly tree: DataTree) {}

  get size(): number {
    return this.pending.size;
  }

  /** The node as it will be after outstanding changes, or null if it will not exist. */
  get(path: string): NodeRecord | null {
    const p = this.pending.get(path);
    if (p !== undefined) return p.rec;
    const n = this.tree.get(path);
    if (!n) return null;
    return {
      version: n.version,
      cversion: n.cversion,
      aversion: n.aversion,
      owner: n.ephemeralOwner,
      childCount: n.numChildren,
      acl: this.tree.aclOf(n),
      dataLength: n.dataLength,
      zxid: 0,
    };
  }

  /** Paths with pending changes. */
  pendingPaths(): IterableIterator<string> {
    return this.pending.keys();
  }

  /** Records a pending change made by the txn with `zxid`. */
  set(path: string, rec: NodeRecord | null, zxid: number, undo?: Saved): void {
    if (undo && !undo.has(path)) undo.set(path, this.pending.get(path));
    this.pending.set(path, { rec, zxid });
    this.byZxid.push({ zxid, path });
  }

  /** Undo point for a multi: its sub-ops' changes can be rolled back together. */
  mark(): { at: number; saved: Saved } {
    // Positions are absolute in byZxid; applied() only runs between whole requests.
    return { at: this.byZxid.length, saved: new Map() };
  }

  rollback(m: { at: number; saved: Saved }): void {
    this.byZxid.length = m.at;
    for (const [path, prev] of m.saved) {
      if (prev === undefined) this.pending.delete(path);
      else this.pending.set(path, prev);
    }
  }

  /** Forgets changes made by txns up to `zxid`, now visible in the tree itself. */
  applied(zxid: number): void {
    const list = this.byZxid;
    let i = this.head;
    while (i < list.length && list[i].zxid <= zxid) {
      const path = list[i].path;
      if ((this.pending.get(path)?.zxid ?? 0) <= zxid) this.pending.delete(path);
      i++;
    }
    // Consumed entries are dropped in bulk, not per txn, so a large batch stays linear.
    if (i === list.length) {
      list.length = 0;
      this.head = 0;
    } else if (i > 1024 && i * 2 > list.length) {
      this.byZxid = list.slice(i);
      this.head = 0;
    } else {
      this.head = i;
    }
  }
}
