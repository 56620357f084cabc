import assert from "node:assert/strict";
import { ManualClock } from "../../internal/clock.ts";
import { lockLogDir, LogDirLockedError } from "./dir_lock.ts";
import { LogManager } from "./log_manager.ts";

/**
 * Kafka 2.8.2's message, recorded from Apache's broker started on a dir whose `.lock` another
 * process held (kafka.log.LogManager.lockLogDirs, LogManager.scala:234).
 */
const APACHE_MESSAGE = (dir: string) =>
  `Failed to acquire lock on file .lock in ${dir}. ` +
  "A Kafka instance in another process or thread is using this directory.";

/**
 * Python's `fcntl.lockf` takes the same POSIX record lock (fcntl F_SETLK) as Java's
 * FileChannel.tryLock, which Apache's broker uses: it stands in for a JVM here. It tries to lock
 * `path`, prints "locked" or "busy", and with `hold` keeps the lock until stdin closes.
 */
const PY = `
import fcntl, sys
f = open(sys.argv[1], "a+")
try:
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("locked", flush=True)
except OSError:
    print("busy", flush=True)
if sys.argv[2] == "hold":
    sys.stdin.read()
`;

/** Debian's python3, which .ci/run installs (python3-kazoo) and the project's tests already use. */
const PYTHON = "/usr/bin/python3";

async function tryFromPython(path: string): Promise<string> {
  const out = await new Deno.Command(PYTHON, { args: ["-c", PY, path, "try"] }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "herd-dirlock-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("dir lock: a second lock in this process is refused with Kafka's message, until released", async () => {
  await withDir(async (dir) => {
    const a = lockLogDir(dir);
    assert.throws(() => lockLogDir(dir), (e) => {
      assert.ok(e instanceof LogDirLockedError);
      assert.equal(e.message, APACHE_MESSAGE(dir));
      assert.equal(e.name, "org.apache.kafka.common.KafkaException");
      return true;
    });
    // The same dir by another spelling is the same dir.
    assert.throws(() => lockLogDir(`${dir}/.`), LogDirLockedError);
    a.release();
    a.release(); // idempotent
    const b = lockLogDir(dir);
    b.release();
    assert.ok((await Deno.stat(`${dir}/.lock`)).isFile, "the .lock file stays, as Kafka's does");
  });
});

Deno.test("dir lock: held as the POSIX lock a JVM takes, so Apache's broker and herd's exclude each other", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/.lock`;
    const held = lockLogDir(dir);
    assert.equal(await tryFromPython(path), "busy", "another process sees herd's lock");
    held.release();
    assert.equal(await tryFromPython(path), "locked", "and not once released");

    // The other way: a process holding the POSIX lock keeps herd out.
    const child = new Deno.Command(PYTHON, {
      args: ["-c", PY, path, "hold"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value).trim(), "locked");
    assert.throws(() => lockLogDir(dir), LogDirLockedError);
    await child.stdin.close();
    reader.releaseLock();
    await child.stdout.cancel();
    await child.status;
    lockLogDir(dir).release();
  });
});

Deno.test("log manager: a second broker on the same dir stops before touching it; a clean shutdown frees it", async () => {
  await withDir(async (root) => {
    const dirs = [`${root}/a`, `${root}/b`];
    const opts = {
      logDirs: dirs,
      brokerId: 1,
      clusterId: "c1uster-id-0123456789",
      clock: new ManualClock(1_700_000_000_000),
      defaults: new Map<string, string>(),
    };
    const first = await LogManager.open(opts);
    const before = [...Deno.readDirSync(dirs[1])].map((e) => e.name).sort();
    await assert.rejects(LogManager.open({ ...opts, brokerId: 2 }), (e) => {
      assert.ok(e instanceof LogDirLockedError);
      assert.equal(e.message, APACHE_MESSAGE(dirs[0]));
      return true;
    });
    // The refused broker took no lock it kept, and wrote nothing.
    assert.deepEqual([...Deno.readDirSync(dirs[1])].map((e) => e.name).sort(), before);
    await first.shutdown();
    const again = await LogManager.open(opts);
    await again.shutdown();
  });
});
