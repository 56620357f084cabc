import assert from "node:assert/strict";
import { segmentFileName } from "./segment_files.ts";
import { SegmentDamageError } from "./segment_recovery.ts";
import { PartitionLog, type PartitionLogOptions } from "./partition_log.ts";
import { config, ls, openTemp, producerBatch, recordsOf } from "./_log_test_util.ts";

const T0 = 1_700_000_000_000;
const SETTINGS = { "segment.bytes": 2000, "index.interval.bytes": 300 };

/** A closed log of 40 one-record batches over several segments; its dir and segments. */
async function written(): Promise<{ dir: string; logDir: string; bases: number[] }> {
  const { dir, logDir, log } = await openTemp(SETTINGS);
  for (let i = 0; i < 40; i++) await log.appendAsLeader(producerBatch(i, 1, T0 + i, 100), 0);
  await log.flush();
  const bases = log.segmentBaseOffsets;
  await log.close();
  return { dir, logDir, bases };
}

function reopen(logDir: string, o: Partial<PartitionLogOptions> = {}): Promise<PartitionLog> {
  return PartitionLog.open(logDir, {
    topicPartition: { topic: "t", partition: 0 },
    config: config(SETTINGS),
    clock: { now: () => T0 },
    hadCleanShutdown: false,
    recoveryPoint: 0,
    ...o,
  });
}

async function offsets(log: PartitionLog): Promise<number[]> {
  const out: number[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const recs = recordsOf((await log.read(next, 1 << 20, { minOneMessage: true })).records);
    out.push(...recs.map((r) => r[0]));
    next = recs.at(-1)![0] + 1;
  }
  return out;
}

function snapshot(dir: string): Map<string, Uint8Array> {
  return new Map(ls(dir).map((n) => [n, Deno.readFileSync(`${dir}/${n}`)]));
}

