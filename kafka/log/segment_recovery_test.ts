/**
 * The recovery rule on synthetic segments (v2 batches with right CRCs, from _test_batches.ts):
 * a torn tail is cut, bad bytes followed by a valid batch refuse, in one segment or across them.
 */
import assert from "node:assert/strict";
import {
  findIntactBatch,
  planRecovery,
  scanSegment,
  SegmentDamageError,
  type SegmentInput,
} from "./segment_recovery.ts";
import { crcValidator, segmentOf, type TestBatch, v1Message, v2Batch } from "./_test_batches.ts";

/** Ten batches of 3 records from `base`, 81 bytes each. */
function batches(base: number, n = 10): TestBatch[] {
  return Array.from({ length: n }, (_, i) => ({
    baseOffset: base + 3 * i,
    count: 3,
    maxTimestamp: 1_000 + i,
  }));
}

const SIZE = v2Batch(batches(0)[0]).length;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("recovery: a whole segment is clean, with every batch's boundaries", () => {
  const seg = segmentOf(batches(100));
  const scan = scanSegment(seg, 100, crcValidator);
  assert.equal(scan.verdict, "clean");
  assert.equal(scan.validBytes, seg.length);
  assert.deepEqual(scan.batches.map((b) => [b.position, b.baseOffset, b.lastOffset]).slice(0, 2), [
    [0, 100, 102],
    [SIZE, 103, 105],
  ]);
  assert.equal(scan.batches.at(-1)!.maxTimestamp, 1_009);
  assert.equal(scanSegment(new Uint8Array(0), 0, crcValidator).verdict, "clean");
});

Deno.test("recovery: a batch cut short at the end is a torn tail", () => {
  const seg = segmentOf(batches(0));
  for (const keep of [1, 11, 12, 17, 40, SIZE - 1]) {
    const torn = seg.subarray(0, 9 * SIZE + keep);
    const scan = scanSegment(torn, 0, crcValidator);
    assert.equal(scan.verdict, "torn-tail", `keep ${keep}`);
    assert.equal(scan.validBytes, 9 * SIZE);
    assert.equal(scan.batches.length, 9);
    assert.equal(scan.damage!.position, 9 * SIZE);
  }
});

Deno.test("recovery: zeros or garbage after the last batch are a torn tail", () => {
  const seg = segmentOf(batches(0));
  const zeros = scanSegment(concat(seg, new Uint8Array(4096)), 0, crcValidator);
  assert.equal(zeros.verdict, "torn-tail");
  assert.equal(zeros.validBytes, seg.length);
  assert.match(zeros.damage!.reason, /batch length 0 is below/);
  const junk = new Uint8Array(300).map((_, i) => (i * 31 + 7) & 0xff);
  assert.equal(scanSegment(concat(seg, junk), 0, crcValidator).verdict, "torn-tail");
  // The last batch written whole but with a bad CRC (its last page never reached the disk).
  const lastBad = seg.slice();
  lastBad[lastBad.length - 3] ^= 0xff;
  const scan = scanSegment(lastBad, 0, crcValidator);
  assert.equal(scan.verdict, "torn-tail");
  assert.match(scan.damage!.reason, /CRC mismatch/);
});

Deno.test("recovery: a bad batch followed by a valid one is damage, not a tail", () => {
  const seg = segmentOf(batches(0));
  const flipped = seg.slice();
  flipped[4 * SIZE + 70] ^= 0x01; // one bit in batch 4's records
  const scan = scanSegment(flipped, 0, crcValidator);
  assert.equal(scan.verdict, "damaged");
  assert.equal(scan.validBytes, 4 * SIZE);
  assert.equal(scan.intactAfter!.position, 5 * SIZE);
  assert.equal(scan.intactAfter!.baseOffset, 15);

  // A zeroed page hides where the next batch starts: found by trying every position.
  const zeroed = seg.slice();
  zeroed.fill(0, 2 * SIZE + 5, 3 * SIZE + 40);
  const z = scanSegment(zeroed, 0, crcValidator);
  assert.equal(z.verdict, "damaged");
  assert.equal(z.intactAfter!.position, 4 * SIZE);

  // A length field that lies sends the reader astray; the valid batches after are still found.
  const lying = seg.slice();
  new DataView(lying.buffer).setInt32(SIZE + 8, 5000);
  const l = scanSegment(lying, 0, crcValidator);
  assert.equal(l.verdict, "damaged");
  assert.equal(l.intactAfter!.position, 2 * SIZE);
});

