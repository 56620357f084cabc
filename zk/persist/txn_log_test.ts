import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import { logName, readLogBytes, readLogFile, TxnLogWriter, zxidOfName } from "./txn_log.ts";
import { enc, entry, scenario, tempDataDirs } from "./_fixtures_test.ts";

const PREALLOC = 64 * 1024;

/** A log written by TxnLogWriter in batches, returned as its bytes and the entry offsets. */
async function writtenLog(batches = [4, 1, 3]) {
  const dirs = await tempDataDirs();
  const dir = `${dirs.logDir}/version-2`;
  const w = new TxnLogWriter(dir, PREALLOC, false);
  const all = scenario(1);
  let at = 0;
  for (const n of batches) {
    await w.append(all.slice(at, at + n));
    at += n;
  }
  const path = w.currentFile!;
  w.close();
  const bytes = await Deno.readFile(path);
  await dirs.cleanup();
  const written = all.slice(0, at);
  // Entry i starts after the header and the i previous entries (crc 8 + len 4 + body + 'B').
  const offsets: number[] = [];
  const view = new DataView(bytes.buffer);
  let off = 16;
  for (let i = 0; i < written.length; i++) {
    offsets.push(off);
    off += 12 + view.getInt32(off + 8) + 1;
  }
  return { bytes, path, written, offsets, end: off };
}

Deno.test("TxnLogWriter: log.<first zxid hex>, Apache's FileHeader, preallocated to 16 + n·blocks", async () => {
  const { bytes, path, written, end } = await writtenLog();
  assert.match(path, /\/version-2\/log\.1$/);
  assert.deepEqual([...bytes.subarray(0, 16)], [
    ...[0x5a, 0x4b, 0x4c, 0x47], // ZKLG
    ...[0, 0, 0, 2], // version
    ...[0, 0, 0, 0, 0, 0, 0, 0], // dbid 0
  ]);
  assert.equal(bytes.length, 16 + PREALLOC);
  assert.ok(bytes.subarray(end).every((b) => b === 0), "zeros after the last entry");
  const got = readLogFile(bytes);
  assert.deepEqual(got.entries, written);
  assert.deepEqual(got.end, { kind: "eof" });
  assert.equal(got.goodEnd, end);
});

Deno.test("TxnLogWriter: grows by whole preAllocSize blocks and rolls to a new file", async () => {
  const dirs = await tempDataDirs();
  try {
    const dir = `${dirs.logDir}/version-2`;
    const w = new TxnLogWriter(dir, 4096, true);
    const big = enc.encode("x".repeat(10_000));
    await w.append([entry(0x200000001, { type: OpCode.createSession, timeOut: 4000 })]);
    assert.equal(w.currentFile, `${dir}/log.200000001`);
    await w.append([entry(0x200000002, {
      type: OpCode.setData,
      path: "/",
      data: big,
      version: 1,
    })]);
    const size = (await Deno.stat(w.currentFile!)).size;
    assert.equal((size - 16) % 4096, 0);
    assert.ok(size >= 10_000 + 4096, `size ${size}`);
    w.roll();
    await w.append([entry(0x200000003, { type: OpCode.closeSession, paths2Delete: [] })]);
    assert.equal(w.currentFile, `${dir}/log.200000003`);
    w.close();
    const first = readLogFile(await Deno.readFile(`${dir}/log.200000001`));
    assert.deepEqual(first.entries.map((e) => e.hdr.zxid), [0x200000001, 0x200000002]);
    assert.equal(readLogFile(await Deno.readFile(`${dir}/log.200000003`)).entries.length, 1);
  } finally {
    await dirs.cleanup();
  }
});

Deno.test("readLogFile: a file cut inside an entry ends torn after the last whole entry", async () => {
  const { bytes, written, offsets } = await writtenLog();
  for (const cut of [offsets[5] + 8, offsets[5] + 12, offsets[6] - 1]) {
    const got = readLogFile(bytes.slice(0, cut));
    assert.equal(got.end.kind, "torn", `cut at ${cut}`);
    assert.equal(got.goodEnd, offsets[5]);
    assert.deepEqual(got.entries, written.slice(0, 5));
  }
  // Cut between entries, or inside the crc's always-zero high word: a clean end, as in Apache.
  for (const cut of [offsets[5], offsets[5] + 3]) {
    const clean = readLogFile(bytes.slice(0, cut));
    assert.deepEqual(clean.end, { kind: "eof" });
    assert.equal(clean.entries.length, 5);
  }
});

