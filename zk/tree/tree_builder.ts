/**
 * Builds a DataTree from a snapshot's records: its ACL lists, then its znodes, then each znode
 * linked under its parent. The snapshot readers in zk/persist fill a tree only through this; once
 * built, a tree changes only by DataTree.apply.
 */
import type { ACL } from "../jute/records.ts";
import { DataTree } from "./data_tree.ts";
import { nameOf, parentOf } from "./path.ts";
import type { Znode } from "./znode.ts";

/**
 * A tree being restored.
 *
 * @example
 * ```ts
 * import { TreeBuilder } from "./tree_builder.ts";
 * const b = new TreeBuilder();
 * // b.acl(id, list); b.node(path, znode); b.link(path) for each record, then:
 * const tree = b.finish(0x100000005);
 * ```
 */
export class TreeBuilder {
  private readonly tree: DataTree = new DataTree();

  constructor() {
    // A snapshot holds every node, the built-in ones too, and every ACL list it uses.
    this.tree.clearNodes();
    for (const id of [...this.tree.acls.byId.keys()]) this.tree.acls.release(id);
  }

  /**
   * An ACL list under the id the snapshot gave it. `pinned`: kept even if no restored znode uses
   * it (a partial tree whose other znodes stay in the file).
   */
  acl(id: number, list: ACL[], pinned = false): void {
    this.tree.acls.restore(id, list);
    if (pinned) this.tree.acls.addRef(id);
  }

  /** A znode as read, not yet linked under its parent. */
  node(path: string, node: Znode): void {
    this.tree.restoreNode(path, node);
  }

  /** Lists `path` among its parent's children; false when the parent is not in the tree. */
  link(path: string): boolean {
    if (path === "/") return true;
    const parent = this.tree.get(parentOf(path));
    if (parent === undefined) return false;
    parent.addChild(nameOf(path));
    return true;
  }

  /** The whole tree as of `zxid`, its quotas recounted from its nodes. */
  finish(zxid: number): DataTree {
    this.tree.restored(zxid);
    return this.tree;
  }

  /** A partial tree (some znodes of a snapshot), for txns to be applied to as they are. */
  partial(): DataTree {
    return this.tree;
  }
}
