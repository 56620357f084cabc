/**
 * The `[thread:Class@line]` herd prints for lines it shares with Apache 3.8.0 are Apache's, as
 * its server printed them on this machine (2026-12-07):
 *   INFO  [main:NIOServerCnxnFactory@660] - binding to port /127.0.0.1:33497
 *   WARN  [RequestThrottler:ZooKeeperServer@1173] - Received packet at server of unknown type 9999
 *   ERROR [ProcessThread(sid:0 cport:33497)::PrepRequestProcessor@951] - Failed to process
 *         sessionid:0x1000007fe360002 type:create cxid:0x1 zxid:0x5 txntype:1 reqpath:n/a
 *   WARN  [NIOWorkerThread-4:ZooKeeperServer@1646] - No authentication provider for scheme: foo
 *         has ip digest
 *   WARN  [NIOWorkerThread-1:NIOServerCnxn@383] - Close of session 0x0
 *         java.io.IOException: Len error. A message from /127.0.0.1:41006 with advertised length
 *         of -5 is either a malformed message or too large to process (length is greater than
 *         jute.maxbuffer=1048575)
 *   INFO  [SessionTracker:ZooKeeperServer@632] - Expiring session 0x…, timeout of 30000ms exceeded
 *   WARN  [NIOServerCxnFactory.AcceptThread:/127.0.0.1:42393:RateLogger@87] - Message:Error
 *         accepting new connection: Too many connections from /127.0.0.1 - max is 1 Value:null
 * and no line carries a made-up number: herd's own lines end in `@?`, as log4j prints a class
 * without line numbers.
 */
import assert from "node:assert/strict";
import { ZkServer } from "./server.ts";
import { Logger } from "../../internal/log.ts";
import { RawClient } from "./_raw_client.ts";
import { JuteWriter } from "../jute/writer.ts";
import { OpCode } from "../jute/opcodes.ts";
import { javaSocketAddress, requestString } from "./log_sites.ts";

Deno.test("requests and addresses print as Apache's Request and InetSocketAddress do", () => {
  assert.equal(
    requestString(0x1000007fe360002n, OpCode.create, 1, { zxid: 5, type: 1 }),
    "sessionid:0x1000007fe360002 type:create cxid:0x1 zxid:0x5 txntype:1 reqpath:n/a",
  );
  assert.equal(
    requestString(1n, OpCode.getData, 3),
    "sessionid:0x1 type:getData cxid:0x3 zxid:0xfffffffffffffffe txntype:unknown reqpath:n/a",
  );
  assert.equal(requestString(1n, OpCode.addWatch, 3).split(" ")[1], "type:unknown");
  assert.equal(javaSocketAddress("127.0.0.1", "127.0.0.1", 2181), "/127.0.0.1:2181");
  assert.equal(javaSocketAddress("localhost", "127.0.0.1", 2181), "localhost/127.0.0.1:2181");
  assert.equal(javaSocketAddress(undefined, "0.0.0.0", 2181), "0.0.0.0/0.0.0.0:2181");
});

Deno.test("shared log lines carry Apache's thread, class and line; herd's own carry @?", async () => {
  const lines: string[] = [];
  const server = new ZkServer({
    settings: {
      clientPort: 0,
      clientPortAddress: "127.0.0.1",
      tickTime: 50,
      minSessionTimeout: 100,
      maxSessionTimeout: 100,
      maxClientCnxns: 2,
    },
    logger: new Logger("", "INFO", (l) => lines.push(l)),
  });
  server.start();
  const port = server.port;
  const seen = (re: RegExp) => lines.some((l) => re.test(l));
  try {
    const unknown = await RawClient.open(port);
    await unknown.connect();
    await unknown.frame((w) => {
      w.int(1);
      w.int(9999);
    });
    await unknown.read();

    const bad = await RawClient.open(port);
    await bad.connect();
    await bad.frame((w) => {
      w.int(1);
      w.int(OpCode.create);
      w.int(16); // a path length past the end of the frame
      w.raw(new TextEncoder().encode("ab"));
    });
    await bad.read();

    const auth = await RawClient.open(port);
    await auth.connect();
    await auth.frame((w) => {
      w.int(-4);
      w.int(OpCode.auth);
      w.int(0);
      w.string("foo");
      w.buffer(new TextEncoder().encode("bar"));
    });
    await auth.read();

    const len = await RawClient.open(port);
    const w = new JuteWriter();
    w.int(-5);
    await len.send(w.bytes());
    await len.read();

    // Two connections are open (unknown, bad and auth were closed); the third is one too many.
    const keep = [await RawClient.open(port), await RawClient.open(port)];
    const over = await RawClient.open(port);
    await over.read();

    for (const c of [unknown, bad, auth, len, ...keep, over]) c.close();
    const deadline = Date.now() + 10_000;
    while (!seen(/Expiring session/)) {
      assert.ok(Date.now() < deadline, lines.join("\n"));
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await server.stop();
  }
  const expect = [
    `INFO  \\[main:NIOServerCnxnFactory@660\\] - binding to port /127\\.0\\.0\\.1:${port}$`,
    "WARN  \\[RequestThrottler:ZooKeeperServer@1173\\] - Received packet at server of unknown " +
    "type 9999$",
    `ERROR \\[ProcessThread\\(sid:0 cport:${port}\\)::PrepRequestProcessor@951\\] - Failed to ` +
    "process sessionid:0x[0-9a-f]+ type:create cxid:0x1 zxid:0x[0-9a-f]+ txntype:1 reqpath:n/a$",
    "WARN  \\[NIOWorkerThread-1:ZooKeeperServer@1646\\] - No authentication provider for scheme: " +
    "foo has ip digest$",
    "WARN  \\[NIOWorkerThread-1:NIOServerCnxn@383\\] - Close of session 0x0\\njava\\.io\\." +
    "IOException: Len error\\. A message from /127\\.0\\.0\\.1:\\d+ with advertised length of -5 " +
    "is either a malformed message or too large to process \\(length is greater than " +
    "jute\\.maxbuffer=1048575\\)$",
    `WARN  \\[NIOServerCxnFactory\\.AcceptThread:/127\\.0\\.0\\.1:${port}:RateLogger@87\\] - ` +
    "Message:Error accepting new connection: Too many connections from /127\\.0\\.0\\.1 - max " +
    "is 2 Value:null$",
    "INFO  \\[SessionTracker:ZooKeeperServer@632\\] - Expiring session 0x[0-9a-f]+, timeout of " +
    "100ms exceeded$",
  ];
  for (const e of expect) assert.ok(seen(new RegExp(e, "m")), e);
  for (const l of lines) {
    assert.match(l, /^\S+ \S+ \[myid:\] - [A-Z]+ +\[[^\]]+:[A-Za-z$0-9]+@(\d+|\?)\] - /);
    assert.doesNotMatch(l, /@1\]/);
  }
});
