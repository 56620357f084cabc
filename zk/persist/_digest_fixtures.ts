/**
 * Test helpers: the dataDir Apache ZooKeeper 3.8.0 wrote here with digests
 * (testdata/apache_digest, its README says how), and a way to alter a snapshot's digest.
 */
import { Adler32 } from "./checksum.ts";

const DIR = new URL("./testdata/apache_digest/", import.meta.url);

/** One file of Apache's dataDir. */
export const fixture = (name: string): Uint8Array => Deno.readFileSync(new URL(name, DIR));

/** What Apache logged as the tree's digest after replaying log.1 (and wrote in snapshot.21). */
export const DIGEST_AT_0x21 = 30153688377n;

/** Rewrites the 20-byte ZxidDigest of a snapshot and its second seal. */
export function withTrailer(
  snap: Uint8Array,
  zxid: number,
  digest: bigint,
): Uint8Array<ArrayBuffer> {
  const b = snap.slice();
  const v = new DataView(b.buffer);
  const at = b.length - 33;
  v.setBigInt64(at, BigInt(zxid));
  v.setBigInt64(at + 12, digest);
  v.setBigInt64(at + 20, BigInt(Adler32.of(b, 0, at + 20)));
  return b;
}