Deno.test("log loader: a torn tail is cut after a crash, and appends go on from there", async () => {
  const { dir, logDir, bases } = await written();
  try {
    const active = `${logDir}/${segmentFileName(bases.at(-1)!, "log")}`;
    const size = Deno.statSync(active).size;
    Deno.truncateSync(active, size - 30); // the last batch torn
    const log = await reopen(logDir);
    assert.equal(log.logEndOffset, 39);
    assert.deepEqual(await offsets(log), [...Array(39).keys()]);
    assert.equal((await log.appendAsLeader(producerBatch(39, 1, T0), 0)).baseOffset, 39);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log loader: zeros after the last batch (a preallocated or torn page) are cut", async () => {
  const { dir, logDir, bases } = await written();
  try {
    const active = `${logDir}/${segmentFileName(bases.at(-1)!, "log")}`;
    const bytes = Deno.readFileSync(active);
    const padded = new Uint8Array(bytes.length + 4096);
    padded.set(bytes);
    Deno.writeFileSync(active, padded);
    const log = await reopen(logDir);
    assert.equal(log.logEndOffset, 40);
    assert.equal(Deno.statSync(active).size, bytes.length);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log loader: damage followed by valid batches is refused, files unchanged", async () => {
  const { dir, logDir, bases } = await written();
  try {
    // A flipped bit in the middle of the second segment: later batches are intact.
    const seg = `${logDir}/${segmentFileName(bases[1], "log")}`;
    const bytes = Deno.readFileSync(seg);
    bytes[200] ^= 0x10;
    Deno.writeFileSync(seg, bytes);
    // A deleted leftover and a missing index: nothing may be touched before the refusal.
    Deno.writeFileSync(`${logDir}/${segmentFileName(0, "log")}.deleted`, new Uint8Array(3));
    Deno.removeSync(`${logDir}/${segmentFileName(bases.at(-1)!, "index")}`);
    const before = snapshot(logDir);
    await assert.rejects(reopen(logDir), (e) => {
      assert.ok(e instanceof SegmentDamageError);
      assert.match(e.message, new RegExp(`${segmentFileName(bases[1], "log")}: bad bytes`));
      assert.match(e.message, /refusing to cut data that may have been acknowledged/);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
    assert.deepEqual(snapshot(logDir), before);
    // With a clean shutdown and sound indexes, the damaged segment is not scanned at all.
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log loader: damage at the end of a middle segment with valid data in later ones is refused", async () => {
  const { dir, logDir, bases } = await written();
  try {
    const seg = `${logDir}/${segmentFileName(bases[0], "log")}`;
    Deno.truncateSync(seg, Deno.statSync(seg).size - 10);
    const before = snapshot(logDir);
    await assert.rejects(reopen(logDir), SegmentDamageError);
    assert.deepEqual(snapshot(logDir), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log loader: missing and corrupt indexes are rebuilt after a clean shutdown", async () => {
  const { dir, logDir, bases } = await written();
  try {
    const index = (b: number, k: "index" | "timeindex") => `${logDir}/${segmentFileName(b, k)}`;
    const want = [index(bases[0], "index"), index(bases[1], "timeindex")].map((p) =>
      Deno.readFileSync(p)
    );
    Deno.removeSync(index(bases[0], "index"));
    // Not whole entries: Kafka's sanity check fails, the index is rebuilt.
    Deno.writeFileSync(index(bases[1], "timeindex"), new Uint8Array(13));
    Deno.writeFileSync(`${logDir}/${segmentFileName(999, "index")}`, new Uint8Array(8));
    Deno.writeFileSync(`${logDir}/${segmentFileName(bases[0], "log")}.deleted`, new Uint8Array(3));
    const log = await reopen(logDir, { hadCleanShutdown: true });
    assert.deepEqual(Deno.readFileSync(index(bases[0], "index")), want[0]);
    assert.deepEqual(Deno.readFileSync(index(bases[1], "timeindex")), want[1]);
    assert.ok(!ls(logDir).includes(segmentFileName(999, "index")), "orphan index removed");
    assert.ok(!ls(logDir).some((n) => n.endsWith(".deleted")));
    assert.deepEqual(await offsets(log), [...Array(40).keys()]);
    assert.deepEqual(await log.offsetForTimestamp(T0 + 20), {
      timestamp: T0 + 20,
      offset: 20,
      leaderEpoch: 0,
    });
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log loader: without a clean shutdown every segment after the recovery point is checked", async () => {
  const { dir, logDir, bases } = await written();
  try {
    // A torn tail in the last segment: found only by a scan (the indexes are fine).
    const active = `${logDir}/${segmentFileName(bases.at(-1)!, "log")}`;
    Deno.truncateSync(active, Deno.statSync(active).size - 1);
    const clean = await reopen(logDir, { hadCleanShutdown: true });
    // Trusted as written: the torn batch is simply not readable past its end.
    await clean.close();
    const log = await reopen(logDir, { recoveryPoint: bases.at(-1)! });
    assert.equal(log.logEndOffset, 39);
    assert.equal(log.recoveryPoint, 39);
    await log.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log loader: an empty partition dir opens at the log start offset", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-plog-" });
  try {
    const log = await reopen(`${dir}/t-0`, { logStartOffset: 50, hadCleanShutdown: true });
    assert.equal(log.logEndOffset, 50);
    assert.deepEqual(log.segmentBaseOffsets, [50]);
    assert.equal((await log.appendAsLeader(producerBatch(0, 2, T0), 3)).baseOffset, 50);
    await log.close();
    assert.deepEqual(ls(`${dir}/t-0`), [
      segmentFileName(50, "index"),
      segmentFileName(50, "log"),
      // As Apache 2.8.2: an empty snapshot at the start of a log that has none after a clean
      // shutdown, and one at the log end at close.
      segmentFileName(50, "snapshot"),
      segmentFileName(50, "timeindex"),
      segmentFileName(52, "snapshot"),
      "leader-epoch-checkpoint",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log loader: an empty last segment past a hole (a roll whose writes were lost) is dropped", async () => {
  const { dir, logDir } = await written();
  try {
    // A power cut lost the last two appends of the active segment after a roll created the next.
    const log = await reopen(logDir, { hadCleanShutdown: true });
    const end = log.logEndOffset;
    await log.close();
    for (const k of ["log", "index", "timeindex"] as const) {
      Deno.writeFileSync(`${logDir}/${segmentFileName(end + 2, k)}`, new Uint8Array(0));
    }
    const again = await reopen(logDir);
    assert.equal(again.logEndOffset, end);
    assert.ok(!ls(logDir).includes(segmentFileName(end + 2, "log")));
    assert.equal((await again.appendAsLeader(producerBatch(end, 1, T0), 0)).baseOffset, end);
    assert.deepEqual(await offsets(again), [...Array(end + 1).keys()]);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