Deno.test("readLogFile: an entry whose body never reached the disk (zeros) is torn", async () => {
  const { bytes, written, offsets, end } = await writtenLog();
  const torn = bytes.slice();
  torn.fill(0, offsets[7] + 12, end); // crc and length written, body and 'B' still preallocated
  const got = readLogFile(torn);
  assert.equal(got.end.kind, "torn");
  assert.equal(got.goodEnd, offsets[7]);
  assert.deepEqual(got.entries, written.slice(0, 7));
});

Deno.test("readLogFile: a flipped byte is a checksum mismatch; nothing from there on is read", async () => {
  const { bytes, written, offsets } = await writtenLog();
  const bad = bytes.slice();
  bad[offsets[3] + 30] ^= 0x10;
  const got = readLogFile(bad);
  assert.deepEqual(got.end, { kind: "torn", offset: offsets[3], reason: "checksum mismatch" });
  assert.deepEqual(got.entries, written.slice(0, 3));
  // A flipped checksum byte is the same.
  const badCrc = bytes.slice();
  badCrc[offsets[3] + 7] ^= 1;
  assert.equal(readLogFile(badCrc).goodEnd, offsets[3]);
});

Deno.test("readLogFile: a missing end-of-record 'B' is torn", async () => {
  const { bytes, written, offsets } = await writtenLog();
  const bad = bytes.slice();
  bad[offsets[2] - 1] = 0x41;
  const got = readLogFile(bad);
  assert.deepEqual(got.end, {
    kind: "torn",
    offset: offsets[1],
    reason: "missing end-of-record marker",
  });
  assert.deepEqual(got.entries, written.slice(0, 1));
});

Deno.test("readLogFile: bad or short file headers are torn at 0", async () => {
  const { bytes } = await writtenLog();
  const badMagic = bytes.slice();
  badMagic[0] = 0x58;
  for (const b of [badMagic, bytes.slice(0, 10), new Uint8Array(0)]) {
    const got = readLogFile(b);
    assert.deepEqual(got.end, { kind: "torn", offset: 0, reason: "bad file header" });
    assert.equal(got.goodEnd, 0);
    assert.equal(got.entries.length, 0);
  }
  // A header and nothing else (a crash right after creating the file) is an empty, clean log.
  assert.deepEqual(readLogFile(bytes.slice(0, 16)).end, { kind: "eof" });
});

Deno.test("readLogFile: non-zero garbage shorter than an entry header is torn", async () => {
  const { bytes, offsets } = await writtenLog([2]);
  const bad = bytes.slice(0, offsets[1] + 13); // the next entry's header, but not its body
  const file = new Uint8Array(offsets[1] + 5);
  file.set(bytes.subarray(0, offsets[1]));
  file[offsets[1] + 2] = 7;
  const got = readLogFile(file);
  assert.equal(got.end.kind, "torn");
  assert.equal(got.entries.length, 1);
  assert.equal(readLogFile(bad).end.kind, "torn");
});

Deno.test("log and snapshot names carry the zxid in lower-case hex", () => {
  assert.equal(logName(0x800000001), "log.800000001");
  assert.equal(zxidOfName("log.b00000001", "log"), 0xb00000001);
  assert.equal(zxidOfName("snapshot.1a", "snapshot"), 0x1a);
  assert.equal(zxidOfName("snapshot.1a", "log"), null);
  assert.equal(zxidOfName("log.1.tmp", "log"), null);
  assert.equal(zxidOfName("acceptedEpoch", "log"), null);
});

Deno.test("readLogBytes: reads up to the end-of-log marker, not the preallocated zeros", async () => {
  const dirs = await tempDataDirs();
  try {
    const w = new TxnLogWriter(`${dirs.logDir}/version-2`, 4 * 1024 * 1024, false);
    const all = scenario(1);
    await w.append(all.slice(0, 10));
    await w.append(all.slice(10));
    const path = w.currentFile!;
    w.close();
    const whole = await Deno.readFile(path);
    const used = readLogBytes(path);
    assert.ok(whole.length >= 4 * 1024 * 1024);
    assert.deepEqual(used, whole.subarray(0, readLogFile(whole).goodEnd));
    assert.equal(readLogFile(used).entries.length, all.length);
    assert.equal(readLogFile(used).end.kind, "eof");
    // A torn entry after the good ones is handed over whole, for readLogFile to cut.
    const torn = whole.slice();
    const end = readLogFile(whole).goodEnd;
    torn.set([0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 40, 1, 2, 3], end);
    await Deno.writeFile(path, torn);
    const back = readLogFile(readLogBytes(path));
    assert.equal(back.entries.length, all.length);
    assert.equal(back.end.kind, "torn");
  } finally {
    await dirs.cleanup();
  }
});
