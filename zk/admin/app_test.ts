import assert from "node:assert/strict";
import { adminApp } from "./app.ts";
import { fakeConnection, FakeView } from "../fourletter/_test_view.ts";
import { REFERENCE_DIR } from "../fourletter/_reference.ts";

/** One `### curl … <path>` section of 04c-adminserver.out: headers and body. */
async function captured(path: string): Promise<{ headers: string[]; body: string }> {
  const text = await Deno.readTextFile(`${REFERENCE_DIR}/04c-adminserver.out`);
  const start = text.indexOf(`/commands${path}\n`);
  const section = text.substring(text.indexOf("\n", start) + 1, text.indexOf("\n### end", start));
  const [head, ...body] = section.split("\n\n");
  return { headers: head.split("\n"), body: body.join("\n\n") };
}

/** A view in the state of the 04c capture: one session with a watch on /p and /eph. */
function capturedView(): FakeView {
  const v = new FakeView();
  const id = 72058217997008896n;
  v.version = "3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC";
  v.confValue = {
    ...v.confValue,
    dataDir: "/tmp/apache-zk/data/version-2",
    dataLogDir: "/tmp/apache-zk/datalog/version-2",
  };
  v.conns = [fakeConnection({
    remote: "/127.0.0.1:56010",
    packetsReceived: 0,
    packetsSent: 0,
    sessionId: id,
    lastOp: "NA",
    established: 1795567652337,
    sessionTimeout: 30000,
    lastCxid: -1,
    lastZxid: -1,
    lastResponseTime: 0,
    lastLatency: 0,
    minLatency: 0,
    avgLatency: 0,
    maxLatency: 0,
  })];
  v.sessionList = [{ id, timeout: 30000, expireAt: 9556000, ephemerals: ["/eph"] }];
  v.data = new Map([["/eph", [id]], ["/p", [id]]]);
  return v;
}

const app = adminApp(capturedView());

async function get(path: string, method = "GET"): Promise<Response> {
  return await app.request(path, { method });
}

Deno.test("GET /commands lists every primary name with links, as Jetty does", async () => {
  const res = await get("/commands");
  const ref = await captured("");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), null);
  assert.equal(await res.text(), ref.body);
});

for (
  const path of [
    "configuration",
    "connection_stat_reset",
    "connections",
    "dirs",
    "get_trace_mask",
    "hash",
    "is_read_only",
    "leader",
    "observer_connection_stat_reset",
    "observers",
    "ruok",
    "set_trace_mask",
    "stat_reset",
    "voting_view",
    "watch_summary",
    "watches",
    "watches_by_path",
    "zabstate",
    "cons",
    "conf",
    "wchs",
    "wchc",
    "wchp",
    "isro",
    "crst",
    "srst",
    "gtmk",
    "nope",
  ]
) {
  Deno.test(`GET /commands/${path} answers Apache's JSON byte for byte`, async () => {
    const res = await get(`/commands/${path}`);
    const ref = await captured(`/${path}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(await res.text(), ref.body);
  });
}

/** The reference body with every number replaced, for commands whose values vary. */
const shape = (s: string) => s.replace(/-?\d+(\.\d+)?/g, "N").replace(/"[^"]*MB"/g, '"MB"');

for (const path of ["server_stats", "stats", "srvr", "stat", "monitor", "mntr"]) {
  Deno.test(`GET /commands/${path} has Apache's keys and shapes`, async () => {
    const got = await (await get(`/commands/${path}`)).text();
    const want = (await captured(`/${path}`)).body;
    if (path === "monitor" || path === "mntr") {
      // herd keeps no per-namespace read/write byte statistics.
      const keys = (s: string) =>
        s.split("\n").map((l) => l.split(" : ")[0])
          .filter((k) => !k.includes("_per_namespace"));
      assert.deepStrictEqual(keys(got), keys(want));
    } else {
      assert.equal(shape(got), shape(want));
    }
  });
}

Deno.test("dump matches Apache's JSON less the bucket its session already left", async () => {
  // Apache keeps an emptied expiry bucket until its time passes; herd keeps none.
  const want = (await captured("/dump")).body.replace('    "9554000" : [ ],\n', "");
  assert.equal(await (await get("/commands/dump")).text(), want);
});

Deno.test("environment has Apache's keys in order", async () => {
  const keys = (s: string) => s.split("\n").map((l) => l.split(" : ")[0]);
  assert.deepStrictEqual(
    keys(await (await get("/commands/environment")).text()),
    keys((await captured("/environment")).body),
  );
});

Deno.test("set_trace_mask checks its traceMask argument", async () => {
  const body = async (q: string) => JSON.parse(await (await get(`/commands/stmk${q}`)).text());
  assert.equal((await body("?traceMask=12")).tracemask, 12);
  assert.equal(
    (await body("?traceMask=x")).error,
    "setTraceMask requires long traceMask argument, got x",
  );
});

Deno.test("other methods get 405, other paths 404, as Jetty answers", async () => {
  const post = await get("/commands/ruok", "POST");
  assert.equal(post.status, 405);
  assert.match(await post.text(), /HTTP ERROR 405 HTTP method POST is not supported by this URL/);
  const root = await get("/");
  assert.equal(root.status, 404);
  assert.equal(root.headers.get("content-type"), "text/html;charset=iso-8859-1");
});

Deno.test("/metrics is Prometheus text with herd's counters", async () => {
  const v = capturedView();
  v.quotaList = [{
    path: "/q",
    count: 2,
    bytes: 3,
    countLimit: 5,
    bytesLimit: -1,
    countHardLimit: -1,
    bytesHardLimit: -1,
  }];
  const res = await adminApp(v).request("/metrics");
  const text = await res.text();
  assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  assert.match(
    text,
    /^# HELP znode_count znode_count\n# TYPE znode_count gauge\nznode_count 20\.0$/m,
  );
  assert.match(text, /^packets_received 110\.0$/m);
  assert.match(text, /^bytes_received_count 5158\.0$/m);
  assert.match(text, /^quota_count_limit_per_namespace\{key="q",\} 5\.0$/m);
  // No reads yet: Apache's Prometheus summaries print NaN quantiles (metrics_test.ts has more).
  assert.match(
    text,
    /^readlatency\{quantile="0\.5",\} NaN\n(?:.*\n){2}readlatency_count 0\.0\nreadlatency_sum 0\.0$/m,
  );
  assert.doesNotMatch(text, /^version /m);
});
