/**
 * The data-tree digest against Apache 3.8.0's own: the files in testdata/apache_digest were written
 * by Apache (README.md there says how), and the log lines expected here are the ones Apache logged
 * on the same files, altered the same way.
 */
import assert from "node:assert/strict";
import { DataTree } from "../tree/data_tree.ts";
import { Adler32 } from "./checksum.ts";
import { recover } from "./recovery.ts";
import { readSnapshot, writeSnapshot } from "./snapshot.ts";
import { readLogFile } from "./txn_log.ts";
import { DigestCheck, type DigestLog } from "./digest_check.ts";
import { DIGEST_AT_0x21, fixture, withTrailer } from "./_digest_fixtures.ts";

Deno.test("herd's digest after every txn of Apache's log is the TxnDigest Apache wrote", () => {
  const { entries } = readLogFile(fixture("log.1"));
  assert.equal(entries.length, 33);
  const tree = new DataTree();
  for (const e of entries) {
    tree.apply(e.hdr, e.txn);
    assert.deepEqual(
      e.digest,
      { version: 2, treeDigest: tree.digest.value },
      `zxid 0x${e.hdr.zxid.toString(16)}`,
    );
  }
  assert.equal(tree.digest.value, DIGEST_AT_0x21);
});

Deno.test("Apache's snapshots: the digest they end with, and herd's digest of the tree they hold", () => {
  const s21 = readSnapshot(fixture("snapshot.21"), 0x21);
  assert.deepEqual(s21.digest, { zxid: 0x21, version: 2, digest: DIGEST_AT_0x21 });
  assert.equal(s21.tree.digest.value, DIGEST_AT_0x21);
  const s0 = readSnapshot(fixture("snapshot.0"), 0);
  assert.deepEqual(s0.digest, { zxid: 0, version: 2, digest: 0n });
});

