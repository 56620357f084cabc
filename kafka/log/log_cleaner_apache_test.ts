/**
 * herd's log cleaner against Apache Kafka 2.8.2's, on one broker run:
 *
 * - the same keyed records (tombstones among them, one batch each, small segments,
 *   min.cleanable.dirty.ratio=0.01) go to a topic on Apache's broker, which cleans it, and into a
 *   herd log, which herd's cleaner cleans: the surviving offset/key/value/timestamp lists match;
 * - herd's LogManager opens the log dir Apache compacted and serves what Apache served;
 * - `kafka-dump-log --deep-iteration --index-sanity-check` reads herd's cleaned segments (every
 *   index passes, every surviving record at its offset), and Apache started on that dir serves
 *   herd's compacted partition.
 *
 * Needs java, the Kafka jars and kafka-python: skipped with the reason when missing, failing under
 * CI=true.
 */
import assert from "node:assert/strict";
import { systemClock } from "../../internal/clock.ts";
import {
  ApacheBroker,
  apacheIgnored,
  kafkaTool,
  python,
  requireApache,
  waitFor,
  ZooKeeper,
} from "./_apache.ts";
import { allRecords, keyed, type Rec, recordsIn } from "./_cleaner_test_util.ts";
import { LogManager } from "./log_manager.ts";
import { readOffsetCheckpoint } from "./offset_checkpoint.ts";
import { parseSegmentFileName } from "./segment_files.ts";

const T0 = 1_700_000_000_000;
const N = 300;
const TOPIC_CONFIG = {
  "cleanup.policy": "compact",
  "segment.bytes": "2048",
  "min.cleanable.dirty.ratio": "0.01",
  "segment.ms": "604800000",
  "index.interval.bytes": "256",
};

/** The input: record i has key k(i*7 mod 23), a tombstone every 11th, timestamp T0 + i. */
function input(i: number): [string, string | null, number] {
  const key = `k${(i * 7) % 23}`;
  return [key, i % 11 === 10 ? null : `value ${i} `.padEnd(40, "."), T0 + i];
}

const PRODUCE_PY = `
import sys
from kafka import KafkaProducer
bootstrap, topic, n, t0 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
p = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=0, acks=1, api_version=(2, 1))
for i in range(n):
    key = b"k%d" % ((i * 7) % 23)
    value = None if i % 11 == 10 else ("value %d " % i).ljust(40, ".").encode()
    p.send(topic, key=key, value=value, partition=0, timestamp_ms=t0 + i).get(timeout=30)
p.close()
`;

const READ_PY = `
import sys, json
from kafka import KafkaConsumer, TopicPartition
bootstrap, topic = sys.argv[1], sys.argv[2]
tp = TopicPartition(topic, 0)
c = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, api_version=(2, 1))
c.assign([tp])
c.seek_to_beginning(tp)
end = c.end_offsets([tp])[tp]
got = []
while c.position(tp) < end:
    for recs in c.poll(timeout_ms=2000).values():
        got.extend({"offset": r.offset, "key": r.key.decode(), "value": None if r.value is None else r.value.decode(), "timestamp": r.timestamp} for r in recs)
print(json.dumps(got))
c.close()
`;

/** Every record in a partition dir's `.log` files, in offset order. */
function recordsOnDisk(dir: string): Rec[] {
  const logs = [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) =>
      parseSegmentFileName(n)?.kind === "log" && parseSegmentFileName(n)?.suffix === ""
    )
    .sort();
  return logs.flatMap((n) => recordsIn(Deno.readFileSync(`${dir}/${n}`)));
}

function createTopic(broker: ApacheBroker, topic: string): Promise<unknown> {
  return kafkaTool("kafka-topics.sh", [
    "--bootstrap-server",
    broker.bootstrap,
    "--create",
    "--topic",
    topic,
    "--partitions",
    "1",
    "--replication-factor",
    "1",
    ...Object.entries(TOPIC_CONFIG).flatMap(([k, v]) => ["--config", `${k}=${v}`]),
  ]);
}

