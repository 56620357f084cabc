import assert from "node:assert/strict";
import { Logger } from "./log.ts";
import { RollingFileAppender } from "./rolling_file.ts";

const LINE =
  /^\d{4}-\d\d-\d\d [\d:]+,\d{3} \[myid:\] - INFO {2}\[main:Roll\] - line (\d+) 滚动 x*$/;

async function listLogs(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

/** Logs `count` lines of varying length (multi-byte text too) in one turn, as a busy server does. */
function logLines(file: RollingFileAppender, from: number, count: number): void {
  const log = new Logger("", "INFO", file.sink);
  for (let i = from; i < from + count; i++) {
    log.info("main:Roll", `line ${i} 滚动 ${"x".repeat(i % 97)}`);
  }
}

Deno.test("rolling file: whole lines, in order, none lost but the oldest files, count limited", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-rolling-" });
  const path = `${dir}/logs/zookeeper-zk-server-host.log`;
  const max = 4096;
  try {
    const file = new RollingFileAppender({ path, maxFileSize: max, maxBackupIndex: 3 });
    logLines(file, 0, 2000);
    // A second turn: the buffered lines of the first went out before these.
    await new Promise((r) => setTimeout(r, 0));
    logLines(file, 2000, 500);
    file.close();

    const base = "zookeeper-zk-server-host.log";
    assert.deepEqual(await listLogs(`${dir}/logs`), [base, `${base}.1`, `${base}.2`, `${base}.3`]);
    const kept: number[] = [];
    // Oldest first: .3, .2, .1, then the live file.
    for (const name of [`${base}.3`, `${base}.2`, `${base}.1`, base]) {
      const bytes = await Deno.readFile(`${dir}/logs/${name}`);
      const text = new TextDecoder().decode(bytes);
      assert.ok(text.endsWith("\n"), `${name} ends on a whole line`);
      const lines = text.slice(0, -1).split("\n");
      for (const l of lines) {
        const m = LINE.exec(l);
        assert.ok(m, `${name}: a whole line: ${l.slice(0, 80)}`);
        kept.push(Number(m[1]));
      }
      const last = new TextEncoder().encode(lines[lines.length - 1] + "\n").length;
      if (name !== base) {
        // log4j's rule: roll once a line brings the file to the limit, so it ends just past it.
        assert.ok(bytes.length >= max, `${name} is ${bytes.length} B, rolled at ${max}`);
        assert.ok(bytes.length - last < max, `${name} rolled at the first line past ${max}`);
      } else {
        assert.ok(bytes.length < max, `the live file is below the limit (${bytes.length} B)`);
      }
    }
    // The kept lines are the newest ones, contiguous, ending at the last one written.
    assert.equal(kept[kept.length - 1], 2499);
    kept.forEach((n, i) => assert.equal(n, kept[0] + i, "no line lost or repeated"));
    assert.ok(kept.length > 3 * 40, `${kept.length} lines kept in 4 files`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rolling file: a restart appends to the live file and rolls on its size", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-rolling-" });
  const path = `${dir}/zk.log`;
  try {
    await Deno.writeTextFile(path, "from before the restart\n");
    const first = new RollingFileAppender({ path, maxFileSize: 1 << 20, maxBackupIndex: 2 });
    logLines(first, 0, 3);
    first.close();
    const text = await Deno.readTextFile(path);
    assert.ok(text.startsWith("from before the restart\n"), "the old lines stay");
    assert.equal(text.split("\n").length, 5);

    // The existing bytes count toward the limit: the first line logged rolls the file.
    const size = (await Deno.stat(path)).size;
    const again = new RollingFileAppender({ path, maxFileSize: size + 1, maxBackupIndex: 2 });
    logLines(again, 3, 1);
    logLines(again, 4, 1);
    again.close();
    assert.deepEqual(await listLogs(dir), ["zk.log", "zk.log.1"]);
    assert.match(await Deno.readTextFile(`${path}.1`), /line 3 滚动 x+\n$/);
    assert.match(await Deno.readTextFile(path), /^[^\n]+line 4 滚动 x+\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rolling file: maxBackupIndex 0 cuts the file back to empty and keeps no old one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-rolling-" });
  const path = `${dir}/zk.log`;
  try {
    const file = new RollingFileAppender({ path, maxFileSize: 1000, maxBackupIndex: 0 });
    logLines(file, 0, 100);
    logLines(file, 194, 1); // 194 % 97 = 0: short, so it cannot roll an empty file by itself
    file.close();
    assert.deepEqual(await listLogs(dir), ["zk.log"]);
    const lines = (await Deno.readTextFile(path)).split("\n");
    assert.equal(lines.pop(), "");
    assert.ok(lines.length < 20, `${lines.length} lines: the file was cut back`);
    assert.match(lines[lines.length - 1], /line 194 /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rolling file: a failed write is reported once and does not throw", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-rolling-" });
  const errors: string[] = [];
  try {
    const file = new RollingFileAppender({
      path: `${dir}/zk.log`,
      maxFileSize: 100,
      maxBackupIndex: 1,
      onError: (m) => errors.push(m),
    });
    // The directory goes away: rolling cannot rename nor reopen the file.
    await Deno.remove(dir, { recursive: true });
    logLines(file, 0, 10);
    file.close();
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], /cannot roll .*zk\.log over/);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
