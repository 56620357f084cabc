/**
 * Metadata's topic and partition order, side by side: the same history of topic creations and
 * deletions on Apache Kafka 2.8.2's broker and on herd's (each a process on herd's ZooKeeper),
 * then `kcat -L` (what an operator sees) and Metadata v9 for all topics and for named topics
 * (the partition order too, which kcat sorts away) compared after each step.
 * Skipped with the reason printed when java, the Kafka jars or kcat are missing; under CI=true
 * it fails instead (DECISIONS.md).
 *
 * @module
 */
import assert from "node:assert/strict";
import { BrokerConnection } from "../client/broker_connection.ts";
import { kcatMissing } from "../interop/kcat.ts";
import { ApacheBroker, apacheMissing, ZooKeeper } from "../log/_apache.ts";
import type { MetadataResponse } from "../protocol/messages/metadata.ts";
import { withHerdBrokerProcess } from "../server/_herd_broker_process.ts";

const TEST = { sanitizeOps: false, sanitizeResources: false };

function missing(): string | undefined {
  return apacheMissing() ?? kcatMissing();
}

function ignored(): boolean {
  const why = missing();
  if (why === undefined || Deno.env.get("CI") === "true") return false;
  console.log(`skip metadata order side by side: ${why}`);
  return true;
}

/** The history: [label, topics to create with partition counts, topics to delete]. */
const STEPS: [string, [string, number][], string[]][] = [
  ["one topic", [["orders", 3]], []],
  ["three", [["zeta", 1], ["alpha", 5]], []],
  ["four", [["mid", 13]], []],
  ["one deleted", [], ["orders"]],
  ["five", [["b5", 2], ["c6", 1]], []],
  ["seventeen", Array.from({ length: 12 }, (_, i) => [`s${i}`, (i % 4) + 1]), []],
  ["three deleted", [], ["s3", "alpha", "s7"]],
];

const ASKED = [["zeta", "nope", "mid", "zeta"], ["c6", "b5", "nope", "mid", "s1", "zeta", "x"]];

function metadata(c: BrokerConnection, topics: string[] | null): Promise<MetadataResponse> {
  return c.request<MetadataResponse>(3, 9, {
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
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The history on the broker at `bootstrap`; what was seen after each step. */
async function history(bootstrap: string): Promise<string[]> {
  const [host, port] = bootstrap.split(":");
  const c = await BrokerConnection.connect(host, Number(port), "order-test");
  const seen: string[] = [];
  try {
    for (const [label, create, del] of STEPS) {
      for (const [name, numPartitions] of create) {
        await c.request(19, 5, {
          topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 30_000,
          validateOnly: false,
        });
        await until(`${name} with leaders`, async () => {
          const t = (await metadata(c, [name])).topics[0];
          return t.errorCode === 0 && t.partitions.length === numPartitions &&
            t.partitions.every((p) => p.leaderId >= 0);
        });
      }
      if (del.length > 0) {
        await c.request(20, 5, { topicNames: del, timeoutMs: 30_000 });
        await until(`${del} gone`, async () => {
          const names = new Set((await metadata(c, null)).topics.map((t) => t.name));
          return del.every((n) => !names.has(n));
        });
      }
      const all = (await metadata(c, null)).topics
        .map((t) => `${t.name}[${t.partitions.map((p) => p.partitionIndex)}]`);
      seen.push(`${label}: ${all.join(" ")}`);
      for (const asked of ASKED) {
        const named = (await metadata(c, asked)).topics.map((t) => `${t.name}:${t.errorCode}`);
        seen.push(`${label}: asked ${asked} -> ${named.join(" ")}`);
      }
      const kcat = await new Deno.Command("kcat", { args: ["-b", bootstrap, "-L"] }).output();
      assert.equal(kcat.code, 0, new TextDecoder().decode(kcat.stderr));
      const listing = new TextDecoder().decode(kcat.stdout).split("\n")
        .filter((l) => /^\s*(topic|partition) /.test(l))
        // Leaders, replicas and ISRs name the broker, whose id is 1 on both.
        .join("\n");
      seen.push(`${label}: kcat -L\n${listing}`);
    }
  } finally {
    c.close();
  }
  return seen;
}

Deno.test({
  name: "metadata order: kcat -L and Metadata v9 list as on Apache 2.8.2",
  ignore: ignored(),
  ...TEST,
  async fn() {
    const why = missing();
    if (why !== undefined) throw new Error(`cannot compare with Apache Kafka 2.8.2: ${why}`);
    const zk = await ZooKeeper.start();
    const dir = await Deno.makeTempDir({ prefix: "herd-mdorder-" });
    const apache = new ApacheBroker(dir, `${dir}/logs`, zk.connect);
    let want: string[];
    try {
      await apache.start();
      want = await history(apache.bootstrap);
      await apache.stop();
    } finally {
      await apache.kill();
      await zk.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
    let got: string[] = [];
    await withHerdBrokerProcess("herd-mdorder-", [], async (run) => {
      got = await history(run.bootstrap);
    });
    assert.deepEqual(got, want);
    // The history does reach orders that are neither creation nor name order.
    assert.ok(want.some((l) => l.startsWith("three: zeta[0] alpha[0,4,1,2,3] orders[0,2,1]")));
  },
});