Deno.test({
  name: "apache interop: herd's cleaner keeps what Apache's keeps; dump-log and Apache read herd's",
  ignore: apacheIgnored("log cleaner against Apache"),
  async fn() {
    requireApache();
    const zk = await ZooKeeper.start();
    const dir = await Deno.makeTempDir({ prefix: "herd-clean-apache-" });
    const logDir = `${dir}/data`;
    const broker = new ApacheBroker(dir, logDir, zk.connect, [
      "log.retention.ms=-1",
      "log.cleaner.backoff.ms=100",
    ]);
    try {
      await broker.start();
      await createTopic(broker, "apache");
      await createTopic(broker, "herd");
      await python(PRODUCE_PY, [broker.bootstrap, "apache", String(N), String(T0)]);
      const servedByApache: Rec[] = JSON.parse(
        (await python(READ_PY, [broker.bootstrap, "apache"])).stdout,
      );

      // herd: the same records into the empty "herd-0" Apache created, cleaned by herd's cleaner.
      const overrides = new Map([["apache", new Map(Object.entries(TOPIC_CONFIG))], [
        "herd",
        new Map(Object.entries(TOPIC_CONFIG)),
      ]]);
      const herdDir = await Deno.makeTempDir({ prefix: "herd-clean-mine-", dir });
      const mine = await LogManager.open({
        logDirs: [herdDir],
        brokerId: 1,
        clock: systemClock,
        defaults: new Map(),
        topicOverrides: overrides,
      });
      const log = await mine.getOrCreate(
        { topic: "herd", partition: 0 },
        mine.configFor(new Map(Object.entries(TOPIC_CONFIG))),
      );
      for (let i = 0; i < N; i++) {
        const [k, v, ts] = input(i);
        await log.appendAsLeader(keyed([[k, v]], ts), 0);
      }
      const active = log.segmentBaseOffsets.at(-1)!;
      let rounds = 0;
      while (await mine.cleaner!.cleanOnce()) rounds++;
      assert.ok(rounds >= 1);
      assert.equal(mine.cleaner!.checkpointOf({ topic: "herd", partition: 0 }), active);
      const herdKept = allRecords(log);

      // Apache has cleaned up to the same active segment once its checkpoint says so.
      await waitFor("Apache's cleaner to reach the active segment", async () => {
        const cp = await readOffsetCheckpoint(`${logDir}/cleaner-offset-checkpoint`);
        return cp.some((e) => e.topic === "apache" && e.offset === active);
      }, 120_000);
      await broker.stop();
      const apacheKept = recordsOnDisk(`${logDir}/apache-0`);
      assert.deepEqual(herdKept, apacheKept);
      assert.ok(apacheKept.length < N / 4, `${apacheKept.length} of ${N} kept`);
      assert.ok(
        apacheKept.some((r) => r.value === null),
        "tombstones are kept for delete.retention.ms",
      );

      // herd's cleaned segments go where Apache's broker will find them, as its "herd" topic.
      await mine.shutdown();
      const herdPartition = `${herdDir}/herd-0`;
      await Deno.remove(`${logDir}/herd-0`, { recursive: true });
      await Deno.rename(herdPartition, `${logDir}/herd-0`);

      const files = [...Deno.readDirSync(`${logDir}/herd-0`)].map((e) => e.name)
        .filter((n) =>
          parseSegmentFileName(n)?.suffix === "" && parseSegmentFileName(n)?.kind !== "snapshot"
        )
        .sort().map((n) => `${logDir}/herd-0/${n}`);
      const dump = (...flags: string[]) =>
        kafkaTool("kafka-run-class.sh", [
          "kafka.tools.DumpLogSegments",
          "--files",
          files.join(","),
          ...flags,
        ]);
      const sanity = await dump("--index-sanity-check");
      for (const f of files.filter((f) => !f.endsWith(".log"))) {
        assert.ok(
          sanity.stdout.includes(`${f} passed sanity check.`) ||
            sanity.stdout.includes(`${f} is empty.`),
          `${f}:\n${sanity.stdout}`,
        );
      }
      assert.match(sanity.stdout, /index passed sanity check/);
      const deep = await dump("--deep-iteration");
      assert.doesNotMatch(deep.stderr, /Mismatch|Exception/, deep.stderr);
      assert.doesNotMatch(deep.stdout, /Mismatch|corrupt|invalid/i);
      const offsets = [...deep.stdout.matchAll(/^\| offset: (\d+)/gm)].map((m) => Number(m[1]));
      assert.deepEqual(offsets, herdKept.map((r) => r.offset));

      // herd opens the dir Apache compacted and serves exactly what Apache served.
      const theirs = await LogManager.open({
        logDirs: [logDir],
        brokerId: 1,
        clock: systemClock,
        defaults: new Map(),
        topicOverrides: overrides,
        cleaner: { enable: false },
      });
      assert.deepEqual(allRecords(theirs.get("apache", 0)!), servedByApache);
      await theirs.shutdown();

      // Apache serves herd's compacted partition.
      const from = broker.output().length;
      await broker.start();
      const servedHerd: Rec[] = JSON.parse(
        (await python(READ_PY, [broker.bootstrap, "herd"])).stdout,
      );
      await broker.stop();
      assert.doesNotMatch(broker.output().slice(from), /Corrupt|corrupted index|Found invalid/i);
      assert.deepEqual(servedHerd, herdKept);
    } finally {
      await broker.kill();
      await zk.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
