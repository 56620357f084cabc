/**
 * The prep stage (Apache's PrepRequestProcessor): validates a write request against the tree plus
 * outstanding changes and turns it into a txn with a zxid. A failed request still becomes a txn
 * (an ErrorTxn) and consumes its zxid, as in Apache. Every txn the server logs is built here and
 * every zxid assigned here (PrepStage), so the stages after it only order, log and apply.
 */
import type { Id } from "../jute/records.ts";
import { CreateMode, isEphemeral, isSequential, isTTL, OpCode, Perms } from "../jute/opcodes.ts";
import { Err, ZkError } from "../jute/errors.ts";
import type { CreateRequest, Request } from "../jute/requests.ts";
import { checkACL, fixupACL } from "../tree/acl.ts";
import { invalidPathReason, parentOf } from "../tree/path.ts";
import { CONTAINER_OWNER, isSessionOwner, ttlOwner } from "../tree/znode.ts";
import type { Txn, TxnEntry } from "../tree/txn.ts";
import type { ChangeView, NodeRecord } from "./changes.ts";
import { NULL_DATA } from "../tree/znode.ts";

export interface PrepContext {
  view: ChangeView;
  extendedTypesEnabled: boolean;
  reconfigEnabled: boolean;
  skipACL: boolean;
  /** Called before a create or setData; throws QUOTAEXCEEDED when enforcing hard quotas. */
  checkQuota?(path: string, oldLength: number, newData: Uint8Array, op: number): void;
}

export interface Caller {
  sessionId: bigint;
  authInfo: readonly Id[];
}

const MAX_TTL = 0xffffffffff;
const SPECIAL = new Set(["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"]);

type Undo = ReturnType<ChangeView["mark"]>;

/**
 * The zxid counter and the txns built outside a client's request body: a new session's, and the
 * ErrorTxn of a write whose body did not decode. A leader's prep is the only place zxids come from.
 */
export class PrepStage {
  private zxid: number;

  /** `lastZxid`: the last zxid already assigned (the tree's, on a server that just started). */
  constructor(readonly ctx: PrepContext, lastZxid: number) {
    this.zxid = lastZxid;
  }

  /** The last zxid assigned. */
  get lastZxid(): number {
    return this.zxid;
  }

  /** A client's (or the server's own) write request as a txn with the next zxid. */
  request(caller: Caller, cxid: number, time: number, req: Request): TxnEntry {
    return prepare(this.ctx, caller, cxid, ++this.zxid, time, req);
  }

  /** A new session's createSession txn (Apache logs the negotiated timeout). */
  createSession(sessionId: bigint, timeout: number, time: number): TxnEntry {
    const type = OpCode.createSession;
    return {
      hdr: { clientId: sessionId, cxid: 0, zxid: ++this.zxid, time, type },
      txn: { type, timeOut: timeout },
    };
  }

  /** A write whose body did not decode still takes a zxid, as an ErrorTxn MARSHALLINGERROR. */
  marshallingError(sessionId: bigint, cxid: number, time: number): TxnEntry {
    const type = OpCode.error;
    return {
      hdr: { clientId: sessionId, cxid, zxid: ++this.zxid, time, type },
      txn: { type, err: Err.MARSHALLINGERROR },
    };
  }
}

export function prepare(
  ctx: PrepContext,
  caller: Caller,
  cxid: number,
  zxid: number,
  time: number,
  req: Request,
): TxnEntry {
  const hdr = { clientId: caller.sessionId, cxid, zxid, time, type: req.type as number };
  if (req.type === OpCode.multi) {
    const mark = ctx.view.mark();
    const txns: Txn[] = [];
    let failed = false;
    for (const op of req.ops) {
      if (failed) {
        txns.push({ type: OpCode.error, err: Err.RUNTIMEINCONSISTENCY });
        continue;
      }
      try {
        // Apache runs a create2 inside a multi as a plain create (logged and answered as one).
        const sub = op.type === OpCode.create2 ? { ...op, type: OpCode.create } : op;
        txns.push(prepOne(ctx, caller, zxid, sub, mark));
      } catch (e) {
        if (!(e instanceof ZkError)) throw e;
        failed = true;
        txns.push({ type: OpCode.error, err: e.code });
        ctx.view.rollback(mark);
      }
    }
    return { hdr, txn: { type: OpCode.multi, txns } };
  }
  try {
    return { hdr, txn: prepOne(ctx, caller, zxid, req) };
  } catch (e) {
    if (!(e instanceof ZkError)) throw e;
    hdr.type = OpCode.error;
    return { hdr, txn: { type: OpCode.error, err: e.code } };
  }
}

