/**
 * TxnLogToolkit's chop mode (Apache's LogChopper): copy a log's entries up to and including a zxid
 * into `<file>.chopped<zxid>`, reporting gaps in the zxid sequence on the way.
 *
 * @module
 */
import { JuteReader } from "../../zk/jute/reader.ts";
import { Adler32 } from "../../zk/persist/checksum.ts";
import { readTxnHeader } from "../../zk/persist/txn_codec.ts";
import { formatTxnEntry } from "./format.ts";
import { fileHeader, type Sink } from "./dump.ts";

const LOG_MAGIC = 0x5a4b4c47;

/**
 * `Long.decode`: decimal, `0x`/`0X`/`#` hex or leading-zero octal, with an optional sign.
 *
 * @example
 * ```ts
 * javaLongDecode("0x1f"); // 31n
 * ```
 */
export function javaLongDecode(s: string): bigint {
  const m = /^([+-]?)(0[xX]|#|0(?=[0-7]))?([0-9a-fA-F]+)$/.exec(s);
  if (!m) throw new Error(`For input string: "${s}"`);
  const radix = m[2] === undefined ? 10 : m[2] === "0" ? 8 : 16;
  const digits = m[3];
  const valid = radix === 10 ? /^\d+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
  if (!valid.test(digits)) throw new Error(`For input string: "${s}"`);
  let v = 0n;
  for (const c of digits) v = v * BigInt(radix) + BigInt(parseInt(c, radix));
  return m[1] === "-" ? -v : v;
}

/**
 * Chops `bytes` at `zxid`. Returns the chopped file's bytes (header and the entries kept), whether
 * Apache would call the chop a success, and the message of the exception that stopped it, if any
 * (TxnLogToolkit prints it as "Got exception: …").
 */
export function chopTxnLog(
  bytes: Uint8Array,
  zxid: bigint,
  sink: Sink,
): { ok: boolean; chopped: Uint8Array; error?: string } {
  const parts: Uint8Array[] = [];
  const result = (ok: boolean, error?: string) => {
    const size = parts.reduce((n, p) => n + p.length, 0);
    const chopped = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      chopped.set(p, at);
      at += p.length;
    }
    return { ok, chopped, error };
  };
  const h = fileHeader(bytes);
  if (h.magic !== LOG_MAGIC) {
    sink.err("Invalid magic number in txn log file\n");
    return result(false);
  }
  sink.out(
    `ZooKeeper Transactional Log File with dbid ${h.dbid} txnlog format version ${h.version}\n`,
  );
  parts.push(bytes.subarray(0, 16));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  let hasZxid = false;
  let previous = -1n;
  for (let off = 16;;) {
    const len = off + 12 <= bytes.length ? view.getInt32(off + 8) : -1;
    if (len <= 0 || off + 12 + len > bytes.length) {
      sink.out(`EOF reached after ${count} txns.\n`);
      return result(false);
    }
    const crc = view.getBigInt64(off);
    const body = bytes.subarray(off + 12, off + 12 + len);
    const actual = BigInt(Adler32.of(body));
    if (crc !== actual) return result(false, `CRC doesn't match ${crc} vs ${actual}`);
    try {
      formatTxnEntry(body); // Apache deserializes the txn here: an undecodable one is an error
    } catch (e) {
      return result(false, (e as Error).message);
    }
    if (bytes[off + 12 + len] !== 0x42) {
      sink.out("Last transaction was partial.\n");
      return result(false, "Last transaction was partial.");
    }
    const txnZxid = BigInt(readTxnHeader(new JuteReader(body)).zxid);
    if (txnZxid === zxid) hasZxid = true;
    if (previous !== -1n && txnZxid !== previous + 1n) {
      const epoch = (z: bigint) => z >> 32n;
      if (epoch(txnZxid) === epoch(previous)) {
        sink.out(
          `There is intra-epoch gap between ${previous.toString(16)} and ${txnZxid.toString(16)}\n`,
        );
      } else if ((txnZxid & 0xffffffffn) !== 1n) {
        sink.out(
          `There is inter-epoch gap between ${previous.toString(16)} and ${txnZxid.toString(16)}\n`,
        );
      }
    }
    previous = txnZxid;
    if (txnZxid > zxid) {
      if (count === 0 || !hasZxid) {
        sink.out(`This log does not contain zxid ${BigInt.asUintN(64, zxid).toString(16)}\n`);
        return result(false);
      }
      sink.out(
        `Chopping at ${BigInt.asUintN(64, zxid).toString(16)} new log has ${count} records\n`,
      );
      return result(true);
    }
    parts.push(bytes.subarray(off, off + 13 + len));
    count++;
    off += 13 + len;
  }
}
