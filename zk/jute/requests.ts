/** Client requests (org.apache.zookeeper.proto) as typed values, with both codec directions. */
import { JuteError, type JuteReader } from "./reader.ts";
import type { JuteWriter } from "./writer.ts";
import { type ACL, readACLs, writeACLs } from "./records.ts";
import { OpCode } from "./opcodes.ts";

type O = typeof OpCode;

export interface CreateRequest {
  type: O["create"] | O["create2"] | O["createContainer"] | O["createTTL"];
  path: string;
  data: Uint8Array | null;
  acl: ACL[] | null;
  flags: number;
  /** Only for createTTL. */
  ttl: number;
}
export interface DeleteRequest {
  /** deleteContainer is never read off the wire: the server issues it for empty containers. */
  type: O["delete"] | O["deleteContainer"];
  path: string;
  version: number;
}
export interface PathWatchRequest {
  type: O["exists"] | O["getData"] | O["getChildren"] | O["getChildren2"];
  path: string;
  watch: boolean;
}
export interface SetDataRequest {
  type: O["setData"];
  path: string;
  data: Uint8Array | null;
  version: number;
}
export interface PathRequest {
  type: O["getACL"] | O["sync"] | O["getEphemerals"] | O["getAllChildrenNumber"];
  path: string;
}
export interface SetACLRequest {
  type: O["setACL"];
  path: string;
  acl: ACL[] | null;
  version: number;
}
export interface CheckVersionRequest {
  type: O["check"];
  path: string;
  version: number;
}
export interface MultiRequest {
  type: O["multi"] | O["multiRead"];
  ops: Request[];
}
export interface ReconfigRequest {
  type: O["reconfig"];
  joiningServers: string | null;
  leavingServers: string | null;
  newMembers: string | null;
  curConfigId: number;
}
export interface WatchesRequest {
  type: O["checkWatches"] | O["removeWatches"];
  path: string;
  watcherType: number;
}
export interface AuthRequest {
  type: O["auth"];
  authType: number;
  scheme: string;
  /** null is legal on the wire (zkCli's `addauth digest` with no data); servers refuse it. */
  auth: Uint8Array | null;
}
export interface SetWatchesRequest {
  type: O["setWatches"] | O["setWatches2"];
  relativeZxid: number;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
  persistentWatches: string[];
  persistentRecursiveWatches: string[];
}
export interface AddWatchRequest {
  type: O["addWatch"];
  path: string;
  mode: number;
}
export interface EmptyRequest {
  type: O["ping"] | O["whoAmI"] | O["closeSession"];
}

export type Request =
  | CreateRequest
  | DeleteRequest
  | PathWatchRequest
  | SetDataRequest
  | PathRequest
  | SetACLRequest
  | CheckVersionRequest
  | MultiRequest
  | ReconfigRequest
  | WatchesRequest
  | AuthRequest
  | SetWatchesRequest
  | AddWatchRequest
  | EmptyRequest;

