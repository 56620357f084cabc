/**
 * mntr after a known workload on a durable herd server: the counters and summaries Apache 3.8.0
 * fills (bytes received, fsync times, the sync stage, latencies, expired sessions, per-namespace
 * reads and writes) are filled here too. The per-namespace numbers are the ones Apache printed
 * for the same writes from zkCli (captured on this machine, 2026-12-07):
 *   zk_cnt_a_write_per_namespace 4, zk_sum_a_write_per_namespace 35, zk_min_… 3, zk_max_… 14,
 *   zk_cnt_b_write_per_namespace 2, zk_sum_b_write_per_namespace 46, zk_avg_… 23.0
 * (path length plus data bytes per create, setData and delete).
 */
import assert from "node:assert/strict";
import { startDurableServer } from "../server/durable.ts";
import { Logger } from "../../internal/log.ts";
import { ZkClient } from "../client/mod.ts";
import { fourLetter, RawSession } from "./_raw_session.ts";

async function mntr(port: number): Promise<Map<string, string>> {
  const text = await fourLetter(port, "mntr");
  return new Map(
    text.split("\n").filter((l) => l !== "").map((l) => {
      const [k, v] = l.split("\t");
      return [k.replace(/^zk_/, ""), v];
    }),
  );
}

const num = (m: Map<string, string>, key: string) => {
  const v = m.get(key);
  assert.ok(v !== undefined, `mntr has no zk_${key}`);
  return Number(v);
};

Deno.test("mntr counts bytes, fsyncs, the sync stage, latencies and namespaces after writes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-mntr-" });
  const { server, stop } = await startDurableServer(
    {
      clientPort: 0,
      clientPortAddress: "127.0.0.1",
      dataDir: `${dir}/data`,
      dataLogDir: `${dir}/log`,
      tickTime: 100,
      minSessionTimeout: 200,
      maxSessionTimeout: 10000,
      fourLetterWhitelist: "*",
    },
    {},
    new Logger("", "ERROR"),
  );
  try {
    const port = server.port;
    const zk = await ZkClient.connect(`127.0.0.1:${port}`, { sessionTimeout: 4000 });
    await zk.create("/a", "x");
    await zk.create("/a/1", "0123456789");
    await zk.create("/a/2", "0123456789");
    await zk.create("/b", "yy");
    await zk.setData("/b", "0123456789".repeat(4));
    await zk.delete("/a/2");
    await zk.getData("/a");
    await zk.getChildren("/b");
    await zk.exists("/b");
    await zk.exists("/nope"); // a read that finds nothing is not a namespace read in Apache

    const m = await mntr(port);
    assert.deepStrictEqual(
      ["cnt", "sum", "min", "max", "avg"].map((p) => m.get(`${p}_a_write_per_namespace`)),
      ["4", "35", "3", "14", "8.75"],
    );
    assert.deepStrictEqual(
      ["cnt", "sum", "min", "max", "avg"].map((p) => m.get(`${p}_b_write_per_namespace`)),
      ["2", "46", "4", "42", "23.0"],
    );
    // Reads: path, bytes read (data, or child names) and the 68-byte stat.
    assert.deepStrictEqual(m.get("sum_a_read_per_namespace"), String(2 + 1 + 68));
    assert.deepStrictEqual(m.get("sum_b_read_per_namespace"), String(2 * (2 + 68)));
    assert.deepStrictEqual(m.get("cnt_b_read_per_namespace"), "2");
    const keys = [...m.keys()];
    assert.ok(
      keys.indexOf("avg_a_read_per_namespace") > keys.indexOf("p999_write_commitproc_time_ms") &&
        keys.indexOf("avg_a_write_per_namespace") > keys.indexOf("avg_b_read_per_namespace"),
      "the per-namespace sets come last, reads before writes, as in Apache",
    );

    // Every txn (the session and six writes) went through the sync stage, one fsync per batch.
    const queued = num(m, "sync_processor_request_queued");
    assert.ok(queued >= 7, `queued ${queued}`);
    assert.deepStrictEqual(num(m, "sum_sync_processor_batch_size"), queued);
    assert.deepStrictEqual(num(m, "cnt_sync_processor_queue_time_ms"), queued);
    assert.deepStrictEqual(num(m, "cnt_sync_processor_queue_and_flush_time_ms"), queued);
    const batches = num(m, "cnt_sync_processor_batch_size");
    assert.ok(batches >= 1 && batches <= queued);
    assert.deepStrictEqual(num(m, "cnt_fsynctime"), batches);
    assert.deepStrictEqual(num(m, "cnt_sync_processor_queue_flush_time_ms"), batches);
    assert.ok(num(m, "cnt_updatelatency") >= 7, "six writes and the session's creation");
    assert.ok(num(m, "cnt_readlatency") >= 4);
    assert.ok(num(m, "max_updatelatency") >= num(m, "p50_updatelatency"));

    // bytes_received: every frame with its length prefix, at least the payloads sent above.
    const written = 1 + 10 + 10 + 2 + 40;
    assert.ok(num(m, "bytes_received_count") > written + 6 * 4);
    // Exactly: a four-letter word is 4 bytes, a ConnectRequest 4 + 45.
    const before = num(await mntr(port), "bytes_received_count");
    const raw = await RawSession.open(port, 200);
    const after = await mntr(port);
    assert.deepStrictEqual(num(after, "bytes_received_count") - before, 4 + 45 + 4);

    // The raw session is dropped without closeSession: the tracker expires it.
    raw.close();
    const deadline = Date.now() + 10_000;
    while (num(await mntr(port), "stale_sessions_expired") < 1) {
      assert.ok(Date.now() < deadline, "the dropped session never expired");
      await new Promise((r) => setTimeout(r, 50));
    }
    await zk.close();

    // srst resets them all, as Apache's ServerStats.reset() resets ServerMetrics.
    await fourLetter(port, "srst");
    const reset = await mntr(port);
    assert.deepStrictEqual(num(reset, "cnt_fsynctime"), 0);
    assert.deepStrictEqual(num(reset, "stale_sessions_expired"), 0);
    assert.deepStrictEqual(reset.has("cnt_a_write_per_namespace"), false);
  } finally {
    await stop();
    await Deno.remove(dir, { recursive: true });
  }
});
