/** The admin app over a real herd ZkServer: sessions, watches and stats as Apache reports them. */
import assert from "node:assert/strict";
import type { ZkServer } from "../server/server.ts";
import { withServer as withTestServer } from "../server/_test_server.ts";
import { adminApp } from "./app.ts";
import { serveAdmin } from "./serve.ts";
import { RawSession } from "../fourletter/_raw_session.ts";

function withServer(fn: (server: ZkServer) => Promise<void>): Promise<void> {
  return withTestServer(fn, { tempDataDir: true, settings: { fourLetterWhitelist: "*" } });
}

Deno.test("admin commands report a live server's sessions, watches and stats", async () => {
  await withServer(async (server) => {
    const app = adminApp(server.viewImpl, { initialConfiguration: "tickTime=2000\n" });
    const json = async (name: string) =>
      JSON.parse(await (await app.request(`/commands/${name}`)).text());
    const text = async (name: string) => await (await app.request(`/commands/${name}`)).text();
    const a = await RawSession.open(server.port, 10000);
    const b = await RawSession.open(server.port, 30000);
    try {
      await a.create("/p", "x");
      await a.create("/eph", "e", true);
      await a.watch("exists", "/p");
      await a.watch("getData", "/eph");
      await a.watch("getChildren", "/");
      await b.addWatch("/p", 0);
      // Session ids pass 2^53, so check them in the text, where Jackson prints them exactly.
      const [ida, idb] = [a.sessionId, b.sessionId];

      const cons = await json("cons");
      assert.equal(cons.command, "connections");
      assert.equal(cons.error, null);
      assert.deepStrictEqual(cons.secure_connections, []);
      assert.equal(cons.connections.length, 2);
      assert.deepStrictEqual(Object.keys(cons.connections[0]), [
        "remote_socket_address",
        "interest_ops",
        "outstanding_requests",
        "packets_received",
        "packets_sent",
        "session_id",
        "last_operation",
        "established",
        "session_timeout",
        "last_cxid",
        "last_zxid",
        "last_response_time",
        "last_latency",
        "min_latency",
        "avg_latency",
        "max_latency",
      ]);
      assert.equal(cons.connections[0].remote_socket_address, a.remote.substring(1));
      assert.equal(cons.connections[0].session_timeout, 10000);
      assert.match(await text("cons"), new RegExp(`"session_id" : ${ida},`));

      assert.deepStrictEqual(await json("wchs"), {
        num_connections: 2,
        num_paths: 2,
        num_total_watches: 3,
        command: "watch_summary",
        error: null,
      });
      assert.match(
        await text("wchp"),
        new RegExp(`"/p" : \\[ (${ida}, ${idb}|${idb}, ${ida}) \\],\n    "/eph" : \\[ ${ida} \\]`),
      );
      assert.match(await text("wchc"), new RegExp(`"${ida}" : \\[ "/p", "/eph" \\]`));
      assert.match(await text("dump"), new RegExp(`"${ida}" : \\[ "/eph" \\]`));

      const mntr = await json("monitor");
      assert.equal(mntr.watch_count, 5);
      assert.equal(mntr.ephemerals_count, 1);
      assert.equal(mntr.global_sessions, 2);
      assert.equal(mntr.num_alive_connections, 2);
      assert.match(await text("monitor"), /"connection_drop_probability" : 0\.0,/);

      const stats = await json("stats");
      assert.equal(stats.node_count, 7);
      assert.equal(stats.server_stats.last_processed_zxid, 4);
      assert.equal(stats.connections.length, 2);
      assert.deepStrictEqual(Object.keys(stats.connections[0]), [
        "remote_socket_address",
        "interest_ops",
        "outstanding_requests",
        "packets_received",
        "packets_sent",
      ]);

      assert.equal((await json("icfg")).initial_configuration, "tickTime=2000\n");
      assert.equal((await json("crst")).command, "connection_stat_reset");
      assert.equal((await json("cons")).connections[0].last_operation, "NA");
      assert.equal((await json("srst")).command, "stat_reset");
      assert.equal((await json("srvr")).server_stats.packets_received, 0);
    } finally {
      a.close();
      b.close();
    }
  });
});

Deno.test("serveAdmin answers over HTTP with Apache's headers", async () => {
  await withServer(async (server) => {
    const http = serveAdmin(server.viewImpl, { hostname: "127.0.0.1", port: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${http.addr.port}/commands/ruok`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(res.headers.get("content-length"), "42");
      assert.equal(await res.text(), '{\n  "command" : "ruok",\n  "error" : null\n}');
      const list = await fetch(`http://127.0.0.1:${http.addr.port}/commands`);
      assert.equal(list.headers.get("content-type"), null);
      assert.match(
        await list.text(),
        /^<a href="\/commands\/configuration">configuration<\/a>\n<br\/>\n/,
      );
    } finally {
      await http.shutdown();
    }
  });
});
