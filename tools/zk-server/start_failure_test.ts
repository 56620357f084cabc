/**
 * A server that cannot start says so in one log line and exits with Apache's code, never with a
 * Deno stack trace: port in use, a dataDir it cannot create, a txn log damaged in the middle
 * (refused, no file changed), a bad config; and zk-cleanup without a config. Run with the
 * deno.json task's own flags.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ZkClient } from "../../zk/client/mod.ts";
import { dataEnd } from "../../zk/persist/log_damage.ts";
import {
  exitCode,
  freePort,
  listening,
  spawnZkServer,
  taskFlags,
  waitFor,
  writeZooCfg,
} from "./_server_process.ts";

const TEST = { sanitizeOps: false, sanitizeResources: false };

function errorLines(out: string): string[] {
  return out.split("\n").filter((l) => / - ERROR /.test(l));
}

function assertNoTrace(out: string): void {
  assert.ok(!/Uncaught|\n\s+at /.test(out), `a stack trace in:\n${out}`);
}

async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "herd-start-failure-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every file under `dir` with its bytes. */
async function snapshotFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) { for (const [k, v] of await snapshotFiles(p)) out.set(k, v); }
    else out.set(p, await Deno.readFile(p));
  }
  return out;
}

/**
 * Starts a server from `cfg` that must fail: it exits with `code`, prints no stack trace, and
 * logs exactly one ERROR line, matching `line`.
 */
async function startFails(cfg: string, code: number, line: RegExp): Promise<void> {
  const p = await spawnZkServer(["start-foreground", cfg]);
  assert.equal(await exitCode(p), code);
  const out = p.output();
  assertNoTrace(out);
  const errors = errorLines(out);
  assert.equal(errors.length, 1, out);
  assert.match(errors[0], line);
}

Deno.test(
  { name: "start-up: the client port in use is one ERROR line, exit 1", ...TEST },
  async () => {
    await inTempDir(async (dir) => {
      const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (taken.addr as Deno.NetAddr).port;
      try {
        const cfg = await writeZooCfg(dir, port, `${dir}/data`);
        await startFails(
          cfg,
          1,
          new RegExp(
            `ERROR \\[main:ZooKeeperServerMain@91\\] - Unexpected exception, exiting abnormally: Address already in use.*127\\.0\\.0\\.1:${port}`,
          ),
        );
      } finally {
        taken.close();
      }
    });
  },
);