Deno.test("herd's snapshot ends as Apache's: the same ZxidDigest, then a second seal", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // The empty tree: Apache writes the empty record (zxid 0, digest 0), byte for byte.
    const apache0 = fixture("snapshot.0");
    const herd0 = await Deno.readFile(await writeSnapshot(dir, new DataTree(), []));
    assert.deepEqual(herd0.subarray(-33, -13), apache0.subarray(-33, -13));
    // The tree Apache's snapshot.21 holds, written by herd: Apache's digest, and a sound seal.
    const { tree } = readSnapshot(fixture("snapshot.21"), 0x21);
    const bytes = await Deno.readFile(await writeSnapshot(dir, tree, []));
    assert.deepEqual(bytes.subarray(-33, -13), fixture("snapshot.21").subarray(-33, -13));
    assert.deepEqual(readSnapshot(bytes, 0x21).digest, {
      zxid: 0x21,
      version: 2,
      digest: DIGEST_AT_0x21,
    });
    // A second seal that does not match makes the snapshot invalid, as Apache's "CRC corruption".
    bytes[bytes.length - 6] ^= 1;
    assert.throws(() => readSnapshot(bytes, 0x21), /digest seal mismatch/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A DigestLog that keeps `[where] message` lines; the rate logger as Apache's first sight of one. */
function collect(): { log: DigestLog; lines: string[] } {
  const lines: string[] = [];
  let held: { msg: string; value: string; count: number } | null = null;
  const flush = () => {
    if (held && held.count > 0) {
      lines.push(`WARN [main:RateLogger@57] Message: ${held.msg} Last value:${held.value}`);
    }
    held = null;
  };
  const log: DigestLog = {
    info: (w, m) => lines.push(`INFO [${w}] ${m}`),
    warn: (w, m) => lines.push(`WARN [${w}] ${m}`),
    error: (w, m) => lines.push(`ERROR [${w}] ${m}`),
    // Within one load every repeat falls in RateLogger's 100 ms interval: counted, not logged.
    rateLimited: (msg, value) => {
      if (held?.msg === msg) {
        held.count++;
        held.value = value;
        return;
      }
      flush();
      held = { msg, value, count: 0 };
      lines.push(`WARN [main:RateLogger@87] Message:${msg} Value:${value}`);
    },
    flushRateLimited: flush,
  };
  return { log, lines };
}

/** Adds `delta` to the TxnDigest of the log entries with the given zxids, fixing their checksums. */
function withTxnDigests(log: Uint8Array, zxids: number[], delta: bigint): Uint8Array<ArrayBuffer> {
  const b = log.slice();
  const v = new DataView(b.buffer);
  for (let o = 16; o + 12 <= b.length;) {
    const len = v.getInt32(o + 8);
    const e = o + 12;
    if (zxids.includes(Number(v.getBigInt64(e + 12)))) {
      v.setBigInt64(e + len - 8, v.getBigInt64(e + len - 8) + delta);
      v.setBigInt64(o, BigInt(Adler32.of(b, e, e + len)));
    }
    o = e + len + 1;
  }
  return b;
}

/** Loads `snaps` and log.1 as herd starts, and returns what the digest check logged. */
async function load(snaps: Record<string, Uint8Array>, log: Uint8Array = fixture("log.1")) {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/version-2`);
    for (const [name, bytes] of Object.entries(snaps)) {
      await Deno.writeFile(`${dir}/version-2/${name}`, bytes);
    }
    await Deno.writeFile(`${dir}/version-2/log.1`, log);
    const { log: sink, lines } = collect();
    const check = new DigestCheck(sink);
    const rec = await recover(dir, dir, check);
    assert.equal(rec.tree.digest.value, DIGEST_AT_0x21);
    return { lines, mismatches: check.mismatches };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loading checks digests and logs what Apache 3.8.0 logs on the same files", async () => {
  const s21 = fixture("snapshot.21");
  const s0 = fixture("snapshot.0");
  const digestLine = (zxid: string, d: bigint) =>
    `INFO [main:DataTree@1716] The digest in the snapshot has digest version of 2, with zxid as ${zxid}, and digest value as ${d}`;
  const cases: [string, Promise<{ lines: string[]; mismatches: number }>, string[], number][] = [
    ["matching snapshot", load({ "snapshot.21": s21 }), [digestLine("0x21", DIGEST_AT_0x21)], 0],
    ["replay of matching txns", load({ "snapshot.0": s0 }), [
      "INFO [main:DataTree@1723] The digest value is empty in snapshot",
    ], 0],
    ["no digest", load({ "snapshot.21": s21.subarray(0, s21.length - 33) }), [
      "WARN [main:DataTree@1753] Got EOF exception while reading the digest, likely due to the reading an older snapshot.",
    ], 0],
    ["snapshot mismatch", load({ "snapshot.21": withTrailer(s21, 0x21, DIGEST_AT_0x21 + 1n) }), [
      digestLine("0x21", DIGEST_AT_0x21 + 1n),
      "WARN [main:RateLogger@87] Message:Digests are not matching. Value is Zxid. Value:33",
    ], 1],
    ["txn mismatch", load({ "snapshot.0": s0 }, withTxnDigests(fixture("log.1"), [5, 6], 7n)), [
      "INFO [main:DataTree@1723] The digest value is empty in snapshot",
      "WARN [main:RateLogger@87] Message:Digests are not matching. Value is Zxid. Value:5",
      "ERROR [main:DataTree@1818] First digest mismatch on txn: 72057624131862528,4,5,1796684325397,1\n" +
      ", '/persist/seq-0000000002,#74776f,v{s{31,s{'world,'anyone}}},F,3\n" +
      ", expected digest is 2,8412246152\n, actual digest is 8412246145, ",
      "WARN [main:RateLogger@57] Message: Digests are not matching. Value is Zxid. Last value:6",
    ], 2],
    ["digest beyond the log", load({ "snapshot.1c": withTrailer(s21, 0x30, DIGEST_AT_0x21) }), [
      digestLine("0x30", DIGEST_AT_0x21),
      "WARN [main:FileTxnSnapLog@274] Highest txn zxid 0x21 is not covering the snapshot digest zxid 0x30, which might lead to inconsistent state",
    ], 0],
    ["digest before the snapshot", load({ "snapshot.21": withTrailer(s21, 0x10, 1n) }), [
      digestLine("0x10", 1n),
      "INFO [main:DataTree@1742] The zxid of snapshot digest 0x10 is smaller than the known snapshot highest zxid, the snapshot started with zxid 0x21. It will be invalid to use this snapshot digest associated with this zxid, will ignore comparing it.",
    ], 0],
  ];
  for (const [what, loaded, lines, mismatches] of cases) {
    const got = await loaded;
    assert.deepEqual(got.lines, lines, what);
    assert.equal(got.mismatches, mismatches, what);
  }
});
