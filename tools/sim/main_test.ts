// `deno task sim`: a few seeds of each family pass through the real command (exit 0, a
// summary); an injected invariant that breaks on one seed is reported with that seed and the
// replay command, and only that seed fails; bad arguments are refused with the usage.
import assert from "node:assert/strict";
import { parseSimArgs, runSims } from "./main.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("sim: a few seeds of each family pass, with progress and a summary", async () => {
  const r = await run(["--seeds", "2", "--from", "7"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^election: 2\/2 seeds, 0 failed/m);
  assert.match(r.stdout, /^election: 2 of 2 seeds passed in [\d.]+ s/m);
  assert.match(r.stdout, /^zab: 2 of 2 seeds passed in .* \d+ epochs led, \d+ txns committed\)$/m);
  assert.match(r.stdout, /^all runs passed$/m);
});

Deno.test("sim: a broken invariant names the seed and the replay command, exit 1", () => {
  const lines: string[] = [];
  const failures = runSims({
    seeds: [3, 4],
    families: ["zab", "election"],
    invariant: (family, seed, now) =>
      family === "zab" && seed === 4 && now >= 50_000 ? "injected: seed 4 breaks" : undefined,
    print: (l) => lines.push(l),
  });
  assert.equal(failures.length, 1);
  assert.deepEqual([failures[0].family, failures[0].seed], ["zab", 4]);
  const text = lines.join("\n");
  assert.match(text, /^zab seed 4 FAILED: invariant broken at 50000 ms: injected: seed 4 breaks$/m);
  assert.match(text, /^ {2}replay: deno task sim --family zab --seed 4$/m);
  assert.match(text, /^zab: 1 of 2 seeds passed/m);
  assert.match(text, /^election: 2 of 2 seeds passed/m);
  assert.match(
    text,
    /^1 failing run\(s\); replay with:\n {2}deno task sim --family zab --seed 4$/m,
  );
  // The replay command parses back to exactly that run.
  const replay = parseSimArgs(["--family", "zab", "--seed", "4"]);
  assert.deepEqual([replay.families, replay.seeds], [["zab"], [4]]);
});

Deno.test("sim: bad arguments are refused with the usage, exit 2", async () => {
  const r = await run(["--seeds", "x"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--seeds: not an integer ≥ 1: x\nusage: deno task sim/);
  const f = await run(["--family", "raft"]);
  assert.equal(f.code, 2);
  assert.match(f.stderr, /--family: raft\?/);
});
