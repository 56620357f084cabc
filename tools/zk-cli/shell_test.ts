import assert from "node:assert/strict";
import { serverTest } from "../../zk/client/_test_server.ts";
import { MemoryOutput } from "./output.ts";
import { Shell, usageLines } from "./shell.ts";

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function shell(host: string): { sh: Shell; output: MemoryOutput } {
  const output = new MemoryOutput();
  const exit = (code: number): never => {
    throw new Exit(code);
  };
  return { sh: new Shell({ host, timeout: 10000, readOnly: false, output, exit }), output };
}

/** Runs lines and returns what they printed, per stream, as lines. */
async function run(sh: Shell, output: MemoryOutput, ...lines: string[]) {
  const start = output.chunks.length;
  for (const line of lines) await sh.executeLine(line);
  const chunks = output.chunks.slice(start);
  const of = (s: "out" | "err") =>
    chunks.filter((c) => c.stream === s).map((c) => c.text).join("").split("\n").slice(0, -1);
  return { out: of("out"), err: of("err") };
}

const EVENT = (s: string) => ["", "WATCHER::", "", `WatchedEvent ${s}`];

serverTest("shell: commands, streams, exit codes, history and redo", async (_t, srv) => {
  const { sh, output } = shell(srv.connectString);
  try {
    let r = await run(sh, output, "create /a 1");
    assert.deepEqual(r.err, ["Created /a"]);
    assert.equal(sh.exitCode, 0);

    r = await run(sh, output, "get /missing");
    assert.deepEqual(r.err, ["Node does not exist: /missing"]);
    assert.equal(sh.exitCode, 1);

    r = await run(sh, output, "nosuch x");
    assert.deepEqual(r.err, [...usageLines(), "Command not found: Command not found nosuch"]);
    assert.equal(sh.exitCode, 127);

    r = await run(sh, output, "", "ls /", "history");
    assert.deepEqual(r.out, [
      "[a, zookeeper]",
      "0 - create /a 1",
      "1 - get /missing",
      "2 - nosuch x",
      "3 - ls /",
      "4 - history",
    ]);
    assert.equal(sh.commandCount, 5);

    r = await run(sh, output, "redo 3", "redo 0x3", "redo 9", "redo 7");
    assert.deepEqual(r.out, ["[a, zookeeper]", "[a, zookeeper]"]);
    assert.deepEqual(r.err, ["Command index out of range", "No redoing redos"]);
    // A redo is recorded as the command it ran.
    assert.deepEqual((await run(sh, output, "history")).out.slice(-5, -1), [
      "5 - ls /",
      "6 - ls /",
      "7 - redo 9",
      "8 - redo 7",
    ]);
  } finally {
    await sh.session.close();
  }
});

serverTest("shell: watches, printwatches, close, connect, quit", async (_t, srv) => {
  const { sh, output } = shell(srv.connectString);
  try {
    let r = await run(sh, output, "create /w x", "get -w /w", "set /w y");
    await new Promise((res) => setTimeout(res, 200));
    assert.ok(
      output.text("out").includes(
        EVENT("state:SyncConnected type:NodeDataChanged path:/w").join("\n"),
      ),
    );
    r = await run(sh, output, "printwatches", "printwatches off", "printwatches");
    assert.deepEqual(r.out, ["printwatches is on", "printwatches is off"]);
    r = await run(sh, output, "close", "ls /", "printwatches on");
    assert.deepEqual(r.out, ["Not connected", "Not connected"]);
    assert.equal(sh.session.state, "CLOSED");

    r = await run(sh, output, `connect ${srv.connectString}`, "ls /w");
    assert.deepEqual(r.out.slice(-1), ["[]"]);
    assert.ok(r.out.join("\n").includes("WatchedEvent state:SyncConnected type:None path:null"));

    await run(sh, output, "get /missing");
    await assert.rejects(
      run(sh, output, "quit"),
      (e: unknown) => e instanceof Exit && e.code === 1,
    );
    assert.ok(
      output.text("out").endsWith(EVENT("state:Closed type:None path:null").join("\n") + "\n"),
    );
  } finally {
    await sh.session.close();
  }
});
