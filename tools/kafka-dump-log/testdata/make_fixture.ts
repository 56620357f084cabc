/**
 * Makes the dump-log fixture: segment, index, snapshot and txnindex files in `inputs/` (written
 * by herd's PartitionLog, crafted with herd's record builders, and Apache 2.8.2's own files copied
 * from kafka/log/testdata and kafka/group/testdata), then runs Apache 2.8.2's DumpLogSegments on
 * each case of `cases.ts` and records what it printed in `expected/<case>.txt`.
 *
 *   deno run -A tools/kafka-dump-log/testdata/make_fixture.ts
 *
 * Needs conformance/apache/fetch.sh (java and the Kafka jars).
 */
import { ManualClock } from "../../../internal/clock.ts";
import { buildRecordBatch } from "../../../kafka/protocol/records/batch_builder.ts";
import { Compression } from "../../../kafka/protocol/records/attributes.ts";
import { buildEndTxnMarkerBatch } from "../../../kafka/protocol/records/control.ts";
import { buildLegacyMessageSet } from "../../../kafka/protocol/records/legacy.ts";
import { crc32c } from "../../../kafka/protocol/records/crc32c.ts";
import { PartitionLog } from "../../../kafka/log/partition_log.ts";
import { logConfigFrom } from "../../../kafka/log/log_config.ts";
import {
  buildOffsetsTopicBatch,
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
} from "../../../kafka/group/records.ts";
import {
  encodeTransactionLogKey,
  encodeTransactionLogValue,
} from "../../../kafka/txn/transaction_log.ts";
import { KafkaWriter } from "../../../kafka/protocol/writer.ts";
import { CASES, runApache, runOutput } from "./cases.ts";

const HERE = new URL(".", import.meta.url).pathname;
const INPUTS = `${HERE}inputs`;
const T0 = 1_700_000_000_000;
const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A small partition written by herd's PartitionLog: rolls, sparse indexes, every codec. */
async function herdPartition(dir: string): Promise<void> {
  const settings = new Map<string, string>([
    ["segment.bytes", "4000"],
    ["index.interval.bytes", "512"],
  ]);
  const log = await PartitionLog.open(dir, {
    topicPartition: { topic: "herd", partition: 0 },
    config: logConfigFrom(settings),
    clock: new ManualClock(T0),
    hadCleanShutdown: true,
  });
  const codecs = [
    Compression.NONE,
    Compression.GZIP,
    Compression.SNAPPY,
    Compression.LZ4,
    Compression.ZSTD,
  ];
  let n = 0;
  for (let b = 0; b < 40; b++) {
    const count = 1 + (b % 3);
    const records = Array.from({ length: count }, (_, i) => ({
      timestamp: T0 + 10 * (n + i) - (b % 7 === 6 ? 25 : 0),
      key: b % 5 === 4 ? null : enc.encode(`k${n + i}`),
      value: b % 9 === 8 ? null : enc.encode(`value ${n + i} ü€ `.repeat(1 + (b % 4) * 5)),
      headers: b % 4 === 1
        ? [{ key: "h1", value: enc.encode("x") }, { key: "trace-ü", value: null }]
        : undefined,
    }));
    await log.appendAsLeader(
      buildRecordBatch({ records, compression: codecs[b % 5] }),
      b < 20 ? 0 : 2,
    );
    n += count;
  }
  log.updateConfig(
    logConfigFrom(new Map([...settings, ["message.timestamp.type", "LogAppendTime"]])),
  );
  for (let b = 0; b < 3; b++) {
    await log.appendAsLeader(
      buildRecordBatch({ records: [{ timestamp: 1, key: null, value: enc.encode("lat") }] }),
      2,
    );
  }
  await log.close();
}

