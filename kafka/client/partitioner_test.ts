import assert from "node:assert/strict";
import { DefaultPartitioner, murmur2, partitionForKey } from "./partitioner.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Apache 2.8.2's `Utils.murmur2` on this machine (jshell on kafka-clients-2.8.2.jar, see
 * testdata/README.md), with `toPositive(h) % 3` and `% 7`.
 */
const APACHE: [string, number, number, number][] = [
  ["21", -973932308, 0, 3],
  ["foobar", -790332482, 0, 0],
  ["a-little-bit-long-string", -985981536, 2, 1],
  ["a-little-bit-longer-string", -1486304829, 2, 0],
  ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971, 2, 3],
  ["abc", 479470107, 0, 4],
  ["", 275646681, 0, 2],
  ["k", -1567496736, 2, 1],
  ["key1", 28543940, 2, 5],
  ["héllo", 614509002, 0, 2],
];

Deno.test("murmur2 and the key's partition are Apache's", () => {
  for (const [key, hash, of3, of7] of APACHE) {
    assert.equal(murmur2(utf8(key)), hash, key);
    assert.equal(partitionForKey(utf8(key), 3), of3, key);
    assert.equal(partitionForKey(utf8(key), 7), of7, key);
  }
});

Deno.test("keyless records stick to one partition until its batch is sent", () => {
  let n = 0;
  const rolls = [0.1, 0.1, 0.9, 0.5];
  const p = new DefaultPartitioner(() => rolls[n++ % rolls.length]);
  const first = p.partition("t", null, [0, 1, 2], 3);
  assert.equal(first, 0);
  assert.equal(p.partition("t", null, [0, 1, 2], 3), 0, "sticky");
  // The next roll would pick 0 again: a different partition is drawn.
  p.onNewBatch("t", 0, [0, 1, 2], 3);
  assert.equal(p.partition("t", null, [0, 1, 2], 3), 2);
  // A batch of another partition completing does not move the sticky one.
  p.onNewBatch("t", 1, [0, 1, 2], 3);
  assert.equal(p.partition("t", null, [0, 1, 2], 3), 2);
  assert.equal(p.partition("t", utf8("k"), [0, 1, 2], 3), 2, "keys ignore stickiness");
});
