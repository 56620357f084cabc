/**
 * Checking the data-tree digest while loading, as Apache 3.8's DataTree and FileTxnSnapLog do:
 * the digest a snapshot ends with is compared once the replay reaches its zxid (at once when that
 * is the snapshot's own), and every logged TxnDigest after that against the tree just after its
 * txn. A mismatch is logged and counted (mntr's digest_mismatches_count), never fatal: Apache goes
 * on serving, and so does herd. The log lines are Apache's, with the class@line of Debian's
 * 3.8.0 build (captured in testdata/apache_digest/README.md).
 *
 * @module
 */
import type { DataTree } from "../tree/data_tree.ts";
import { DIGEST_VERSION, type ZxidDigest } from "../tree/digest.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { jute } from "./_jute_text.ts";

/** Where the check's lines go: the server's log, or a list in tests. */
export interface DigestLog {
  info(where: string, msg: string): void;
  warn(where: string, msg: string): void;
  error(where: string, msg: string): void;
  /** DataTree's RATE_LOGGER: a message repeated within its interval is counted, not logged. */
  rateLimited(msg: string, value: string): void;
  /** Logs what the rate logger holds back (Apache flushes it when a txn's digest matches). */
  flushRateLimited(): void;
}

const hex = (n: number) => n.toString(16);

export class DigestCheck {
  /** The snapshot's digest while the replay has not reached its zxid (digestFromLoadedSnapshot). */
  private target: ZxidDigest | null = null;
  private firstTxnMismatch = true;
  /** Digests found not to match (DIGEST_MISMATCHES_COUNT). */
  mismatches = 0;

  constructor(private readonly log: DigestLog) {}

  /**
   * The snapshot at `snapZxid` was read into `tree` and ended with `d` (undefined: it ends at
   * its seal). DataTree.deserializeZxidDigest, then FileSnap's comparison of a non-fuzzy one.
   */
  snapshotRead(d: ZxidDigest | undefined, snapZxid: number, tree: DataTree): void {
    this.target = null;
    if (d === undefined) {
      this.log.warn(
        "main:DataTree@1753",
        "Got EOF exception while reading the digest, likely due to the reading an older snapshot.",
      );
      return;
    }
    if (d.zxid <= 0) {
      this.log.info("main:DataTree@1723", "The digest value is empty in snapshot");
      return;
    }
    this.log.info(
      "main:DataTree@1716",
      `The digest in the snapshot has digest version of ${d.version}, with zxid as 0x${
        hex(d.zxid)
      }, and digest value as ${d.digest}`,
    );
    if (d.zxid < snapZxid) {
      this.log.info(
        "main:DataTree@1742",
        `The zxid of snapshot digest 0x${
          hex(d.zxid)
        } is smaller than the known snapshot highest zxid, the snapshot started with zxid 0x${
          hex(snapZxid)
        }. It will be invalid to use this snapshot digest associated with this zxid, will ignore comparing it.`,
      );
      return;
    }
    this.target = d;
    this.compareSnapshot(snapZxid, tree);
  }

  /** `e` was just applied to `tree` in the replay (processTxn, then compareDigest). */
  replayed(e: TxnEntry, tree: DataTree): void {
    const zxid = e.hdr.zxid;
    if (this.target !== null) this.compareSnapshot(zxid, tree);
    const d = e.digest;
    // Not while the tree may still be fuzzy: until the snapshot's digest zxid is reached.
    if (d === undefined || this.target !== null) return;
    if (d.version !== DIGEST_VERSION) {
      this.log.rateLimited("Digest version not the same on zxid.", String(zxid));
      return;
    }
    const actual = tree.digest.value;
    if (d.treeDigest === actual) return this.log.flushRateLimited();
    this.mismatch(zxid);
    if (this.firstTxnMismatch) {
      this.firstTxnMismatch = false;
      this.log.error(
        "main:DataTree@1818",
        `First digest mismatch on txn: ${jute.header(e.hdr)}, ${jute.txn(e.txn)}, ` +
          `expected digest is ${d.version},${d.treeDigest}\n, actual digest is ${actual}, `,
      );
    }
  }

  /** The replay ended at `highestZxid` (FileTxnSnapLog.restore's finaliser). */
  finished(highestZxid: number): void {
    if (this.target === null) return;
    this.log.warn(
      "main:FileTxnSnapLog@274",
      `Highest txn zxid 0x${hex(highestZxid)} is not covering the snapshot digest zxid 0x${
        hex(this.target.zxid)
      }, which might lead to inconsistent state`,
    );
  }

  /** DataTree.compareSnapshotDigests. */
  private compareSnapshot(zxid: number, tree: DataTree): void {
    const t = this.target!;
    if (zxid === t.zxid) {
      this.target = null;
      if (t.version !== DIGEST_VERSION) {
        this.log.info(
          "main:DataTree@1767",
          `Digest version changed, local: ${t.version}, new: ${DIGEST_VERSION}, skip comparing digest now.`,
        );
        return;
      }
      if (tree.digest.value !== t.digest) this.mismatch(zxid);
    } else if (zxid > t.zxid) {
      // Apache passes this message unformatted, "{}" and all.
      this.log.rateLimited("The txn 0x{} of snapshot digest does not exist.", hex(t.zxid));
    }
  }

  /** DataTree.reportDigestMismatch. */
  private mismatch(zxid: number): void {
    this.mismatches++;
    this.log.rateLimited("Digests are not matching. Value is Zxid.", String(zxid));
  }
}