Deno.test({ name: "start-up: a dataDir that cannot be created is exit 3", ...TEST }, async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/plain-file`, "");
    const cfg = await writeZooCfg(dir, freePort(), `${dir}/plain-file/data`);
    await startFails(
      cfg,
      3,
      /ERROR \[main:ZooKeeperServerMain@81\] - Unable to access datadir, exiting abnormally: Unable to create data directory .*plain-file\/data\/version-2/,
    );
  });
});

Deno.test({ name: "start-up: a bad config names the key and line, exit 2", ...TEST }, async () => {
  await inTempDir(async (dir) => {
    const cfg = await writeZooCfg(dir, freePort(), `${dir}/data`, "tickTime=often\n");
    await startFails(
      cfg,
      2,
      /ERROR \[main:ZooKeeperServerMain@76\] - Invalid config, exiting abnormally: .*zoo\.cfg line 6: tickTime/,
    );
  });
});

/**
 * A stopped server's dataDir under `dir` holding `n` creates (/n00000.., 100 bytes each), whose
 * newest txn log `damage` then changes; the server's zoo.cfg and port.
 */
async function filledThenDamaged(
  dir: string,
  n: number,
  damage: (log: Uint8Array) => void,
): Promise<{ cfg: string; port: number; dataDir: string }> {
  const port = freePort();
  const dataDir = `${dir}/data`;
  const cfg = await writeZooCfg(dir, port, dataDir);
  const p = await spawnZkServer(["start-foreground", cfg]);
  await waitFor(() => listening(port), "the server to listen");
  const zk = await ZkClient.connect(`127.0.0.1:${port}`);
  const data = new Uint8Array(100).fill(0x61);
  for (let i = 0; i < n; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      batch.push(zk.create(`/n${String(j).padStart(5, "0")}`, data));
    }
    await Promise.all(batch);
  }
  await zk.close();
  p.child.kill("SIGTERM");
  assert.equal(await exitCode(p), 0);
  const logs = [...Deno.readDirSync(`${dataDir}/version-2`)]
    .map((e) => e.name).filter((name) => /^log\.[0-9a-f]+$/.test(name))
    .sort((a, b) => parseInt(a.slice(4), 16) - parseInt(b.slice(4), 16));
  const log = `${dataDir}/version-2/${logs.at(-1)}`;
  const bytes = await Deno.readFile(log);
  damage(bytes);
  await Deno.writeFile(log, bytes);
  return { cfg, port, dataDir };
}

Deno.test({
  name: "start-up: a txn log damaged in the middle is refused and no file changes",
  ...TEST,
}, async () => {
  await inTempDir(async (dir) => {
    const { cfg, dataDir } = await filledThenDamaged(dir, 3000, (bytes) => {
      // The case: 4 bytes flipped in the middle of the newest log.
      const middle = Math.floor(dataEnd(bytes) / 2);
      for (let i = 0; i < 4; i++) bytes[middle + i] ^= 0xff;
    });
    const before = await snapshotFiles(dataDir);
    await startFails(
      cfg,
      1,
      /ERROR \[main:ZooKeeperServerMain@91\] - Unexpected exception, exiting abnormally: Unable to load database on disk: .*log\.[0-9a-f]+: .* at byte \d+, yet an intact txn \(zxid 0x[0-9a-f]+\) follows at byte \d+.*No file was changed/,
    );
    assert.deepEqual(await snapshotFiles(dataDir), before, "no file changed");
  });
});

Deno.test({
  name: "start-up: a torn tail is cut, kept aside, and the rest is served",
  ...TEST,
}, async () => {
  await inTempDir(async (dir) => {
    const { cfg, port, dataDir } = await filledThenDamaged(dir, 600, (bytes) => {
      // The last create half written when the power went: its last 60 bytes never reached disk.
      const end = dataEnd(bytes);
      bytes.fill(0, end - 60, end);
    });
    const p = await spawnZkServer(["start-foreground", cfg]);
    await waitFor(() => listening(port), "the server to listen");
    const zk = await ZkClient.connect(`127.0.0.1:${port}`);
    const children = await zk.getChildren("/");
    await zk.close();
    p.child.kill("SIGTERM");
    assert.equal(await exitCode(p), 0);
    assert.equal(children.filter((c) => c.startsWith("n")).length, 599);
    assert.ok(!children.includes("n00599"));
    const aside = [...Deno.readDirSync(`${dataDir}/version-2`)].map((e) => e.name)
      .filter((n) => n.includes(".corrupt-"));
    assert.equal(aside.length, 1);
    assert.match(p.output(), /WARN .*cut the tail after \d+ txns, the \d+ bytes cut kept in/);
    assertNoTrace(p.output());
  });
});

Deno.test(
  { name: "zk-cleanup without a zoo.cfg: one line and its usage, exit 1", ...TEST },
  async () => {
    await inTempDir(async (dir) => {
      const r = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          ...await taskFlags("zk-cleanup"),
          fileURLToPath(new URL("../zk-cleanup/main.ts", import.meta.url)),
          "-n",
          "3",
        ],
        cwd: dir,
        env: { NO_COLOR: "1", ZOOCFGDIR: `${dir}/conf` },
      }).output();
      const err = new TextDecoder().decode(r.stderr);
      assert.equal(r.code, 1);
      assertNoTrace(err);
      assert.match(err, /conf\/zoo\.cfg: file is missing/);
      assert.match(new TextDecoder().decode(r.stdout), /^Usage:/);
    });
  },
);

Deno.test(
  { name: "start-up: the AdminServer's port in use is exit 4, as Apache", ...TEST },
  async () => {
    await inTempDir(async (dir) => {
      const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const adminPort = (taken.addr as Deno.NetAddr).port;
      const port = freePort();
      try {
        const cfg = `${dir}/zoo.cfg`;
        await Deno.writeTextFile(
          cfg,
          `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
            `admin.serverAddress=127.0.0.1\nadmin.serverPort=${adminPort}\n`,
        );
        const p = await spawnZkServer(["start-foreground", cfg]);
        assert.equal(await exitCode(p), 4);
        const out = p.output();
        assertNoTrace(out);
        const errors = errorLines(out);
        assert.equal(errors.length, 1, out);
        assert.match(
          errors[0],
          /ERROR \[main:ZooKeeperServerMain@86\] - Unable to start AdminServer, exiting abnormally: Address already in use/,
        );
        assert.equal(await listening(port), false, "the client port is closed again");
      } finally {
        taken.close();
      }
    });
  },
);
