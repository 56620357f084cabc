/**
 * Requests that do not change the tree (Apache's FinalRequestProcessor for non-txn requests):
 * answered from the applied tree, registering watches on the connection.
 */
import { EventType, OpCode, Perms } from "../jute/opcodes.ts";
import { Err, ZkError } from "../jute/errors.ts";
import type { ACL } from "../jute/records.ts";
import type { Request } from "../jute/requests.ts";
import type { Response } from "../jute/responses.ts";
import { checkACL } from "../tree/acl.ts";
import type { DataTree } from "../tree/data_tree.ts";
import type { Connection } from "./connection.ts";
import type { WatchManager } from "./watch_manager.ts";
import { type ServerMetrics, STAT_OVERHEAD_BYTES } from "./metrics.ts";

export interface ReadContext {
  tree: DataTree;
  watches: WatchManager<Connection>;
  skipACL: boolean;
  metrics: ServerMetrics;
}

/** Apache's DataTree.updateReadStat: path, the bytes read and the stat, by top namespace. */
function readStat(ctx: ReadContext, path: string, bytes: number): void {
  ctx.metrics.readPerNamespace.addForPath(path, path.length + bytes + STAT_OVERHEAD_BYTES);
}

function node(ctx: ReadContext, path: string) {
  const n = ctx.tree.get(path);
  if (!n) throw new ZkError(Err.NONODE, path);
  return n;
}

function acl(ctx: ReadContext, c: Connection, list: ACL[], perm: number): void {
  if (!ctx.skipACL) checkACL(list, perm, c.authInfo);
}

/** getACL hides digest hashes from callers without ADMIN (ZOOKEEPER-1392 in 3.8). */
function redact(list: ACL[], c: Connection, skipACL: boolean): ACL[] {
  if (skipACL) return list;
  try {
    checkACL(list, Perms.ADMIN, c.authInfo);
    return list;
  } catch {
    return list.map((a) =>
      a.id.scheme === "digest"
        ? { perms: a.perms, id: { scheme: "digest", id: a.id.id.replace(/:.*$/, ":x") } }
        : a
    );
  }
}

/** Runs a read request; throws ZkError for an error reply. */
export function processRead(ctx: ReadContext, c: Connection, req: Request): Response | null {
  switch (req.type) {
    case OpCode.exists: {
      if (req.path.includes("\0")) throw new ZkError(Err.BADARGUMENTS, req.path);
      const n = ctx.tree.get(req.path);
      if (req.watch) ctx.watches.addData(req.path, c);
      if (!n) throw new ZkError(Err.NONODE, req.path);
      readStat(ctx, req.path, 0);
      return { stat: n.stat() };
    }
    case OpCode.getData: {
      const n = node(ctx, req.path);
      acl(ctx, c, ctx.tree.aclOf(n), Perms.READ);
      if (req.watch) ctx.watches.addData(req.path, c);
      readStat(ctx, req.path, n.dataLength);
      const raw = n.raw;
      return typeof raw === "string"
        ? { binaryData: raw, stat: n.stat() }
        : { data: raw, stat: n.stat() };
    }
    case OpCode.getChildren:
    case OpCode.getChildren2: {
      const n = node(ctx, req.path);
      acl(ctx, c, ctx.tree.aclOf(n), Perms.READ);
      if (req.watch) ctx.watches.addChild(req.path, c);
      const children = n.children ? [...n.children] : [];
      let names = 0;
      for (const name of children) names += name.length;
      readStat(ctx, req.path, names);
      return req.type === OpCode.getChildren ? { children } : { children, stat: n.stat() };
    }
    case OpCode.getACL: {
      const n = node(ctx, req.path);
      const list = ctx.tree.aclOf(n);
      acl(ctx, c, list, Perms.READ | Perms.ADMIN);
      return { acl: redact(list, c, ctx.skipACL), stat: n.stat() };
    }
    case OpCode.getAllChildrenNumber: {
      const n = node(ctx, req.path);
      acl(ctx, c, ctx.tree.aclOf(n), Perms.READ);
      return { totalNumber: ctx.tree.countDescendants(req.path) };
    }
    case OpCode.getEphemerals: {
      const prefix = req.path;
      const mine = c.session ? ctx.tree.ephemeralsOf(c.session.id) : [];
      const ephemerals = mine.filter((p) => prefix === "/" || p.startsWith(prefix)).sort();
      return { ephemerals };
    }
    case OpCode.sync:
      return { path: req.path };
    case OpCode.ping:
      return null;
    case OpCode.addWatch: {
      ctx.watches.addPersistent(req.path, c, req.mode === 1);
      // Apache answers addWatch with an ErrorResponse(0) body, which Java clients 3.6+ read.
      return {};
    }
    case OpCode.checkWatches:
    case OpCode.removeWatches: {
      const found = req.type === OpCode.checkWatches
        ? ctx.watches.has(req.path, c, req.watcherType)
        : ctx.watches.remove(req.path, c, req.watcherType);
      if (!found) throw new ZkError(Err.NOWATCHER, req.path);
      return null;
    }
    case OpCode.whoAmI:
      // Apache lists the ip id after the authenticated ones, and digest ids by user name only.
      return {
        clientInfo: [
          ...c.authInfo.filter((a) => a.scheme !== "ip"),
          ...c.authInfo.filter((a) => a.scheme === "ip"),
        ].map((a) => ({
          authScheme: a.scheme,
          user: a.scheme === "digest" ? a.id.substring(0, a.id.indexOf(":")) : a.id,
        })),
      };
    case OpCode.multiRead: {
      const results = req.ops.map((op) => {
        try {
          const r = processRead(ctx, c, op)!;
          return { type: op.type, err: 0, ...r };
        } catch (e) {
          if (!(e instanceof ZkError)) throw e;
          return { type: -1, err: e.code };
        }
      });
      return { results };
    }
    case OpCode.setWatches:
    case OpCode.setWatches2: {
      setWatches(ctx, c, req.relativeZxid, req.dataWatches, req.existWatches, req.childWatches);
      for (const p of req.persistentWatches) ctx.watches.addPersistent(p, c, false);
      for (const p of req.persistentRecursiveWatches) ctx.watches.addPersistent(p, c, true);
      return null;
    }
    default:
      throw new ZkError(Err.UNIMPLEMENTED);
  }
}

/** Re-registers a reconnecting client's watches, firing at once those it missed. */
function setWatches(
  ctx: ReadContext,
  c: Connection,
  relZxid: number,
  data: string[],
  exist: string[],
  child: string[],
): void {
  for (const p of data) {
    const n = ctx.tree.get(p);
    if (!n) c.notify(p, EventType.NodeDeleted);
    else if (n.mzxid > relZxid) c.notify(p, EventType.NodeDataChanged);
    else ctx.watches.addData(p, c);
  }
  for (const p of exist) {
    if (ctx.tree.get(p)) c.notify(p, EventType.NodeCreated);
    else ctx.watches.addData(p, c);
  }
  for (const p of child) {
    const n = ctx.tree.get(p);
    if (!n) c.notify(p, EventType.NodeDeleted);
    else if (n.pzxid > relZxid) c.notify(p, EventType.NodeChildrenChanged);
    else ctx.watches.addChild(p, c);
  }
}
