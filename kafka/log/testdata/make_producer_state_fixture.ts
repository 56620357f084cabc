/**
 * Re-records `apache-2.8.2-txn/`: the producer state files Apache Kafka 2.8.2 wrote for idempotent
 * and transactional producers (see README.md there). From the repo root:
 *
 *   deno run -A kafka/log/testdata/make_producer_state_fixture.ts
 *
 * Needs java, the Kafka jars (conformance/apache/fetch.sh) and confluent-kafka for
 * /usr/bin/python3 (`apt-get install -y python3-confluent-kafka`).
 *
 * @module
 */
import { ApacheBroker, kafkaTool, waitFor, ZooKeeper } from "../_apache.ts";

const TOPIC = "herd-pid";
const out = new URL("./apache-2.8.2-txn/", import.meta.url).pathname;

/**
 * confluent-kafka (librdkafka): two idempotent producers, then a transactional one that commits a
 * transaction, aborts one, and leaves a third open (prints "open" and waits for stdin to close).
 * Each flush() waits for the acks, so each send is one batch. Timestamps are fixed.
 */
const PRODUCE_PY = `
import sys
from confluent_kafka import Producer
bootstrap, topic = sys.argv[1], sys.argv[2]
ts0 = 1700000000000
n = 0
def send(p, count, size=40):
    global n
    for _ in range(count):
        p.produce(topic, key=b"k%d" % n, value=(b"v%d:" % n) * (size // 4), partition=0, timestamp=ts0 + 10 * n)
        n += 1
        p.flush(30)
for i in range(2):
    p = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 0})
    send(p, 12 + 3 * i)
    p.flush(30)
t = Producer({"bootstrap.servers": bootstrap, "transactional.id": "herd-txn", "linger.ms": 0, "transaction.timeout.ms": 600000})
t.init_transactions(30)
t.begin_transaction(); send(t, 4); t.commit_transaction(30)
t.begin_transaction(); send(t, 3); t.abort_transaction(30)
t.begin_transaction(); send(t, 2)
print("open", flush=True)
sys.stdin.read()
`;

const zk = await ZooKeeper.start();
const dir = await Deno.makeTempDir({ prefix: "herd-txn-fixture-" });
const logDir = `${dir}/data`;
const broker = new ApacheBroker(dir, logDir, zk.connect, [
  "log.retention.ms=-1",
  "transaction.state.log.num.partitions=1",
]);
try {
  await broker.start();
  await kafkaTool("kafka-topics.sh", [
    "--bootstrap-server",
    broker.bootstrap,
    "--create",
    "--topic",
    TOPIC,
    "--partitions",
    "1",
    "--replication-factor",
    "1",
    "--config",
    "segment.bytes=2048",
  ]);
  await Deno.writeTextFile(`${dir}/produce.py`, PRODUCE_PY);
  const child = new Deno.Command("/usr/bin/python3", {
    args: [`${dir}/produce.py`, broker.bootstrap, TOPIC],
    cwd: dir,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  await waitFor(
    "the transactional producer to leave a transaction open",
    async () => {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the producer exited: ${said}`);
      said += value;
      return said.includes("open");
    },
    180_000,
    0,
  );
  // Stop the broker with the transaction still open: its snapshot keeps current_txn_first_offset.
  await broker.stop();
  await child.stdin.close();
  child.kill("SIGKILL");
  await child.status;
  await Deno.remove(out, { recursive: true }).catch(() => {});
  const copied: string[] = [];
  for (const part of [`${TOPIC}-0`, "__transaction_state-0"]) {
    await Deno.mkdir(`${out}/${part}`, { recursive: true });
    for (const f of Deno.readDirSync(`${logDir}/${part}`)) {
      await Deno.copyFile(`${logDir}/${part}/${f.name}`, `${out}/${part}/${f.name}`);
      copied.push(`${part}/${f.name}`);
    }
  }
  console.log(copied.sort().join("\n"));
} finally {
  await broker.kill();
  await zk.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
