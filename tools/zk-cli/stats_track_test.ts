import assert from "node:assert/strict";
import { JavaCrash } from "./errors.ts";
import { StatsTrack } from "./stats_track.ts";

Deno.test("StatsTrack: 3.8's text, count and bytes first, then '=' and the other keys", () => {
  const q = new StatsTrack();
  q.count = 2n;
  q.bytes = -1n;
  q.countHardLimit = -1n;
  q.byteHardLimit = -1n;
  assert.equal(q.toString(), "count=2,bytes=-1=;byteHardLimit=-1;countHardLimit=-1");
  const usage = new StatsTrack();
  usage.count = 0n;
  usage.bytes = 0n;
  assert.equal(usage.toString(), "count=0,bytes=0");
  assert.equal(new StatsTrack().toString(), "count=-1,bytes=-1");
});

Deno.test("StatsTrack.parse reads back what it writes, and old-style text", () => {
  const text = "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=2";
  const t = StatsTrack.parse(text);
  assert.equal(t.countHardLimit, 2n);
  assert.equal(t.count, -1n);
  assert.equal(t.toString(), text);
  assert.equal(StatsTrack.parse("count=5,bytes=10").bytes, 10n);
  assert.equal(StatsTrack.parse("").count, -1n);
  assert.throws(() => StatsTrack.parse("hello"), JavaCrash);
  assert.throws(() => StatsTrack.parse("count=x"), JavaCrash);
});
