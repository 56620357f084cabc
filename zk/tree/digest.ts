/**
 * The data-tree digest of Apache ZooKeeper 3.6+ (`zookeeper.digest.enabled`, on by default): the
 * sum, as a wrapping Java long, of one CRC-32 per znode (DigestCalculator, digest version 2).
 * Apache writes it after every snapshot (a ZxidDigest) and after every txn of its log (a
 * TxnDigest), and compares it when it loads them, so herd keeps the same sum, updated on every
 * change, and writes and checks it the same way.
 *
 * A znode's CRC-32 covers, in order: the path's bytes ("" for the root), the data's bytes (none
 * for null), then czxid, mzxid, pzxid, ctime, mtime (longs), version, cversion, aversion (ints)
 * and ephemeralOwner (long), big-endian. cversion is the stored count of child creations, as in
 * a snapshot, not the Stat a client sees. Nodes under "/zookeeper/" (quota and config nodes,
 * which Apache updates locally) count 0; "/zookeeper" itself counts.
 *
 * @module
 */
import {
  CRC32_START,
  crc32BigLong,
  crc32Binary,
  crc32Bytes,
  crc32Finish,
  crc32Int,
  crc32Long,
  crc32Utf8,
} from "./crc32.ts";
import type { StoredData, Znode } from "./znode.ts";

/** DigestCalculator's DIGEST_VERSION in Apache 3.6–3.9. */
export const DIGEST_VERSION = 2;

/** ZooDefs.ZOOKEEPER_NODE_SUBTREE: nodes below it are left out of the digest. */
const UNCOUNTED = "/zookeeper/";

/** Whether the znode at `path` is part of the digest. */
export function isCounted(path: string): boolean {
  return !path.startsWith(UNCOUNTED);
}

/**
 * The znode's digest (0..2^32-1), 0 for a node that does not count. `data` overrides the node's
 * stored data: a caller holding it as bytes saves converting the stored form.
 */
export function znodeDigest(path: string, n: Znode, data: StoredData | Uint8Array = n.raw): number {
  if (!isCounted(path)) return 0;
  let c = CRC32_START;
  // Apache's tree holds the root under both "" and "/", and digests it as "".
  if (path !== "/") c = crc32Utf8(c, path);
  if (data !== null) c = typeof data === "string" ? crc32Binary(c, data) : crc32Bytes(c, data);
  c = crc32Long(c, n.czxid);
  c = crc32Long(c, n.mzxid);
  c = crc32Long(c, n.pzxid);
  c = crc32Long(c, n.ctime);
  c = crc32Long(c, n.mtime);
  c = crc32Int(c, n.version);
  c = crc32Int(c, n.cversion);
  c = crc32Int(c, n.aversion);
  c = crc32BigLong(c, n.ephemeralOwner);
  return crc32Finish(c);
}

const TWO_32 = 4294967296;

/**
 * A running sum of znode digests that wraps as a Java long does (AdHash). Kept as a low word and a
 * count of carries so that adding and removing stay plain number arithmetic: a double holds a sum
 * of 32-bit values exactly only up to ~2M nodes.
 */
export class TreeDigest {
  private lo = 0;
  private hi = 0;

  add(d: number): void {
    let lo = this.lo + d;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      this.hi++;
    }
    this.lo = lo;
  }

  remove(d: number): void {
    let lo = this.lo - d;
    if (lo < 0) {
      lo += TWO_32;
      this.hi--;
    }
    this.lo = lo;
  }

  clear(): void {
    this.lo = 0;
    this.hi = 0;
  }

  /** The sum as Apache logs and writes it: a signed 64-bit long. */
  get value(): bigint {
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) + BigInt(this.lo));
  }
}

/** A digest recorded for a zxid (DataTree.ZxidDigest; TxnDigest has no zxid of its own). */
export interface ZxidDigest {
  zxid: number;
  version: number;
  digest: bigint;
}
