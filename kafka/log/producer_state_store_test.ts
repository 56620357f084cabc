import assert from "node:assert/strict";
import { type ProducerStateLogView, ProducerStateStore } from "./producer_state_store.ts";
import { segmentFileName } from "./segment_files.ts";

/** Apache 2.8.2's partition (testdata/apache-2.8.2-txn/README.md): segments 0, 19, 31; end 38. */
const FIXTURE = new URL("./testdata/apache-2.8.2-txn/herd-pid-0/", import.meta.url).pathname;
const BASES = [0, 19, 31];
const NOW = 1_700_000_001_000;

/** Apache's segments as a log view (whole segments: the tests load up to the log end). */
const apacheLog: ProducerStateLogView = {
  logStartOffset: 0,
  segmentBaseOffsets: () => BASES,
  readSegment: (base) => Deno.readFile(`${FIXTURE}${segmentFileName(base, "log")}`),
};

/** A temp partition dir holding Apache's snapshots named in `keep`. */
async function dirWith(keep: number[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "herd-pid-store-" });
  for (const o of keep) {
    await Deno.copyFile(
      `${FIXTURE}${segmentFileName(o, "snapshot")}`,
      `${dir}/${segmentFileName(o, "snapshot")}`,
    );
  }
  return dir;
}

function snapshotsIn(dir: string): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const e of Deno.readDirSync(dir)) {
    out.set(Number(e.name.slice(0, 20)), Deno.readFileSync(`${dir}/${e.name}`));
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

function apacheSnapshot(offset: number): Uint8Array {
  return Deno.readFileSync(`${FIXTURE}${segmentFileName(offset, "snapshot")}`);
}

Deno.test("rebuild without snapshots after a crash scans the log and writes Apache's three snapshots", async () => {
  const dir = await dirWith([]);
  try {
    const store = await ProducerStateStore.open(dir, "herd-pid-0");
    await store.rebuild(apacheLog, 38, false, NOW);
    const got = snapshotsIn(dir);
    assert.deepEqual([...got.keys()], [19, 31, 38]);
    for (const [o, bytes] of got) assert.deepEqual(bytes, apacheSnapshot(o), `snapshot ${o}`);
    assert.equal(
      store.state.firstUnstableOffset(),
      27,
      "the commit at 31 waits for the high watermark",
    );
    store.state.onHighWatermarkUpdated(38);
    assert.equal(store.state.lastStableOffset(38), 36);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rebuild from a snapshot reads only the segments after it; a corrupt newest one is deleted", async () => {
  const dir = await dirWith([19, 31, 38]);
  try {
    await Deno.writeFile(`${dir}/${segmentFileName(38, "snapshot")}`, new Uint8Array([0, 1, 2]));
    const read: number[] = [];
    const store = await ProducerStateStore.open(dir, "herd-pid-0");
    const warnings: string[] = [];
    await store.rebuild(
      { ...apacheLog, readSegment: (b, f, t) => (read.push(b), apacheLog.readSegment(b, f, t)) },
      38,
      false,
      NOW,
      (w) => warnings.push(w),
    );
    assert.deepEqual(read, [31]);
    assert.match(warnings[0], /Snapshot failed schema validation/);
    assert.deepEqual(snapshotsIn(dir).get(38), apacheSnapshot(38));
    assert.equal(store.state.size, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rebuild after a clean shutdown loads the end snapshot and reads nothing", async () => {
  const dir = await dirWith([19, 31, 38]);
  try {
    const store = await ProducerStateStore.open(dir, "herd-pid-0");
    await store.rebuild(
      { ...apacheLog, readSegment: () => Promise.reject(new Error("read")) },
      38,
      true,
      NOW,
    );
    assert.equal(store.state.mapEndOffset, 38);
    assert.equal(store.state.lastEntry(2)?.currentTxnFirstOffset, 36);
    assert.equal(store.state.firstUnstableOffset(), 36);
    // Producers idle past transactional.id.expiration.ms are dropped on load; the open
    // transaction's producer stays.
    const old = await ProducerStateStore.open(dir, "herd-pid-0", 500); // last writes 740-890 ms before NOW
    await old.rebuild(apacheLog, 38, true, NOW);
    assert.deepEqual(old.state.entries().map((e) => e.producerId), [2]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a log from before idempotence, shut down cleanly: empty snapshots, no scan", async () => {
  const dir = await dirWith([]);
  try {
    const store = await ProducerStateStore.open(dir, "herd-pid-0");
    await store.rebuild(
      { ...apacheLog, readSegment: () => Promise.reject(new Error("read")) },
      38,
      true,
      NOW,
    );
    const got = snapshotsIn(dir);
    assert.deepEqual([...got.keys()], [19, 31, 38]);
    assert.deepEqual(got.get(38), Uint8Array.from([0, 1, 0x48, 0x67, 0x4b, 0xc7, 0, 0, 0, 0]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("truncation below a snapshot reloads from an older one and replays the rest", async () => {
  const dir = await dirWith([]);
  try {
    const store = await ProducerStateStore.open(dir, "herd-pid-0");
    await store.rebuild(apacheLog, 38, false, NOW);
    // Truncate to 33 (inside the aborted transaction): snapshot 38 goes, 31 is loaded, 31-32 replayed.
    const cut: ProducerStateLogView = {
      ...apacheLog,
      readSegment: async (b, f, t) => {
        const bytes = await apacheLog.readSegment(b, f, t);
        return b === 31 ? bytes.subarray(0, 78 + 111) : bytes; // marker 31 + batch 32 (dump-log sizes)
      },
    };
    await store.rebuild(cut, 33, false, NOW);
    assert.deepEqual([...snapshotsIn(dir).keys()], [19, 31, 33]);
    assert.equal(store.state.lastEntry(2)?.currentTxnFirstOffset, 32);
    assert.equal(store.state.lastEntry(2)?.batches.at(-1)?.lastSeq, 4);
    await store.truncateFullyAndStartAt(100);
    assert.deepEqual([...snapshotsIn(dir).keys()], []);
    assert.equal(store.state.size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
