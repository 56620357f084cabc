/** Response bodies, keyed by the request type they answer. Both codec directions. */
import type { JuteReader } from "./reader.ts";
import type { JuteWriter } from "./writer.ts";
import { type ACL, readACLs, readStat, type Stat, writeACLs, writeStat } from "./records.ts";
import { OpCode } from "./opcodes.ts";
import { Err } from "./errors.ts";

export interface ClientInfo {
  authScheme: string;
  user: string;
}

/** One result of a multi or multiRead: `type` is the sub-request's type, or -1 with `err` set. */
export interface OpResult {
  type: number;
  err: number;
  path?: string;
  stat?: Stat;
  data?: Uint8Array | null;
  children?: string[];
}

/** The union of response fields; which are present depends on the request type. */
export interface Response {
  path?: string;
  stat?: Stat;
  data?: Uint8Array | null;
  /** Server side: data given as a binary string (one char per byte), written in place of `data`. */
  binaryData?: string;
  acl?: ACL[];
  children?: string[];
  results?: OpResult[];
  ephemerals?: string[];
  totalNumber?: number;
  clientInfo?: ClientInfo[];
}

/** Writes the body that answers a successful request of `type`. */
export function writeResponse(w: JuteWriter, type: number, r: Response): void {
  switch (type) {
    case OpCode.create:
      w.string(r.path!);
      return;
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      w.string(r.path!);
      writeStat(w, r.stat!);
      return;
    case OpCode.exists:
    case OpCode.setData:
    case OpCode.setACL:
      writeStat(w, r.stat!);
      return;
    case OpCode.getData:
    case OpCode.reconfig:
      if (r.binaryData !== undefined) w.binaryBuffer(r.binaryData);
      else w.buffer(r.data ?? null);
      writeStat(w, r.stat!);
      return;
    case OpCode.getACL:
      writeACLs(w, r.acl!);
      writeStat(w, r.stat!);
      return;
    case OpCode.getChildren:
      w.stringVector(r.children!);
      return;
    case OpCode.getChildren2:
      w.stringVector(r.children!);
      writeStat(w, r.stat!);
      return;
    case OpCode.sync:
      w.string(r.path!);
      return;
    case OpCode.getEphemerals:
      w.stringVector(r.ephemerals!);
      return;
    case OpCode.getAllChildrenNumber:
      w.int(r.totalNumber!);
      return;
    case OpCode.addWatch:
      w.int(0); // ErrorResponse(0)
      return;
    case OpCode.whoAmI:
      w.int(r.clientInfo!.length);
      for (const c of r.clientInfo!) {
        w.string(c.authScheme);
        w.string(c.user);
      }
      return;
    case OpCode.multi:
    case OpCode.multiRead:
      for (const res of r.results!) {
        if (res.err !== Err.OK || res.type === OpCode.error) {
          w.int(-1);
          w.bool(false);
          w.int(res.err);
          w.int(res.err);
          continue;
        }
        w.int(res.type);
        w.bool(false);
        w.int(0);
        writeResponse(w, res.type, res);
      }
      w.int(-1);
      w.bool(true);
      w.int(-1);
      return;
    default:
      // delete, check, ping, setWatches, addWatch, removeWatches, checkWatches, closeSession, auth
      return;
  }
}

/** Reads the body of a successful response to a request of `type` (client side). */
export function readResponse(type: number, r: JuteReader): Response {
  switch (type) {
    case OpCode.create:
      return { path: r.str() };
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return { path: r.str(), stat: readStat(r) };
    case OpCode.exists:
    case OpCode.setData:
    case OpCode.setACL:
      return { stat: readStat(r) };
    case OpCode.getData:
    case OpCode.reconfig:
      return { data: r.buffer(), stat: readStat(r) };
    case OpCode.getACL:
      return { acl: readACLs(r) ?? [], stat: readStat(r) };
    case OpCode.getChildren:
      return { children: r.stringVector() ?? [] };
    case OpCode.getChildren2:
      return { children: r.stringVector() ?? [], stat: readStat(r) };
    case OpCode.sync:
      return { path: r.str() };
    case OpCode.getEphemerals:
      return { ephemerals: r.stringVector() ?? [] };
    case OpCode.getAllChildrenNumber:
      return { totalNumber: r.int() };
    case OpCode.whoAmI: {
      const n = r.count(8);
      const clientInfo: ClientInfo[] = [];
      for (let i = 0; i < n; i++) clientInfo.push({ authScheme: r.str(), user: r.str() });
      return { clientInfo };
    }
    case OpCode.multi:
    case OpCode.multiRead: {
      const results: OpResult[] = [];
      for (;;) {
        const t = r.int();
        const done = r.bool();
        const err = r.int();
        if (done) break;
        if (t === -1) {
          results.push({ type: -1, err: r.int() });
        } else {
          results.push({ type: t, err, ...readResponse(t, r) });
        }
      }
      return { results };
    }
    default:
      return {};
  }
}