/** v2 batches at chosen offsets, CRCs broken where asked. */
function crafted(): Record<string, Uint8Array> {
  const v = (
    baseOffset: number,
    count: number,
    extra: Partial<Parameters<typeof buildRecordBatch>[0]> = {},
  ) =>
    buildRecordBatch({
      baseOffset,
      records: Array.from({ length: count }, (_, i) => ({
        timestamp: T0 + baseOffset + i,
        key: enc.encode(`k${baseOffset + i}`),
        value: enc.encode(`v${baseOffset + i}`),
      })),
      ...extra,
    });
  const files: Record<string, Uint8Array> = {};
  // A size field below 14 after two good batches.
  const bad = new Uint8Array(v(2, 1));
  new DataView(bad.buffer).setInt32(8, 5);
  files["bad-size/00000000000000000000.log"] = concat([v(0, 1), v(1, 1), bad]);
  // A torn tail and then zeros.
  const torn = v(12, 3);
  files["tail/00000000000000000010.log"] = concat([
    v(10, 2),
    torn.subarray(0, 40),
    new Uint8Array(30),
  ]);
  // Gaps between offsets, a flipped CRC, idempotent and transactional batches, control records.
  const flipped = new Uint8Array(v(206, 2));
  flipped[17] ^= 0xff; // the stored CRC
  const leaderChange = buildRecordBatch({
    baseOffset: 210,
    isControl: true,
    records: [{ timestamp: T0, key: new Uint8Array([0, 0, 0, 3]), value: new Uint8Array(4) }],
  });
  const unknownControl = buildRecordBatch({
    baseOffset: 211,
    isControl: true,
    records: [{ timestamp: T0, key: new Uint8Array([0, 0, 0, 9]), value: null }],
  });
  files["mixed/00000000000000000200.log"] = concat([
    v(200, 3, { producerId: 7, producerEpoch: 1, baseSequence: 0x7ffffffe }),
    v(205, 1, { producerId: 8, producerEpoch: 0, baseSequence: 4, isTransactional: true }),
    flipped,
    buildEndTxnMarkerBatch({
      type: "ABORT",
      coordinatorEpoch: 5,
      producerId: 8,
      producerEpoch: 0,
      timestamp: T0 + 300,
      baseOffset: 209,
    }),
    leaderChange,
    unknownControl,
    v(212, 2, { timestampType: "LogAppendTime", logAppendTime: T0 + 999 }),
  ]);
  // Index entries: one right, one pointing at a batch ending elsewhere, then a zero tail.
  const index = new Uint8Array(32);
  const iv = new DataView(index.buffer);
  iv.setInt32(0, 2);
  iv.setInt32(4, 0);
  iv.setInt32(8, 5);
  iv.setInt32(12, 0);
  files["mixed/00000000000000000200.index"] = index;
  // Time entries: a mismatch, one going back, one whose offset is inside a batch, past the end.
  const time = new Uint8Array(60);
  const tv = new DataView(time.buffer);
  const entry = (i: number, ts: number, rel: number) => {
    tv.setInt32(i * 12, Math.floor(ts / 4294967296));
    tv.setUint32(i * 12 + 4, ts % 4294967296);
    tv.setInt32(i * 12 + 8, rel);
  };
  entry(0, T0 + 202, 2);
  entry(1, T0 + 100, 5);
  entry(2, T0 + 205, 6);
  entry(3, T0 + 999, 13);
  entry(4, T0 + 5000, 50);
  files["mixed/00000000000000000200.timeindex"] = time;
  // Indexes that fail the sanity check: a torn entry; a last offset below the base.
  files["sanity/00000000000000000400.log"] = v(400, 1);
  files["sanity/00000000000000000400.index"] = new Uint8Array(12);
  const back = new Uint8Array(16);
  new DataView(back.buffer).setInt32(8, -3);
  files["sanity/00000000000000000401.log"] = new Uint8Array(0);
  files["sanity/00000000000000000401.index"] = back;
  const timeBack = new Uint8Array(24);
  const tb = new DataView(timeBack.buffer);
  tb.setUint32(4, 500);
  tb.setUint32(16, 100);
  files["sanity/00000000000000000400.timeindex"] = timeBack;
  files["sanity/00000000000000000401.timeindex"] = new Uint8Array(13);
  // Legacy message sets: v0 and v1, plain and gzip, CreateTime and LogAppendTime.
  const rec = (i: number) => ({
    timestamp: T0 + i,
    key: enc.encode(`lk${i}`),
    value: enc.encode(`lv${i}`),
  });
  files["legacy/00000000000000000300.log"] = concat([
    buildLegacyMessageSet({ magic: 0, records: [rec(0), rec(1)], baseOffset: 300 }),
    buildLegacyMessageSet({
      magic: 0,
      records: [rec(2), rec(3)],
      baseOffset: 302,
      compression: Compression.GZIP,
    }),
    buildLegacyMessageSet({ magic: 1, records: [rec(4)], baseOffset: 304 }),
    buildLegacyMessageSet({
      magic: 1,
      records: [rec(5), rec(6), rec(7)],
      baseOffset: 305,
      compression: Compression.GZIP,
    }),
    buildLegacyMessageSet({
      magic: 1,
      records: [rec(8), rec(9)],
      baseOffset: 308,
      compression: Compression.SNAPPY,
      timestampType: "LogAppendTime",
      logAppendTime: T0 + 77,
    }),
  ]);
  // Snapshots: CRC broken; cut short; one producer with no batch (lastOffset -1) and a sequence wrap.
  const snapshot = (entries: number[][]) => {
    const body = new Uint8Array(4 + entries.length * 46);
    const d = new DataView(body.buffer);
    d.setInt32(0, entries.length);
    entries.forEach((e, i) => {
      const p = 4 + i * 46;
      d.setBigInt64(p, BigInt(e[0]));
      d.setInt16(p + 8, e[1]);
      d.setInt32(p + 10, e[2]);
      d.setBigInt64(p + 14, BigInt(e[3]));
      d.setInt32(p + 22, e[4]);
      d.setBigInt64(p + 26, BigInt(e[5]));
      d.setInt32(p + 34, e[6]);
      d.setBigInt64(p + 38, BigInt(e[7]));
    });
    return body;
  };
  const withHeader = (body: Uint8Array, version: number, crc: number) => {
    const out = new Uint8Array(6 + body.length);
    const d = new DataView(out.buffer);
    d.setInt16(0, version);
    d.setUint32(2, crc);
    out.set(body, 6);
    return out;
  };
  const body = snapshot([[9, 2, 1, 1200, 3, T0, 4, 1190], [10, 0, -1, -1, 0, -1, -1, -1]]);
  files["state/00000000000000000500.snapshot"] = withHeader(body, 1, crc32cOf(body));
  files["state/00000000000000000501.snapshot"] = withHeader(body, 1, 12345);
  files["state/00000000000000000502.snapshot"] = withHeader(body, 1, crc32cOf(body)).subarray(
    0,
    40,
  );
  files["state/00000000000000000503.snapshot"] = withHeader(body, 2, crc32cOf(body));
  const txn = new Uint8Array(34 * 2 + 10);
  const xd = new DataView(txn.buffer);
  [[5, 700, 705, 706], [6, 702, 710, 711]].forEach((t, i) => {
    xd.setBigInt64(i * 34 + 2, BigInt(t[0]));
    xd.setBigInt64(i * 34 + 10, BigInt(t[1]));
    xd.setBigInt64(i * 34 + 18, BigInt(t[2]));
    xd.setBigInt64(i * 34 + 26, BigInt(t[3]));
  });
  files["state/00000000000000000700.txnindex"] = txn;
  return files;
}

