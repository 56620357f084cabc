/**
 * Records what Apache Kafka 2.8.2 does with consumer groups, for kafka/group's tests:
 *
 * - `apache-2.8.2/requests.jsonl`: every group request and Apache's answer (kafka.request.logger at
 *   DEBUG), for a kafka-python 2.0.2 group of two members (the seed's consumer: group_id,
 *   enable_auto_commit) that rebalances when the second joins and again when it leaves, a Java
 *   console consumer (JoinGroup v7: MEMBER_ID_REQUIRED), and kafka-consumer-groups.sh
 *   --list/--describe/--delete-offsets/--delete.
 * - `apache-2.8.2/__consumer_offsets-0.log`: the segment those left (one partition:
 *   offsets.topic.num.partitions=1), and `dump.txt`, Apache's DumpLogSegments --offsets-decoder of it.
 * - `apache-2.8.2/tools.txt`: what kafka-consumer-groups.sh printed.
 *
 * Run: `deno run -A kafka/group/testdata/make_apache_fixture.ts` (needs java, the Kafka jars from
 * conformance/apache/fetch.sh, and python3-kafka).
 *
 * @module
 */
import { ApacheBroker, kafkaTool, python, requireApache, ZooKeeper } from "../../log/_apache.ts";

const HERE = new URL(".", import.meta.url).pathname;
const OUT = `${HERE}apache-2.8.2`;
const TOPIC = "my.topic";
const GROUP = "my.group";

/** Two kafka-python consumers of the seed's kind in threads: B joins after A, then B leaves. */
const GROUP_PY = `
import sys, threading, time, json
from kafka import KafkaConsumer, KafkaProducer
bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
p = KafkaProducer(bootstrap_servers=bootstrap)
for i in range(10):
    p.send(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % 2)
p.flush(); p.close()

def consumer(name):
    return KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, client_id=name,
        enable_auto_commit=True, auto_commit_interval_ms=1000, auto_offset_reset="earliest",
        heartbeat_interval_ms=500, session_timeout_ms=10000)

a = consumer("member-a")
a.subscribe([topic])
seen = []
deadline = time.time() + 60
while len(seen) < 10 and time.time() < deadline:
    for recs in a.poll(timeout_ms=500).values():
        seen.extend(r.offset for r in recs)
print(json.dumps({"a_first": sorted(seen)}), flush=True)
stop = threading.Event()
def run_a():
    while not stop.is_set():
        a.poll(timeout_ms=200)
ta = threading.Thread(target=run_a); ta.start()
b = consumer("member-b")
b.subscribe([topic])
deadline = time.time() + 60
while not b.assignment() and time.time() < deadline:
    b.poll(timeout_ms=200)
print(json.dumps({"b_assigned": sorted(tp.partition for tp in b.assignment())}), flush=True)
for i in range(5):
    b.poll(timeout_ms=200)
b.close()
deadline = time.time() + 60
while len(a.assignment()) < 2 and time.time() < deadline:
    time.sleep(0.2)
print(json.dumps({"a_after_leave": sorted(tp.partition for tp in a.assignment())}), flush=True)
time.sleep(2)
stop.set(); ta.join()
a.commit()
a.close()
`;

const LOG4J_EXTRA = `
log4j.appender.requestAppender=org.apache.log4j.FileAppender
log4j.appender.requestAppender.File=\${kafka.logs.dir}/kafka-request.log
log4j.appender.requestAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.requestAppender.layout.ConversionPattern=%m%n
log4j.logger.kafka.request.logger=DEBUG, requestAppender
log4j.additivity.kafka.request.logger=false
`;

/** Keep only the group APIs' lines of the request log, one JSON object each. */
const GROUP_APIS = new Set([
  "FIND_COORDINATOR",
  "JOIN_GROUP",
  "HEARTBEAT",
  "LEAVE_GROUP",
  "SYNC_GROUP",
  "DESCRIBE_GROUPS",
  "LIST_GROUPS",
  "OFFSET_COMMIT",
  "OFFSET_FETCH",
  "DELETE_GROUPS",
  "OFFSET_DELETE",
]);

