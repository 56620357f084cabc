/** Which containers and TTL nodes are due for removal (Apache's ContainerManager candidates). */
import type { DataTree } from "../tree/data_tree.ts";
import { ttlOfOwner } from "../tree/znode.ts";

export class ContainerManager {
  constructor(readonly tree: DataTree) {}

  /** Empty containers that have had children, and empty TTL nodes unchanged for longer than their ttl. */
  candidates(now: number): string[] {
    const out: string[] = [];
    for (const path of this.tree.containers) {
      const n = this.tree.get(path);
      // A container that never had a child is kept, so one created just before a check survives.
      if (n && n.numChildren === 0 && n.cversion > 0) out.push(path);
    }
    for (const path of this.tree.ttls) {
      const n = this.tree.get(path);
      if (!n || n.numChildren > 0) continue;
      const ttl = ttlOfOwner(n.ephemeralOwner);
      if (ttl !== 0 && now - n.mtime > ttl) out.push(path);
    }
    return out;
  }
}
