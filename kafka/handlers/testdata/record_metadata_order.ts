/**
 * Records the order in which Apache Kafka 2.8.2 lists topics and partitions in Metadata answers
 * (v9, all topics and named topics) and in `kcat -L`, after each step of a history of topic
 * creations and deletions: the fixture `apache-2.8.2-metadata-order.json` that
 * metadata_order_test.ts replays against herd's model. See README.md for how to run it.
 *
 *   deno run -A kafka/handlers/testdata/record_metadata_order.ts > out.json
 *
 * It starts herd's ZooKeeper and Apache's broker itself (kafka/log/_apache.ts), twice: two
 * histories over the same names in different orders.
 *
 * @module
 */
import { ApacheBroker, ZooKeeper } from "../../log/_apache.ts";
import { BrokerConnection } from "../../client/broker_connection.ts";
import type { MetadataResponse } from "../../protocol/messages/metadata.ts";
import { METADATA_ORDER_SESSIONS, type OrderStep } from "./metadata_order_steps.ts";

const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const FIND_COORDINATOR = 10;
const METADATA = 3;

/** One recorded observation. */
interface Observed {
  step: string;
  /** Metadata v9, topics null: [topic, partitions in order]. */
  all: [string, number[]][];
  /** kcat -L -J: [topic, partitions in order]. */
  kcat: [string, number[]][];
  /** Metadata v9 naming topics: the names asked, and the names answered in order. */
  named: { asked: string[]; answered: string[] }[];
}

async function metadata(c: BrokerConnection, topics: string[] | null): Promise<MetadataResponse> {
  return await c.request<MetadataResponse>(METADATA, 9, {
    topics: topics === null ? null : topics.map((name) => ({ name })),
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  });
}

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 60_000;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function kcat(bootstrap: string): Promise<[string, number[]][]> {
  const out = await new Deno.Command("kcat", { args: ["-b", bootstrap, "-L", "-J"] }).output();
  const json = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    topics: { topic: string; partitions: { partition: number }[] }[];
  };
  return json.topics.map((t) => [t.topic, t.partitions.map((p) => p.partition)]);
}

async function apply(c: BrokerConnection, s: OrderStep): Promise<void> {
  if (s.create) {
    for (const [name, partitions] of s.create) {
      await c.request(CREATE_TOPICS, 5, {
        topics: [{
          name,
          numPartitions: partitions,
          replicationFactor: 1,
          assignments: [],
          configs: [],
        }],
        timeoutMs: 30_000,
        validateOnly: false,
      });
      await until(`${name} to have leaders`, async () => {
        const t = (await metadata(c, [name])).topics[0];
        return t.errorCode === 0 && t.partitions.length === partitions &&
          t.partitions.every((p) => p.leaderId >= 0);
      });
    }
  }
  if (s.delete) {
    await c.request(DELETE_TOPICS, 5, { topicNames: s.delete, timeoutMs: 30_000 });
    await until(`${s.delete.join(",")} to go`, async () => {
      const names = new Set((await metadata(c, null)).topics.map((t) => t.name));
      return s.delete!.every((n) => !names.has(n));
    });
  }
  if (s.group) {
    await until("the group coordinator", async () => {
      const r = await c.request<{ errorCode: number }>(FIND_COORDINATOR, 2, {
        key: s.group,
        keyType: 0,
      });
      return r.errorCode === 0;
    });
  }
}

const out: { session: string; steps: Observed[] }[] = [];
for (const session of METADATA_ORDER_SESSIONS) {
  const zk = await ZooKeeper.start();
  const dir = await Deno.makeTempDir({ prefix: "herd-mdorder-" });
  const broker = new ApacheBroker(dir, `${dir}/logs`, zk.connect);
  const steps: Observed[] = [];
  try {
    await broker.start();
    let c = await BrokerConnection.connect("127.0.0.1", broker.port, "herd-recorder");
    for (const s of session.steps) {
      if (s.restart) {
        c.close();
        await broker.stop();
        await broker.start();
        c = await BrokerConnection.connect("127.0.0.1", broker.port, "herd-recorder");
        await until("the topics back", async () => {
          const md = await metadata(c, null);
          return md.topics.length === s.restart &&
            md.topics.every((t) => t.partitions.every((p) => p.leaderId >= 0));
        });
      }
      await apply(c, s);
      const md = await metadata(c, null);
      const named = [];
      for (const asked of s.ask ?? []) {
        named.push({ asked, answered: (await metadata(c, asked)).topics.map((t) => t.name) });
      }
      steps.push({
        step: s.name,
        all: md.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)]),
        kcat: await kcat(broker.bootstrap),
        named,
      });
      console.error(`recorded ${session.name} / ${s.name}`);
    }
    c.close();
    await broker.stop();
  } finally {
    await broker.kill();
    await zk.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  out.push({ session: session.name, steps });
}
console.log(JSON.stringify(out, null, 1));
