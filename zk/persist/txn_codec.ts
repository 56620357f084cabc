/**
 * Txn records as Apache serialises them in the txn log and in quorum proposals:
 * TxnHeader, then the body whose record type follows from the header's type.
 */
import { JuteError, type JuteReader } from "../jute/reader.ts";
import type { JuteWriter } from "../jute/writer.ts";
import { JuteReader as Reader } from "../jute/reader.ts";
import { JuteWriter as Writer } from "../jute/writer.ts";
import { readACLs, writeACLs } from "../jute/records.ts";
import { OpCode } from "../jute/opcodes.ts";
import type { Txn, TxnEntry, TxnHeader } from "../tree/txn.ts";
import { NULL_DATA, wireData } from "../tree/znode.ts";

export function writeTxnHeader(w: JuteWriter, h: TxnHeader): void {
  w.bigLong(h.clientId);
  w.int(h.cxid);
  w.long(h.zxid);
  w.long(h.time);
  w.int(h.type);
}

export function readTxnHeader(r: JuteReader): TxnHeader {
  return { clientId: r.bigLong(), cxid: r.int(), zxid: r.long(), time: r.long(), type: r.int() };
}

export function writeTxn(w: JuteWriter, t: Txn): void {
  switch (t.type) {
    case OpCode.create:
    case OpCode.create2:
      w.string(t.path);
      w.buffer(wireData(t.data));
      writeACLs(w, t.acl);
      w.bool(t.ephemeral);
      w.int(t.parentCVersion);
      return;
    case OpCode.createContainer:
      w.string(t.path);
      w.buffer(wireData(t.data));
      writeACLs(w, t.acl);
      w.int(t.parentCVersion);
      return;
    case OpCode.createTTL:
      w.string(t.path);
      w.buffer(wireData(t.data));
      writeACLs(w, t.acl);
      w.int(t.parentCVersion);
      w.long(t.ttl);
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
      w.string(t.path);
      return;
    case OpCode.setData:
      w.string(t.path);
      w.buffer(wireData(t.data));
      w.int(t.version);
      return;
    case OpCode.setACL:
      writeSetACL(w, t.path, t.acl, t.version);
      return;
    case OpCode.check:
      w.string(t.path);
      w.int(t.version);
      return;
    case OpCode.createSession:
      w.int(t.timeOut);
      return;
    case OpCode.closeSession:
      w.stringVector(t.paths2Delete);
      return;
    case OpCode.error:
      w.int(t.err);
      return;
    case OpCode.multi: {
      w.int(t.txns.length);
      const sub = new Writer(256);
      for (const s of t.txns) {
        sub.reset();
        writeTxn(sub, s);
        // Apache never logs a create2 inside a multi (its MultiOperationRecord turns every create
        // op into Op.create) and cannot replay one: DataTree.processTxn drops the rest of the multi
        // on an unknown sub-txn type. The body is the same CreateTxn, so log it as a create.
        w.int(s.type === OpCode.create2 ? OpCode.create : s.type);
        w.buffer(sub.buf.subarray(0, sub.pos));
      }
      return;
    }
  }
}

function writeSetACL(w: JuteWriter, path: string, acl: Parameters<typeof writeACLs>[1], v: number) {
  w.string(path);
  writeACLs(w, acl);
  w.int(v);
}

/** Reads the body of a txn whose header type is `type`; `end` bounds it (empty closeSession). */
export function readTxn(type: number, r: JuteReader): Txn {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
      return {
        type,
        path: r.str(),
        data: r.buffer() ?? NULL_DATA,
        acl: readACLs(r) ?? [],
        ephemeral: r.bool(),
        parentCVersion: r.int(),
      };
    case OpCode.createContainer:
      return {
        type,
        path: r.str(),
        data: r.buffer() ?? NULL_DATA,
        acl: readACLs(r) ?? [],
        parentCVersion: r.int(),
      };
    case OpCode.createTTL:
      return {
        type,
        path: r.str(),
        data: r.buffer() ?? NULL_DATA,
        acl: readACLs(r) ?? [],
        parentCVersion: r.int(),
        ttl: r.long(),
      };
    case OpCode.delete:
    case OpCode.deleteContainer:
      return { type, path: r.str() };
    case OpCode.setData:
      return { type, path: r.str(), data: r.buffer() ?? NULL_DATA, version: r.int() };
    case OpCode.setACL:
      return { type, path: r.str(), acl: readACLs(r) ?? [], version: r.int() };
    case OpCode.check:
      return { type, path: r.str(), version: r.int() };
    case OpCode.createSession:
      return { type, timeOut: r.int() };
    case OpCode.closeSession:
      // Older logs carry no body for closeSession.
      return { type, paths2Delete: r.remaining >= 4 ? r.stringVector() ?? [] : [] };
    case OpCode.error:
      return { type, err: r.int() };
    case OpCode.multi: {
      const n = r.count(8);
      const txns: Txn[] = [];
      for (let i = 0; i < n; i++) {
        const t = r.int();
        const b = r.buffer() ?? NULL_DATA;
        txns.push(readTxn(t, new Reader(b)));
      }
      return { type, txns };
    }
    default:
      throw new JuteError(`unknown txn type ${type}`);
  }
}

/** The bytes Apache logs for one txn: header then body (no digest: Apache accepts its absence). */
export function marshalTxnEntry(w: JuteWriter, e: TxnEntry): void {
  writeTxnHeader(w, e.hdr);
  writeTxn(w, e.txn);
}

/**
 * Decodes one logged txn, with the TxnDigest (int version, long tree digest) that Apache 3.6+
 * writes after it when digests are enabled; an entry without one (herd's, older Apache's) has none.
 */
export function unmarshalTxnEntry(bytes: Uint8Array): TxnEntry {
  const r = new Reader(bytes);
  const hdr = readTxnHeader(r);
  const txn = readTxn(hdr.type, r);
  if (r.remaining < 12) return { hdr, txn };
  return { hdr, txn, digest: { version: r.int(), treeDigest: r.bigLong() } };
}
