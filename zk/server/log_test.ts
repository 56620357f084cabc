import assert from "node:assert/strict";

Deno.test("stdoutSink: lines come out whole and in order, long and non-ASCII ones too, flushed at exit", async () => {
  const long = "x".repeat(200_000);
  const script = `
    import { Logger } from ${JSON.stringify(new URL("./log.ts", import.meta.url).href)};
    const log = new Logger("7");
    for (let i = 0; i < 3000; i++) log.info("main:Test@1", "line " + i + " 配额 ✓");
    log.warn("main:Test@2", "x".repeat(200_000));
    setTimeout(() => {
      log.error("main:Test@3", "last, before exit");
      Deno.exit(0);
    }, 5);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(out.code, 0);
  const lines = new TextDecoder().decode(out.stdout).split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 3002);
  for (let i = 0; i < 3000; i++) {
    assert.match(
      lines[i],
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d [\\d:]+,\\d{3} \\[myid:7\\] - INFO  \\[main:Test@1\\] - line ${i} 配额 ✓$`,
      ),
    );
  }
  assert.ok(lines[3000].endsWith(`[main:Test@2] - ${long}`));
  assert.ok(lines[3001].endsWith("[main:Test@3] - last, before exit"));
});