function need(rec: NodeRecord | null, path: string): NodeRecord {
  if (rec === null) throw new ZkError(Err.NONODE, path);
  return rec;
}

function validate(path: string, sequential = false): void {
  if (invalidPathReason(path, sequential) !== null) throw new ZkError(Err.BADARGUMENTS, path);
}

function acl(ctx: PrepContext, rec: NodeRecord, perm: number, caller: Caller): void {
  if (!ctx.skipACL) checkACL(rec.acl, perm, caller.authInfo);
}

/** expected -1 matches any version; the txn carries the new version. */
function nextVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new ZkError(Err.BADVERSION, path);
  return current + 1;
}

function prepOne(ctx: PrepContext, caller: Caller, zxid: number, req: Request, undo?: Undo): Txn {
  const view = ctx.view;
  switch (req.type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return prepCreate(ctx, caller, zxid, req, undo);
    case OpCode.delete: {
      const path = req.path;
      if (path.lastIndexOf("/") < 0 || path.includes("\0") || SPECIAL.has(path)) {
        throw new ZkError(Err.BADARGUMENTS, path);
      }
      const parentPath = parentOf(path);
      const parent = need(view.get(parentPath), path);
      acl(ctx, parent, Perms.DELETE, caller);
      const node = need(view.get(path), path);
      nextVersion(node.version, req.version, path);
      if (node.childCount > 0) throw new ZkError(Err.NOTEMPTY, path);
      view.set(path, null, zxid, undo?.saved);
      view.set(
        parentPath,
        { ...parent, childCount: parent.childCount - 1, zxid },
        zxid,
        undo?.saved,
      );
      return { type: OpCode.delete, path };
    }
    case OpCode.deleteContainer: {
      const path = req.path;
      const node = need(view.get(path), path);
      if (node.childCount > 0) throw new ZkError(Err.NOTEMPTY, path);
      if (isSessionOwner(node.owner)) throw new ZkError(Err.BADVERSION, path);
      const parentPath = parentOf(path);
      const parent = need(view.get(parentPath), path);
      view.set(path, null, zxid, undo?.saved);
      view.set(
        parentPath,
        { ...parent, childCount: parent.childCount - 1, zxid },
        zxid,
        undo?.saved,
      );
      return { type: OpCode.deleteContainer, path };
    }
    case OpCode.setData: {
      validate(req.path);
      const node = need(view.get(req.path), req.path);
      acl(ctx, node, Perms.WRITE, caller);
      const data = req.data ?? NULL_DATA;
      ctx.checkQuota?.(req.path, node.dataLength, data, OpCode.setData);
      const version = nextVersion(node.version, req.version, req.path);
      view.set(req.path, { ...node, version, dataLength: data.length, zxid }, zxid, undo?.saved);
      return { type: OpCode.setData, path: req.path, data, version };
    }
    case OpCode.setACL: {
      validate(req.path);
      const list = fixupACL(req.path, req.acl, caller.authInfo);
      const node = need(view.get(req.path), req.path);
      acl(ctx, node, Perms.ADMIN, caller);
      const version = nextVersion(node.aversion, req.version, req.path);
      view.set(req.path, { ...node, aversion: version, acl: list, zxid }, zxid, undo?.saved);
      return { type: OpCode.setACL, path: req.path, acl: list, version };
    }
    case OpCode.check: {
      validate(req.path);
      const node = need(view.get(req.path), req.path);
      acl(ctx, node, Perms.READ, caller);
      return {
        type: OpCode.check,
        path: req.path,
        version: nextVersion(node.version, req.version, req.path),
      };
    }
    case OpCode.reconfig:
      throw new ZkError(ctx.reconfigEnabled ? Err.UNIMPLEMENTED : Err.RECONFIGDISABLED);
    case OpCode.closeSession: {
      const paths = ephemeralsAfterChanges(ctx, caller.sessionId);
      for (const p of paths) {
        const parentPath = parentOf(p);
        const parent = view.get(parentPath);
        view.set(p, null, zxid);
        if (parent) {
          view.set(parentPath, { ...parent, childCount: parent.childCount - 1, zxid }, zxid);
        }
      }
      return { type: OpCode.closeSession, paths2Delete: paths };
    }
    default:
      throw new ZkError(Err.UNIMPLEMENTED);
  }
}