function groupLines(log: string): string[] {
  const out: string[] = [];
  for (const line of log.split("\n")) {
    const at = line.indexOf("{");
    if (!line.startsWith("Completed request:") || at < 0) continue;
    const j = JSON.parse(line.slice(at)) as { requestHeader?: { requestApiKeyName?: string } };
    const name = j.requestHeader?.requestApiKeyName;
    if (name !== undefined && GROUP_APIS.has(name)) out.push(JSON.stringify(j));
  }
  return out;
}

if (import.meta.main) {
  requireApache();
  const base = await Deno.makeTempDir({ prefix: "herd-group-fixture-" });
  const log4j = `${base}/log4j.properties`;
  const conf = await Deno.readTextFile(
    `${HERE}../../../conformance/apache/config/log4j.properties`,
  );
  await Deno.writeTextFile(
    log4j,
    conf.replace("log4j.logger.kafka.request.logger=WARN\n", "") + LOG4J_EXTRA,
  );
  Deno.env.set("KAFKA_LOG4J_OPTS", `-Dlog4j.configuration=file:${log4j}`);
  const zk = await ZooKeeper.start();
  const broker = new ApacheBroker(base, `${base}/data`, zk.connect, [
    "group.initial.rebalance.delay.ms=0",
  ]);
  try {
    await broker.start();
    Deno.env.delete("KAFKA_LOG4J_OPTS");
    const bs = ["--bootstrap-server", broker.bootstrap];
    await kafkaTool("kafka-topics.sh", [...bs, "--create", "--topic", TOPIC, "--partitions", "2"]);
    const py = await python(GROUP_PY, [broker.bootstrap, TOPIC, GROUP]);
    let tools = `# kafka-python group\n${py.stdout}`;
    const cg = async (args: string[]) => {
      const r = await kafkaTool("kafka-consumer-groups.sh", [...bs, ...args]);
      tools += `\n$ kafka-consumer-groups.sh ${args.join(" ")}\n${r.stdout}`;
    };
    await kafkaTool("kafka-console-consumer.sh", [
      ...bs,
      "--topic",
      TOPIC,
      "--group",
      "console.group",
      "--from-beginning",
      "--max-messages",
      "10",
    ]);
    await cg(["--list"]);
    await cg(["--describe", "--group", GROUP]);
    await cg(["--describe", "--group", "console.group", "--members"]);
    await cg(["--describe", "--group", "console.group", "--state"]);
    await cg(["--delete-offsets", "--group", GROUP, "--topic", `${TOPIC}:1`]);
    await cg(["--delete", "--group", "console.group"]);
    await cg(["--list"]);
    await broker.stop();
    await Deno.mkdir(OUT, { recursive: true });
    await Deno.writeTextFile(`${OUT}/tools.txt`, tools);
    const reqLog = await Deno.readTextFile(`${base}/logs/kafka-request.log`);
    await Deno.writeTextFile(`${OUT}/requests.jsonl`, groupLines(reqLog).join("\n") + "\n");
    const seg = `${base}/data/__consumer_offsets-0/00000000000000000000.log`;
    await Deno.copyFile(seg, `${OUT}/__consumer_offsets-0.log`);
    const dump = await kafkaTool("kafka-run-class.sh", [
      "kafka.tools.DumpLogSegments",
      "--offsets-decoder",
      "--print-data-log",
      "--files",
      seg,
    ]);
    await Deno.writeTextFile(
      `${OUT}/dump.txt`,
      dump.stdout.replace(seg, "__consumer_offsets-0/00000000000000000000.log"),
    );
    console.log(`wrote ${OUT}`);
  } finally {
    await broker.kill();
    await zk.stop();
    await Deno.remove(base, { recursive: true }).catch(() => {});
  }
}