Deno.test("recovery: offsets that go back or below the base offset are bad", () => {
  const back = segmentOf([
    { baseOffset: 10, count: 3, maxTimestamp: 1 },
    { baseOffset: 11, count: 3, maxTimestamp: 2 },
  ]);
  const scan = scanSegment(back, 10, crcValidator);
  assert.equal(scan.verdict, "torn-tail");
  assert.match(scan.damage!.reason, /does not follow the previous batch's last offset 12/);
  const below = scanSegment(segmentOf(batches(5, 1)), 10, crcValidator);
  assert.match(below.damage!.reason, /below the segment's base offset 10/);
  const overflow = scanSegment(
    segmentOf([{ baseOffset: 2 ** 31, count: 1, maxTimestamp: 1 }]),
    0,
    crcValidator,
  );
  assert.match(overflow.damage!.reason, /overflows the segment's relative offsets/);
});

Deno.test("recovery plan: cut a torn tail of the last segment", () => {
  const segs: SegmentInput[] = [
    { baseOffset: 0, bytes: segmentOf(batches(0)) },
    { baseOffset: 30, bytes: segmentOf(batches(30)).subarray(0, 5 * SIZE + 20) },
  ];
  const plan = planRecovery(segs, crcValidator);
  assert.deepEqual(plan.truncate?.baseOffset, 30);
  assert.equal(plan.truncate?.validBytes, 5 * SIZE);
  assert.deepEqual(plan.deleteSegments, []);
  assert.deepEqual(plan.scans.map((s) => s.verdict), ["clean", "torn-tail"]);
  assert.equal(planRecovery(segs.slice(0, 1), crcValidator).truncate, undefined);
});

Deno.test("recovery plan: a torn segment followed by a rolled, empty one", () => {
  const segs: SegmentInput[] = [
    { baseOffset: 0, bytes: segmentOf(batches(0)).subarray(0, 3 * SIZE + 7) },
    { baseOffset: 30, bytes: new Uint8Array(0) },
    { baseOffset: 31, bytes: new Uint8Array(100) },
  ];
  const plan = planRecovery(segs, crcValidator);
  assert.equal(plan.truncate?.validBytes, 3 * SIZE);
  assert.deepEqual(plan.deleteSegments, [30, 31]);
});

Deno.test("recovery plan: refuse when valid batches follow the damage, even in a later segment", () => {
  const flipped = segmentOf(batches(0));
  flipped[7 * SIZE + 30] ^= 0x10;
  assert.throws(
    () =>
      planRecovery(
        [{ baseOffset: 0, bytes: flipped, name: "t-0/00000000000000000000.log" }],
        crcValidator,
      ),
    (e) =>
      e instanceof SegmentDamageError &&
      e.message.startsWith(`t-0/00000000000000000000.log: bad bytes at position ${7 * SIZE}`) &&
      e.message.includes(`valid batch at position ${8 * SIZE} (offset 24)`),
  );
  const torn = segmentOf(batches(0)).subarray(0, 9 * SIZE + 3);
  assert.throws(
    () =>
      planRecovery([
        { baseOffset: 0, bytes: torn, name: "a.log" },
        { baseOffset: 30, bytes: segmentOf(batches(30)), name: "b.log" },
      ], crcValidator),
    /a.log: bad bytes at position 729 .* are followed by valid batches in b.log \(offset 30 at position 0\)/,
  );
});

Deno.test("findIntactBatch: none in zeros or noise", () => {
  assert.equal(findIntactBatch(new Uint8Array(10_000), 0, crcValidator), undefined);
  const noise = new Uint8Array(10_000).map((_, i) => (i * 2654435761) >>> 24);
  assert.equal(findIntactBatch(noise, 0, crcValidator), undefined);
  const hidden = concat(
    noise.subarray(0, 333),
    v2Batch({ baseOffset: 9, count: 1, maxTimestamp: 0 }),
  );
  assert.equal(findIntactBatch(hidden, 0, crcValidator)?.position, 333);
});

Deno.test("recovery: magic v1 messages have their own boundaries and timestamps", () => {
  const seg = concat(v1Message(7, 500), v1Message(8, 400, 30), v1Message(9, 600));
  const scan = scanSegment(seg, 7, crcValidator);
  assert.equal(scan.verdict, "clean");
  assert.deepEqual(scan.batches.map((b) => [b.position, b.lastOffset, b.maxTimestamp]), [
    [0, 7, 500],
    [44, 8, 400],
    [108, 9, 600],
  ]);
  const flipped = seg.slice();
  flipped[60] ^= 1;
  const bad = scanSegment(flipped, 7, crcValidator);
  assert.equal(bad.verdict, "damaged");
  assert.equal(bad.intactAfter?.position, 108);
});
