/**
 * Txn records as Apache's jute Record.toString prints them (ToStringOutputArchive): fields
 * comma-separated, strings with a leading ' and %-escapes, buffers as # and each byte through
 * Integer.toHexString (a byte above 0x7f is sign-extended: 0x80 → "ffffff80"), nested records as
 * s{…}, vectors as v{…}, a top-level record ended by a newline. For the log line that quotes a txn
 * whose digest does not match (DataTree.compareDigest).
 *
 * @module
 */
import type { ACL } from "../jute/records.ts";
import { OpCode } from "../jute/opcodes.ts";
import { JuteWriter } from "../jute/writer.ts";
import type { Txn, TxnHeader } from "../tree/txn.ts";
import { writeTxn } from "./txn_codec.ts";

function str(s: string): string {
  return "'" + s.replace(/[\0\n\r,}%]/g, (c) => {
    return "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
  });
}

function buf(b: Uint8Array): string {
  if (b.length === 0) return "";
  let s = "#";
  for (const x of b) s += (x < 0x80 ? x : (0xffffff00 | x) >>> 0).toString(16);
  return s;
}

function acls(list: readonly ACL[]): string {
  return `v{${list.map((a) => `s{${a.perms},s{${str(a.id.scheme)},${str(a.id.id)}}}`).join(",")}}`;
}

const bool = (b: boolean) => (b ? "T" : "F");

/** The fields of a txn record, without the top-level newline. */
function fields(t: Txn): string {
  switch (t.type) {
    case OpCode.create:
    case OpCode.create2:
      return `${str(t.path)},${buf(t.data)},${acls(t.acl)},${
        bool(t.ephemeral)
      },${t.parentCVersion}`;
    case OpCode.createContainer:
      return `${str(t.path)},${buf(t.data)},${acls(t.acl)},${t.parentCVersion}`;
    case OpCode.createTTL:
      return `${str(t.path)},${buf(t.data)},${acls(t.acl)},${t.parentCVersion},${t.ttl}`;
    case OpCode.delete:
    case OpCode.deleteContainer:
      return str(t.path);
    case OpCode.setData:
      return `${str(t.path)},${buf(t.data)},${t.version}`;
    case OpCode.setACL:
      return `${str(t.path)},${acls(t.acl)},${t.version}`;
    case OpCode.check:
      return `${str(t.path)},${t.version}`;
    case OpCode.createSession:
      return String(t.timeOut);
    case OpCode.closeSession:
      return `v{${t.paths2Delete.map(str).join(",")}}`;
    case OpCode.error:
      return String(t.err);
    case OpCode.multi: {
      const w = new JuteWriter(256);
      const subs = t.txns.map((s) => {
        w.reset();
        writeTxn(w, s);
        const type = s.type === OpCode.create2 ? OpCode.create : s.type;
        return `s{${type},${buf(w.buf.subarray(0, w.pos))}}`;
      });
      return `v{${subs.join(",")}}`;
    }
  }
}

/** Record.toString of the records a log entry holds. */
export const jute = {
  header: (h: TxnHeader): string =>
    `${BigInt.asIntN(64, h.clientId)},${h.cxid},${h.zxid},${h.time},${h.type}\n`,
  txn: (t: Txn): string => `${fields(t)}\n`,
};
