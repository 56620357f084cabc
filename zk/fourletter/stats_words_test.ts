import assert from "node:assert/strict";
import { fakeConnection, FakeView } from "./_test_view.ts";
import { connectionLine, cons, crst, srst, srvr, stat } from "./stats_words.ts";
import { referenceSection } from "./_reference.ts";

const caller = { remote: "/127.0.0.1:36786" };
const fourLetterConn = fakeConnection({
  remote: caller.remote,
  packetsReceived: 1,
  packetsSent: 0,
  sessionId: null,
  sessionTimeout: 0,
  lastOp: "NA",
  lastCxid: -1,
  lastZxid: -1,
  lastResponseTime: 0,
});

/** The reference with herd's version string in place of Apache's. */
function withVersion(text: string, v: FakeView): string {
  return text.replace(/^Zookeeper version: .*$/m, `Zookeeper version: ${v.version}`);
}

Deno.test("srvr matches Apache's 4lw.out byte for byte", async () => {
  const v = new FakeView();
  v.conns = [fourLetterConn];
  v.statsValue.packetsReceived = 111;
  v.statsValue.packetsSent = 110;
  const ref = await referenceSection("4lw.out", "srvr");
  // The capture adds a newline after each reply.
  assert.deepStrictEqual(srvr(v) + "\n", withVersion(ref, v));
});

Deno.test("stat lists clients in the brief form, the asking connection with [0]", async () => {
  const v = new FakeView();
  v.conns = [fourLetterConn];
  const ref = await referenceSection("4lw.out", "stat");
  assert.deepStrictEqual(stat(v, caller) + "\n", withVersion(ref, v));
  v.conns = [fakeConnection(), fourLetterConn];
  const lines = stat(v, caller).split("\n");
  assert.deepStrictEqual(lines.slice(1, 5), [
    "Clients:",
    " /127.0.0.1:59712[1](queued=0,recved=2,sent=2)",
    " /127.0.0.1:36786[0](queued=0,recved=1,sent=0)",
    "",
  ]);
});

Deno.test("stat and srvr add Apache's mode-specific lines", () => {
  const v = new FakeView();
  v.mode = "leader";
  assert.deepStrictEqual(srvr(v).split("\n").at(-2), "Proposal sizes last/min/max: -1/-1/-1");
  v.mode = "read-only";
  assert.deepStrictEqual(srvr(v).split("\n")[1], "READ-ONLY mode; serving only read-only clients");
  assert.deepStrictEqual(srvr(v).split("\n").at(-3), "Mode: read-only");
});

Deno.test("latency average prints as a Java double", () => {
  const v = new FakeView();
  v.statsValue = { ...v.statsValue, minLatency: 0, avgLatency: 0, maxLatency: 0 };
  assert.deepStrictEqual(srvr(v).split("\n")[1], "Latency min/avg/max: 0/0.0/0");
  v.statsValue.avgLatency = 2;
  assert.deepStrictEqual(srvr(v).split("\n")[1], "Latency min/avg/max: 0/2.0/0");
});

Deno.test("cons prints the long form for sessions, as in 06-session-expiry", () => {
  const v = new FakeView();
  v.conns = [fakeConnection(), fourLetterConn];
  assert.deepStrictEqual(
    cons(v, caller),
    " /127.0.0.1:59712[1](queued=0,recved=2,sent=2,sid=0x10000a175100000,lop=CREA," +
      "est=1795568712875,to=10000,lcxid=0x1,lzxid=0x2,lresp=1795568712890,llat=12,minlat=0," +
      "avglat=14,maxlat=16)\n" +
      " /127.0.0.1:36786[0](queued=0,recved=1,sent=0)\n\n",
  );
});

Deno.test("cons omits lcxid before the first request and prints lzxid -1 as Java does", () => {
  const c = fakeConnection({ lastCxid: -1, lastZxid: -1, lastOp: "NA" });
  assert.deepStrictEqual(
    connectionLine(c, false),
    " /127.0.0.1:59712[1](queued=0,recved=2,sent=2,sid=0x10000a175100000,lop=NA," +
      "est=1795568712875,to=10000,lzxid=0xffffffffffffffff,lresp=1795568712890,llat=12," +
      "minlat=0,avglat=14,maxlat=16)",
  );
});

Deno.test("cons with only the asking connection matches 4lw.out", async () => {
  const v = new FakeView();
  v.conns = [{ ...fourLetterConn, remote: "/127.0.0.1:33414" }];
  assert.deepStrictEqual(
    cons(v, { remote: "/127.0.0.1:33414" }) + "\n",
    await referenceSection("4lw.out", "cons"),
  );
});

Deno.test("crst and srst reset through the view and say so", async () => {
  const v = new FakeView();
  assert.deepStrictEqual(crst(v) + "\n", await referenceSection("4lw.out", "crst"));
  assert.deepStrictEqual(srst(v) + "\n", await referenceSection("4lw.out", "srst"));
  assert.deepStrictEqual(v.resets, { stats: 1, connections: 1 });
});
