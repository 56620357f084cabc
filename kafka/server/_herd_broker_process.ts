/**
 * Test helper: herd's broker as users run it (`bin/kafka-server-start.sh server.properties`, a
 * process of its own) on a herd ZooKeeper, for the tests that run Apache's tools beside herd's
 * against it. Waits until Metadata lists the broker; always stops everything after.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { KafkaClient } from "../client/client.ts";
import { freePort, waitFor, ZooKeeper } from "../log/_apache.ts";

const HERD_BIN = fileURLToPath(new URL("../../bin", import.meta.url));

/** What `fn` gets: the bootstrap address, the broker's temp dir, ZooKeeper's connect string. */
export interface HerdBrokerRun {
  bootstrap: string;
  dir: string;
  zkConnect: string;
}

/**
 * Starts ZooKeeper and herd's broker (broker.id=1, one `__consumer_offsets` partition, no
 * auto-created topics, plus `extra` lines), runs `fn`, then stops both and removes the dir.
 */
export async function withHerdBrokerProcess(
  prefix: string,
  extra: string[],
  fn: (run: HerdBrokerRun) => Promise<void>,
): Promise<void> {
  const zk = await ZooKeeper.start();
  const dir = await Deno.makeTempDir({ prefix });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/server.properties`,
    [
      "broker.id=1",
      `listeners=PLAINTEXT://127.0.0.1:${port}`,
      `log.dirs=${dir}/data`,
      `zookeeper.connect=${zk.connect}`,
      "offsets.topic.replication.factor=1",
      "offsets.topic.num.partitions=1",
      "auto.create.topics.enable=false",
      ...extra,
      "",
    ].join("\n"),
  );
  const server = new Deno.Command(`${HERD_BIN}/kafka-server-start.sh`, {
    args: [`${dir}/server.properties`],
    stdout: "null",
    stderr: "null",
    env: { INIT_CWD: dir },
  }).spawn();
  try {
    const bootstrap = `127.0.0.1:${port}`;
    await waitFor("herd's broker to list itself", async () => {
      const client = new KafkaClient(bootstrap, "test");
      try {
        return (await client.metadata([])).brokers.length === 1;
      } catch {
        return false;
      } finally {
        await client.close();
      }
    }, 60_000);
    await fn({ bootstrap, dir, zkConnect: zk.connect });
  } finally {
    try {
      server.kill("SIGTERM");
    } catch { /* gone */ }
    await server.status;
    await zk.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