/** Decodes a request body of the given type; throws JuteError on malformed input, UnknownOp on bad type. */
export function readRequest(type: number, r: JuteReader): Request {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL: {
      const path = r.str();
      const data = r.buffer();
      const acl = readACLs(r);
      const flags = r.int();
      const ttl = type === OpCode.createTTL ? r.long() : -1;
      return { type, path, data, acl, flags, ttl };
    }
    case OpCode.delete:
      return { type, path: r.str(), version: r.int() };
    case OpCode.exists:
    case OpCode.getData:
    case OpCode.getChildren:
    case OpCode.getChildren2:
      return { type, path: r.str(), watch: r.bool() };
    case OpCode.setData:
      return { type, path: r.str(), data: r.buffer(), version: r.int() };
    case OpCode.getACL:
    case OpCode.sync:
    case OpCode.getEphemerals:
    case OpCode.getAllChildrenNumber:
      return { type, path: r.str() };
    case OpCode.setACL:
      return { type, path: r.str(), acl: readACLs(r), version: r.int() };
    case OpCode.check:
      return { type, path: r.str(), version: r.int() };
    case OpCode.multi:
    case OpCode.multiRead: {
      const ops: Request[] = [];
      for (;;) {
        const opType = r.int();
        const done = r.bool();
        r.int(); // err, unused in requests
        if (done) break;
        const allowed = type === OpCode.multi
          ? opType === OpCode.create || opType === OpCode.create2 ||
            opType === OpCode.createContainer || opType === OpCode.createTTL ||
            opType === OpCode.delete || opType === OpCode.setData || opType === OpCode.check
          : opType === OpCode.getChildren || opType === OpCode.getData;
        if (!allowed) throw new JuteError(`invalid op type ${opType} in multi`);
        if (type === OpCode.multiRead) {
          // multiRead sub-requests carry only a path: GetChildrenRequest/GetDataRequest with watch.
          ops.push({ type: opType as PathWatchRequest["type"], path: r.str(), watch: r.bool() });
        } else {
          ops.push(readRequest(opType, r));
        }
      }
      return { type, ops };
    }
    case OpCode.reconfig:
      return {
        type,
        joiningServers: r.string(),
        leavingServers: r.string(),
        newMembers: r.string(),
        curConfigId: r.long(),
      };
    case OpCode.checkWatches:
    case OpCode.removeWatches:
      return { type, path: r.str(), watcherType: r.int() };
    case OpCode.auth:
      return { type, authType: r.int(), scheme: r.str(), auth: r.buffer() };
    case OpCode.setWatches:
    case OpCode.setWatches2: {
      const relativeZxid = r.long();
      const dataWatches = r.stringVector() ?? [];
      const existWatches = r.stringVector() ?? [];
      const childWatches = r.stringVector() ?? [];
      const persistentWatches = type === OpCode.setWatches2 ? r.stringVector() ?? [] : [];
      const persistentRecursiveWatches = type === OpCode.setWatches2 ? r.stringVector() ?? [] : [];
      return {
        type,
        relativeZxid,
        dataWatches,
        existWatches,
        childWatches,
        persistentWatches,
        persistentRecursiveWatches,
      };
    }
    case OpCode.addWatch:
      return { type, path: r.str(), mode: r.int() };
    case OpCode.ping:
    case OpCode.whoAmI:
    case OpCode.closeSession:
      return { type };
    default:
      throw new UnknownOpError(type);
  }
}

export class UnknownOpError extends Error {
  override name = "UnknownOpError";
  constructor(readonly opType: number) {
    super(`unknown request type ${opType}`);
  }
}

/** Encodes a request body (client side). */
export function writeRequest(w: JuteWriter, q: Request): void {
  switch (q.type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      w.string(q.path);
      w.buffer(q.data);
      writeACLs(w, q.acl);
      w.int(q.flags);
      if (q.type === OpCode.createTTL) w.long(q.ttl);
      return;
    case OpCode.delete:
    case OpCode.check:
      w.string(q.path);
      w.int(q.version);
      return;
    case OpCode.exists:
    case OpCode.getData:
    case OpCode.getChildren:
    case OpCode.getChildren2:
      w.string(q.path);
      w.bool(q.watch);
      return;
    case OpCode.setData:
      w.string(q.path);
      w.buffer(q.data);
      w.int(q.version);
      return;
    case OpCode.getACL:
    case OpCode.sync:
    case OpCode.getEphemerals:
    case OpCode.getAllChildrenNumber:
      w.string(q.path);
      return;
    case OpCode.setACL:
      w.string(q.path);
      writeACLs(w, q.acl);
      w.int(q.version);
      return;
    case OpCode.multi:
    case OpCode.multiRead:
      for (const op of q.ops) {
        w.int(op.type);
        w.bool(false);
        w.int(-1);
        writeRequest(w, op);
      }
      w.int(-1);
      w.bool(true);
      w.int(-1);
      return;
    case OpCode.reconfig:
      w.string(q.joiningServers);
      w.string(q.leavingServers);
      w.string(q.newMembers);
      w.long(q.curConfigId);
      return;
    case OpCode.checkWatches:
    case OpCode.removeWatches:
      w.string(q.path);
      w.int(q.watcherType);
      return;
    case OpCode.auth:
      w.int(q.authType);
      w.string(q.scheme);
      w.buffer(q.auth);
      return;
    case OpCode.setWatches:
    case OpCode.setWatches2:
      w.long(q.relativeZxid);
      w.stringVector(q.dataWatches);
      w.stringVector(q.existWatches);
      w.stringVector(q.childWatches);
      if (q.type === OpCode.setWatches2) {
        w.stringVector(q.persistentWatches);
        w.stringVector(q.persistentRecursiveWatches);
      }
      return;
    case OpCode.addWatch:
      w.string(q.path);
      w.int(q.mode);
      return;
    case OpCode.ping:
    case OpCode.whoAmI:
    case OpCode.closeSession:
      return;
  }
}

/** Requests that change the tree and so go through the txn stages. */
export function isWrite(type: number): boolean {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
    case OpCode.delete:
    case OpCode.setData:
    case OpCode.setACL:
    case OpCode.check:
    case OpCode.multi:
    case OpCode.reconfig:
    case OpCode.closeSession:
      return true;
    default:
      return false;
  }
}