function prepCreate(
  ctx: PrepContext,
  caller: Caller,
  zxid: number,
  req: CreateRequest,
  undo?: Undo,
): Txn {
  const view = ctx.view;
  const flags = req.flags;
  if (flags < 0 || flags > 6) throw new ZkError(Err.BADARGUMENTS, req.path);
  const container = flags === CreateMode.CONTAINER;
  const ttl = isTTL(flags);
  if (container !== (req.type === OpCode.createContainer)) {
    throw new ZkError(Err.BADARGUMENTS, req.path);
  }
  if (ttl !== (req.type === OpCode.createTTL)) throw new ZkError(Err.BADARGUMENTS, req.path);
  if (ttl) {
    if (!ctx.extendedTypesEnabled) throw new ZkError(Err.UNIMPLEMENTED, req.path);
    if (req.ttl <= 0 || req.ttl > MAX_TTL) throw new ZkError(Err.BADARGUMENTS, req.path);
  }
  let path = req.path;
  const slash = path.lastIndexOf("/");
  if (slash < 0 || path.includes("\0")) throw new ZkError(Err.BADARGUMENTS, path);
  const list = fixupACL(path, req.acl, caller.authInfo);
  const parentPath = parentOf(path);
  const parent = need(view.get(parentPath), path);
  acl(ctx, parent, Perms.CREATE, caller);
  if (isSequential(flags)) path += String(parent.cversion).padStart(10, "0");
  validate(path);
  if (view.get(path) !== null) throw new ZkError(Err.NODEEXISTS, path);
  if (isSessionOwner(parent.owner)) throw new ZkError(Err.NOCHILDRENFOREPHEMERALS, path);
  const parentCVersion = parent.cversion + 1;
  const data = req.data ?? NULL_DATA;
  ctx.checkQuota?.(path, 0, data, OpCode.create);
  const ephemeral = isEphemeral(flags);
  const owner = ephemeral
    ? caller.sessionId
    : container
    ? CONTAINER_OWNER
    : ttl
    ? ttlOwner(req.ttl)
    : 0n;
  view.set(
    parentPath,
    { ...parent, cversion: parentCVersion, childCount: parent.childCount + 1, zxid },
    zxid,
    undo?.saved,
  );
  view.set(
    path,
    {
      version: 0,
      cversion: 0,
      aversion: 0,
      owner,
      childCount: 0,
      acl: list,
      dataLength: data.length,
      zxid,
    },
    zxid,
    undo?.saved,
  );
  if (req.type === OpCode.createContainer) {
    return { type: OpCode.createContainer, path, data, acl: list, parentCVersion };
  }
  if (req.type === OpCode.createTTL) {
    return { type: OpCode.createTTL, path, data, acl: list, parentCVersion, ttl: req.ttl };
  }
  return { type: req.type, path, data, acl: list, ephemeral, parentCVersion };
}

/** The session's ephemerals once outstanding creates and deletes are counted. */
function ephemeralsAfterChanges(ctx: PrepContext, session: bigint): string[] {
  const out: string[] = [];
  for (const p of ctx.view.tree.ephemeralsOf(session)) {
    const rec = ctx.view.get(p);
    if (rec !== null && rec.owner === session) out.push(p);
  }
  for (const p of ctx.view.pendingPaths()) {
    const rec = ctx.view.get(p);
    if (rec !== null && rec.owner === session && !out.includes(p)) out.push(p);
  }
  return out.sort();
}