function crc32cOf(b: Uint8Array): number {
  return crc32c(b, 0, b.length);
}

/** A consumer protocol subscription (version 0). */
function subscription(topics: string[]): Uint8Array {
  const w = new KafkaWriter(64);
  w.int16(0);
  w.int32(topics.length);
  for (const t of topics) w.string(t);
  w.int32(-1);
  return w.written().slice();
}

/** A consumer protocol assignment (version 0 or 1 with user data). */
function assignment(parts: [string, number[]][], userData: Uint8Array | null): Uint8Array {
  const w = new KafkaWriter(256);
  w.int16(userData === null ? 0 : 1);
  w.int32(parts.length);
  for (const [topic, ps] of parts) {
    w.string(topic);
    w.int32(ps.length);
    for (const p of ps) w.int32(p);
  }
  if (userData === null) w.int32(-1);
  else w.bytes(userData);
  return w.written().slice();
}

/** `__consumer_offsets` records: many members (hash order), user data, another protocol type. */
function offsetsLog(): Uint8Array {
  const member = (i: number, assign: Uint8Array) => ({
    memberId: `consumer-${i}-${(i * 2654435761 >>> 0).toString(16)}`,
    groupInstanceId: i % 3 === 0 ? `inst-${i}` : null,
    clientId: `consumer-${i}`,
    clientHost: "/127.0.0.1",
    rebalanceTimeoutMs: 300000,
    sessionTimeoutMs: 10000,
    subscription: subscription(["t", "u"]),
    assignment: assign,
  });
  const big = groupMetadataValue({
    protocolType: "consumer",
    generation: 7,
    protocol: "range",
    leader: "consumer-0",
    currentStateTimestamp: T0,
    members: Array.from(
      { length: 20 },
      (_, i) =>
        member(
          i,
          assignment(
            [["t", [i]], ["u", [i, i + 20]]],
            i % 4 === 0 ? new Uint8Array([0, 1, 0xab]) : null,
          ),
        ),
    ),
  });
  const connect = groupMetadataValue({
    protocolType: "connect",
    generation: 2,
    protocol: "default",
    leader: null,
    currentStateTimestamp: T0,
    members: [member(1, new Uint8Array([0, 0x0f, 0xa0])), member(2, new Uint8Array(0))],
  });
  const empty = groupMetadataValue({
    protocolType: "",
    generation: 0,
    protocol: null,
    leader: null,
    currentStateTimestamp: T0,
    members: [],
  });
  const commit = (offset: number, metadata: string) =>
    offsetCommitValue({
      offset,
      leaderEpoch: 0,
      metadata,
      commitTimestamp: T0,
      expireTimestamp: null,
    });
  return concat([
    withBase(
      buildOffsetsTopicBatch([{ key: groupMetadataKey('big "group"'), value: big }], T0, false),
      0,
    ),
    withBase(
      buildOffsetsTopicBatch(
        [
          { key: offsetCommitKey("g", "t", 0), value: commit(5, "") },
          { key: offsetCommitKey("g", "t", 1), value: commit(6, "meta\tdata") },
          { key: offsetCommitKey("g", "t", 2), value: null },
        ],
        T0 + 1,
        true,
      ),
      1,
    ),
    withBase(
      buildOffsetsTopicBatch([{ key: groupMetadataKey("conn"), value: connect }], T0 + 2, false),
      4,
    ),
    withBase(
      buildOffsetsTopicBatch([{ key: groupMetadataKey("e"), value: empty }], T0 + 3, false),
      5,
    ),
    withBase(
      buildOffsetsTopicBatch([{ key: groupMetadataKey("gone"), value: null }], T0 + 4, false),
      6,
    ),
  ]);
}

