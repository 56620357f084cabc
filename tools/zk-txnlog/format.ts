/**
 * One logged txn as Apache's TxnLogToolkit prints it: `<date> session 0x… cxid 0x… zxid 0x… <op>
 * <body>`, where the body of create, createContainer, createTtl, setData and multi is spelled out by
 * TxnLogToolkit and every other body is the jute record's toString (ToStringOutputArchive: strings
 * quoted with a leading ', records as s{…}, vectors as v{…}, a trailing newline).
 *
 * @module
 */
import { JuteError, JuteReader } from "../../zk/jute/reader.ts";
import { OpCode } from "../../zk/jute/opcodes.ts";
import type { ACL } from "../../zk/jute/records.ts";
import { readTxn, readTxnHeader } from "../../zk/persist/txn_codec.ts";
import { javaHex, javaShortLongDateTime, javaUtf8 } from "./java_text.ts";

/** Request.op2String of Apache 3.8.0 for the types a log can hold. */
const OP_NAMES: Record<number, string> = {
  [OpCode.create]: "create",
  [OpCode.delete]: "delete",
  [OpCode.setData]: "setData",
  [OpCode.setACL]: "setACL",
  [OpCode.check]: "check",
  [OpCode.multi]: "multi",
  [OpCode.create2]: "create2",
  [OpCode.reconfig]: "reconfig",
  [OpCode.createContainer]: "createContainer",
  [OpCode.deleteContainer]: "deleteContainer",
  [OpCode.createTTL]: "createTtl",
  [OpCode.createSession]: "createSession",
  [OpCode.closeSession]: "closeSession",
  [OpCode.error]: "error",
};

/**
 * Apache's name of an op code, `unknown <n>` for codes no txn carries.
 *
 * @example
 * ```ts
 * opName(21); // "createTtl"
 * ```
 */
export function opName(type: number): string {
  return OP_NAMES[type] ?? `unknown ${type}`;
}

/** ToStringOutputArchive.escapeString. */
function str(s: string): string {
  return "'" +
    s.replace(
      /[\0\n\r,}%]/g,
      (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"),
    );
}

/** A List<ACL> through Java's List.toString: each ACL's own toString, ", "-joined, in [ ]. */
function aclList(acl: readonly ACL[]): string {
  return "[" + acl.map((a) => `${a.perms},s{${str(a.id.scheme)},${str(a.id.id)}}\n`).join(", ") +
    "]";
}

/** The same list as a vector field inside a record's toString. */
function aclVector(acl: readonly ACL[]): string {
  return "v{" + acl.map((a) => `s{${a.perms},s{${str(a.id.scheme)},${str(a.id.id)}}}`).join(",") +
    "}";
}

/** A multi's sub-txns: `<op>:<raw record bytes as UTF-8>`, ";"-joined, as TxnLogToolkit prints. */
function multiBody(r: JuteReader): string {
  const n = r.count(8);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const type = r.int();
    parts.push(`${opName(type)}:${javaUtf8(r.buffer())}`);
  }
  return parts.join(";");
}

/** The body of a txn of `type`, read from `r` (positioned after the TxnHeader). */
export function formatTxnBody(type: number, r: JuteReader): string {
  switch (type) {
    case OpCode.multi:
      return multiBody(r);
    case OpCode.reconfig: // logged as a SetDataTxn of /zookeeper/config
      return `${r.str()},${javaUtf8(r.buffer())},${r.int()}`;
    case OpCode.closeSession:
      // Logs from before CloseSessionTxn carry no body: Java prints nothing after the op.
      if (r.remaining === 0) return "";
      break;
    case OpCode.check:
      throw new JuteError(`Unsupported Txn with type=%d${type}`);
  }
  const t = readTxn(type, r);
  switch (t.type) {
    case OpCode.create:
    case OpCode.create2:
      return `${t.path},${javaUtf8(t.data)},${aclList(t.acl)},${t.ephemeral},${t.parentCVersion}`;
    case OpCode.createContainer:
      return `${t.path},${javaUtf8(t.data)},${aclList(t.acl)},${t.parentCVersion}`;
    case OpCode.createTTL:
      return `${t.path},${javaUtf8(t.data)},${aclList(t.acl)},${t.parentCVersion},${t.ttl}`;
    case OpCode.setData:
      return `${t.path},${javaUtf8(t.data)},${t.version}`;
    case OpCode.delete:
    case OpCode.deleteContainer:
      return `${str(t.path)}\n`;
    case OpCode.setACL:
      return `${str(t.path)},${aclVector(t.acl)},${t.version}\n`;
    case OpCode.createSession:
      return `${t.timeOut}\n`;
    case OpCode.closeSession:
      return `v{${t.paths2Delete.map(str).join(",")}}\n`;
    case OpCode.error:
      return `${t.err}\n`;
    default:
      throw new JuteError(`Unsupported Txn with type=%d${type}`);
  }
}

/**
 * One log entry (TxnHeader, body, optional digest) as TxnLogToolkit prints it, newline included.
 *
 * @example
 * ```ts
 * // "11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0x0 zxid 0x1 createSession 30000\n"
 * formatTxnEntry(entryBytes);
 * ```
 */
export function formatTxnEntry(bytes: Uint8Array): string {
  const r = new JuteReader(bytes);
  const h = readTxnHeader(r);
  const line = `${javaShortLongDateTime(h.time)} session 0x${javaHex(h.clientId)} cxid 0x${
    javaHex(h.cxid)
  } zxid 0x${javaHex(h.zxid)} ${opName(h.type)} ${formatTxnBody(h.type, r)}`;
  return line.endsWith("\n") ? line : line + "\n";
}
