/**
 * Turning API calls into jute requests: create's opcode choice (shared by create, create2 and
 * multi) and multi/multiRead ops, with chroot applied on the way out and removed on the way in.
 */
import {
  type ACL,
  type CreateRequest,
  Err,
  isContainer,
  isSequential,
  isTTL,
  OpCode,
  OPEN_ACL_UNSAFE,
  type OpResult,
  type Request,
  ZkError,
} from "../jute/mod.ts";
import { prependChroot, stripChroot, validatePath } from "./path.ts";
import type { Op, ReadOp, ZkData } from "./types.ts";

const encoder = new TextEncoder();

/** The largest TTL the server accepts (40 bits, see Apache's EphemeralType.TTL). */
export const MAX_TTL = 2 ** 40 - 1;

/** Bytes for data given as a string (UTF-8) or bytes; null and undefined stay null. */
export function toBytes(data: ZkData | null | undefined): Uint8Array | null {
  if (data === null || data === undefined) return null;
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** The parameters of a create, whichever API call it came from. */
export interface CreateSpec {
  path: string;
  data?: ZkData | null;
  mode?: number;
  acl?: readonly ACL[];
  ttl?: number;
}

/**
 * A create request with the opcode Apache's client would pick: createContainer for CONTAINER,
 * createTTL for the TTL modes, otherwise create2 when a Stat is wanted and create when not.
 */
export function createRequest(
  spec: CreateSpec,
  chroot: string | null,
  wantStat: boolean,
): CreateRequest {
  const mode = spec.mode ?? 0;
  if (!Number.isInteger(mode) || mode < 0 || mode > 6) {
    throw new ZkError(Err.BADARGUMENTS, spec.path);
  }
  validatePath(spec.path, isSequential(mode));
  const ttl = spec.ttl ?? -1;
  if (isTTL(mode) ? !(ttl > 0 && ttl <= MAX_TTL) : ttl !== -1) {
    throw new ZkError(Err.BADARGUMENTS, spec.path);
  }
  const type = isContainer(mode)
    ? OpCode.createContainer
    : isTTL(mode)
    ? OpCode.createTTL
    : wantStat
    ? OpCode.create2
    : OpCode.create;
  return {
    type,
    path: prependChroot(chroot, spec.path),
    data: toBytes(spec.data),
    acl: [...(spec.acl ?? OPEN_ACL_UNSAFE)],
    flags: mode,
    ttl,
  };
}

/** A multi() op as a jute request. */
export function opRequest(op: Op, chroot: string | null): Request {
  switch (op.type) {
    case "create":
      return createRequest(op, chroot, false);
    case "delete":
      validatePath(op.path);
      return {
        type: OpCode.delete,
        path: prependChroot(chroot, op.path),
        version: op.version ?? -1,
      };
    case "setData":
      validatePath(op.path);
      return {
        type: OpCode.setData,
        path: prependChroot(chroot, op.path),
        data: toBytes(op.data),
        version: op.version ?? -1,
      };
    case "check":
      validatePath(op.path);
      return { type: OpCode.check, path: prependChroot(chroot, op.path), version: op.version };
    default:
      throw new TypeError(`unknown multi op ${(op as { type: unknown }).type}`);
  }
}

/** A multiRead() op as a jute request (reads inside a multi never set watches). */
export function readOpRequest(op: ReadOp, chroot: string | null): Request {
  validatePath(op.path);
  const type = op.type === "getData" ? OpCode.getData : OpCode.getChildren;
  return { type, path: prependChroot(chroot, op.path), watch: false };
}

/** Results with created paths made relative to the chroot. */
export function stripResults(results: OpResult[], chroot: string | null): OpResult[] {
  if (chroot === null) return results;
  return results.map((r) => r.path === undefined ? r : { ...r, path: stripChroot(chroot, r.path) });
}
