// kafkajs (pinned in zk/interop/install.sh): a consumer group of two members that rebalances when
// one leaves and resumes from committed offsets. Run by kafka/interop/kafkajs.ts against herd's
// broker and Apache 2.8.2's:
//
//   NODE_PATH=<npm prefix>/node_modules node kafkajs_scenario.cjs BOOTSTRAP
//
// Prints facts that do not depend on the broker (no member ids, ports or times), one per line;
// exits 1 with the reason on stderr when something does not hold.
"use strict";
const { Kafka, logLevel } = require("kafkajs");

const bootstrap = process.argv[2];
const topic = "kafkajs-group";
const groupId = "kafkajs-group";
const kafka = new Kafka({
  clientId: "herd-kafkajs",
  brokers: [bootstrap],
  logLevel: logLevel.NOTHING,
  retry: { retries: 10, initialRetryTime: 100 },
});

function check(ok, what) {
  if (!ok) throw new Error(`failed: ${what}`);
}

async function waitUntil(what, cond, ms = 60000) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function produce(producer, from, to) {
  const messages = [];
  for (let i = from; i < to; i++) {
    messages.push({ key: `k${i}`, value: `r${i}`, partition: i % 4 });
  }
  await producer.send({ topic, messages });
}

/** One member: what it read and the partitions of its last assignment. */
async function member(name) {
  const m = { name, seen: [], assigned: [] };
  m.consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10000,
    rebalanceTimeout: 10000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 100,
  });
  m.consumer.on(m.consumer.events.GROUP_JOIN, (e) => {
    m.assigned = (e.payload.memberAssignment[topic] ?? []).slice().sort();
  });
  m.consumer.on(m.consumer.events.CRASH, (e) => {
    m.crash = e.payload.error;
  });
  await m.consumer.connect();
  await m.consumer.subscribe({ topic, fromBeginning: true });
  await m.consumer.run({
    eachMessage: ({ message }) => {
      m.seen.push(message.value.toString());
      return Promise.resolve();
    },
  });
  return m;
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  await produce(producer, 0, 40);

  const a = await member("a");
  await waitUntil("member a to own all 4 partitions", () => a.assigned.length === 4);
  const b = await member("b");
  await waitUntil(
    "the group to split 2 + 2",
    () => a.assigned.length === 2 && b.assigned.length === 2,
  );
  const both = new Set([...a.assigned, ...b.assigned]);
  console.log(`two members: 2 + 2 partitions, disjoint=${both.size === 4}`);
  await produce(producer, 40, 80);
  await waitUntil("80 records read", () => a.seen.length + b.seen.length >= 80);
  check(b.seen.length > 0, "member b read records");
  await b.consumer.disconnect();
  console.log("member b left after reading some records");
  await waitUntil("member a to own all 4 again", () => a.assigned.length === 4);
  console.log(`member a owns ${JSON.stringify(a.assigned)} after the rebalance`);
  await produce(producer, 80, 100);
  await waitUntil("100 records read", () => a.seen.length + b.seen.length >= 100);
  await a.consumer.disconnect();
  const all = [...a.seen, ...b.seen];
  console.log(`read ${all.length} records, distinct=${new Set(all).size}`);
  check(all.length === 100 && new Set(all).size === 100, "each record read once");

  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const offsets = committed[0].partitions.map((p) => `${p.partition}=${p.offset}`).sort();
  console.log(`committed ${offsets.join(" ")}`);

  // A new member resumes from the committed offsets: only what came after.
  await produce(producer, 100, 112);
  const c = await member("c");
  await waitUntil("member c to read the 12 new records", () => c.seen.length >= 12);
  await new Promise((r) => setTimeout(r, 300)); // anything older arriving now is a re-read
  await c.consumer.disconnect();
  console.log(`member c resumed and read ${JSON.stringify(c.seen.slice().sort())}`);
  const groups = await admin.describeGroups([groupId]);
  const g = groups.groups[0];
  console.log(`group state=${g.state} protocol=${g.protocol} members=${g.members.length}`);
  for (const m of [a, b, c]) check(m.crash === undefined, `member ${m.name}: ${m.crash}`);
  await producer.disconnect();
  await admin.disconnect();
}

main().then(() => process.exit(0), (e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
