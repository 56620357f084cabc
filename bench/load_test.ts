/**
 * The load generator's frames are what the server expects: encodings match the reference frames,
 * and 1000 pipelined creates against an in-process herd server all land. Correctness only; no
 * timings are asserted.
 */
import assert from "node:assert/strict";
import { ZkServer } from "../zk/server/server.ts";
import { Logger } from "../internal/log.ts";
import { Histogram } from "./hist.ts";
import { runLoad } from "./load.ts";
import { ensureNodes, watchFanout } from "./scenarios.ts";
import { createFrame, getDataFrame, RequestEncoder, Session, setDataFrame } from "./wire.ts";

function encodeOne(enc: RequestEncoder, xid: number, seq: number): Uint8Array {
  const buf = new Uint8Array(enc.maxFrame);
  const end = enc.encode(buf, new DataView(buf.buffer), 0, xid, seq);
  return buf.slice(0, end);
}

Deno.test("RequestEncoder writes the same frames as the reference encoders", () => {
  const data = new Uint8Array(100).fill(0x61);
  const create = new RequestEncoder({ op: "create", path: "/p", dataSize: 100 }, "w0c1-");
  for (const seq of [0, 7, 10, 123456789]) {
    assert.deepEqual(
      encodeOne(create, 42 + seq, seq),
      createFrame(42 + seq, `/p/w0c1-${seq}`, data),
    );
  }
  const get = new RequestEncoder({ op: "getData", path: "/r", dataSize: 100 }, "");
  assert.deepEqual(encodeOne(get, 9, 3), getDataFrame(9, "/r", false));
  const set = new RequestEncoder({ op: "setData", path: "/r", dataSize: 100 }, "");
  assert.deepEqual(encodeOne(set, 9, 3), setDataFrame(9, "/r", data));
  const mix = new RequestEncoder({ op: "mix", path: "/r", dataSize: 100, mixWriteEvery: 10 }, "");
  assert.deepEqual(encodeOne(mix, 5, 20), setDataFrame(5, "/r", data));
  assert.deepEqual(encodeOne(mix, 6, 21), getDataFrame(6, "/r", false));
});

Deno.test("Histogram percentiles stay within a bucket of the recorded values", () => {
  const h = new Histogram();
  for (let us = 1; us <= 100_000; us++) h.record(us);
  for (const p of [50, 90, 99]) {
    const want = p * 1000;
    assert.ok(Math.abs(h.percentile(p) - want) / want < 0.01, `p${p} = ${h.percentile(p)}`);
  }
  const other = Histogram.from(h.counts);
  other.merge(h);
  assert.equal(other.total, 200_000);
});

/** An in-process herd server on a free loopback port. */
function startServer(): ZkServer {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1", maxClientCnxns: 0 },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  return server;
}

Deno.test("1000 pipelined creates against herd all exist afterwards", async () => {
  const server = startServer();
  try {
    await ensureNodes(server.port, ["/t"]);
    const r = await runLoad({
      port: server.port,
      workload: { op: "create", path: "/t", dataSize: 16 },
      connections: 4,
      inFlight: 16,
      warmupMs: 0,
      durationMs: 0,
      totalOps: 1000,
      tag: "x",
      workers: 0,
    });
    assert.equal(r.ops, 1000);
    assert.equal(r.errors, 0);
    assert.equal(r.hist.total, 1000);
    // Read every znode back over the wire: each per-connection sequence 0..249 exists.
    const s = await Session.open(server.port);
    let xid = 1;
    for (let c = 0; c < 4; c++) {
      for (let seq = 0; seq < 250; seq++) {
        assert.equal(await s.call(getDataFrame(xid++, `/t/xw0c${c}-${seq}`, false)), 0);
      }
    }
    assert.equal(await s.call(getDataFrame(xid++, "/t/xw0c0-250", false)), -101); // NONODE
    await s.close();
    assert.equal(server.tree.get("/t/xw0c3-249")?.data.length, 16);
  } finally {
    await server.stop();
  }
});

Deno.test("watch fan-out records every watcher of every round after the unrecorded warm-up rounds", async () => {
  const server = startServer();
  try {
    const h = await watchFanout(server.port, "/w", 20, 3, 2);
    assert.equal(h.total, 20 * 3);
    // Five rounds ran: the znode's data version counts every setData.
    assert.equal(server.tree.get("/w")?.version, 5);
  } finally {
    await server.stop();
  }
});
