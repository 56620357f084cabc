/**
 * The subtree walks of Apache's ZKUtil that `ls -R`, `setAcl -R`, `deleteall` and the quota
 * commands rely on, with the same visiting order and the same requests (so the same txns and
 * zxids): the depth-first visit reports a node's sorted children before descending into them.
 *
 * @module
 */
import { Err, validatePath, type ZkClient, ZkError } from "../../../zk/client/mod.ts";

/** A node path under `parent`. */
function childPath(parent: string, child: string): string {
  return parent === "/" ? `/${child}` : `${parent}/${child}`;
}

function isNoNode(e: unknown): boolean {
  return e instanceof ZkError && e.code === Err.NONODE;
}

/**
 * ZKUtil.visitSubTreeDFS: `visit(path)` for the root (which must exist: NoNode is thrown),
 * then per node its sorted children, then each child's subtree. A node that vanishes while
 * walking ends the walk of its level quietly.
 */
export async function visitSubTreeDFS(
  zk: ZkClient,
  path: string,
  watch: boolean,
  visit: (path: string) => void | Promise<void>,
): Promise<void> {
  validatePath(path);
  await zk.getData(path, watch);
  await visit(path);
  await visitChildren(zk, path, watch, visit);
}

async function visitChildren(
  zk: ZkClient,
  path: string,
  watch: boolean,
  visit: (path: string) => void | Promise<void>,
): Promise<void> {
  try {
    const children = (await zk.getChildren(path, watch)).sort();
    for (const child of children) await visit(childPath(path, child));
    for (const child of children) await visitChildren(zk, childPath(path, child), watch, visit);
  } catch (e) {
    if (!isNoNode(e)) throw e;
  }
}

/** ZKUtil.listSubTreeBFS: the root, then every descendant level by level, in server order. */
export async function listSubTreeBFS(zk: ZkClient, root: string): Promise<string[]> {
  const queue = [root];
  const tree = [root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const child of await zk.getChildren(node)) {
      const p = childPath(node, child);
      queue.push(p);
      tree.push(p);
    }
  }
  return tree;
}

/** How many multi requests ZKUtil keeps in flight while deleting. */
const RATE_LIMIT = 10;

/**
 * ZKUtil.deleteRecursive: validates the path, lists the subtree, deletes it leaves first in
 * multi batches of `batchSize` (up to ten in flight). Resolves false if a batch failed; later
 * batches are then not sent.
 */
export async function deleteRecursive(
  zk: ZkClient,
  path: string,
  batchSize: number,
): Promise<boolean> {
  validatePath(path);
  const tree = await listSubTreeBFS(zk, path);
  let success = true;
  const inFlight = new Set<Promise<void>>();
  let ops: { type: "delete"; path: string; version: number }[] = [];
  for (let i = tree.length - 1; i >= 0; i--) {
    ops.push({ type: "delete", path: tree[i], version: -1 });
    if (ops.length === batchSize || i === 0) {
      if (!success) break;
      while (inFlight.size >= RATE_LIMIT) await Promise.race(inFlight);
      const p: Promise<void> = zk.multi(ops).then(
        () => {},
        () => {
          success = false;
        },
      ).finally(() => inFlight.delete(p));
      inFlight.add(p);
      ops = [];
    }
  }
  await Promise.all(inFlight);
  return success;
}