/** `__transaction_state` records: a transaction over 20 partitions (hash set order), a tombstone. */
function txnLog(): Uint8Array {
  const value = encodeTransactionLogValue({
    producerId: 3000,
    producerEpoch: 4,
    transactionTimeoutMs: 60000,
    state: "Ongoing",
    partitions: [
      { topic: "orders", partitionIds: Array.from({ length: 12 }, (_, i) => i) },
      { topic: "payments", partitionIds: [3, 1, 2, 0, 7, 6, 5, 4] },
    ],
    lastUpdateTimestampMs: T0,
    startTimestampMs: T0 - 5,
  });
  return concat([
    withBase(
      buildRecordBatch({
        records: [{ timestamp: T0, key: encodeTransactionLogKey("tx-1"), value }],
      }),
      0,
    ),
    withBase(
      buildRecordBatch({
        records: [{ timestamp: T0, key: encodeTransactionLogKey("tx-2"), value: null }],
      }),
      1,
    ),
  ]);
}

/** Sets a built batch's base offset (the CRC does not cover it). */
function withBase(batch: Uint8Array, base: number): Uint8Array {
  new DataView(batch.buffer, batch.byteOffset).setBigInt64(0, BigInt(base));
  return batch;
}

async function makeInputs(): Promise<void> {
  await Deno.remove(INPUTS, { recursive: true }).catch(() => {});
  await Deno.mkdir(INPUTS, { recursive: true });
  await herdPartition(`${INPUTS}/herd-0`);
  for (const [path, bytes] of Object.entries(crafted())) {
    await Deno.mkdir(`${INPUTS}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeFile(`${INPUTS}/${path}`, bytes);
  }
  await Deno.mkdir(`${INPUTS}/offsets`, { recursive: true });
  await Deno.writeFile(`${INPUTS}/offsets/00000000000000000000.log`, offsetsLog());
  await Deno.mkdir(`${INPUTS}/txnlog`, { recursive: true });
  await Deno.writeFile(`${INPUTS}/txnlog/00000000000000000000.log`, txnLog());
  // Apache 2.8.2's own files (see kafka/log/testdata and kafka/group/testdata READMEs).
  const apache = `${HERE}../../../kafka/log/testdata`;
  await Deno.mkdir(`${INPUTS}/apache-pid`, { recursive: true });
  for (const e of Deno.readDirSync(`${apache}/apache-2.8.2-txn/herd-pid-0`)) {
    await Deno.copyFile(
      `${apache}/apache-2.8.2-txn/herd-pid-0/${e.name}`,
      `${INPUTS}/apache-pid/${e.name}`,
    );
  }
  await Deno.mkdir(`${INPUTS}/apache-log`, { recursive: true });
  for (const e of Deno.readDirSync(`${apache}/apache-2.8.2/herd-log-0`)) {
    await Deno.copyFile(
      `${apache}/apache-2.8.2/herd-log-0/${e.name}`,
      `${INPUTS}/apache-log/${e.name}`,
    );
  }
  await Deno.mkdir(`${INPUTS}/apache-txnlog`, { recursive: true });
  await Deno.copyFile(
    `${apache}/apache-2.8.2-txn/__transaction_state-0/00000000000000000000.log`,
    `${INPUTS}/apache-txnlog/00000000000000000000.log`,
  );
  await Deno.mkdir(`${INPUTS}/apache-offsets`, { recursive: true });
  await Deno.copyFile(
    `${HERE}../../../kafka/group/testdata/apache-2.8.2/__consumer_offsets-0.log`,
    `${INPUTS}/apache-offsets/00000000000000000000.log`,
  );
}

if (import.meta.main) {
  await makeInputs();
  await Deno.remove(`${HERE}expected`, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${HERE}expected`, { recursive: true });
  for (const c of CASES) {
    const r = await runApache(INPUTS, c.args);
    await Deno.writeTextFile(`${HERE}expected/${c.name}.txt`, runOutput(r));
    console.log(`${c.name}: rc ${r.code}`);
  }
}
