import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, loadZooCfg, parseMyid, readMyid } from "./mod.ts";

// The file system tests need --allow-read/--allow-write (the `test` task gives --allow-all).
const canUseDisk = Deno.permissions.querySync({ name: "write" }).state === "granted" &&
  Deno.permissions.querySync({ name: "read" }).state === "granted";

Deno.test("parseMyid: the first line, as `echo 1 > myid` writes it", () => {
  assert.equal(parseMyid("1\n", "myid"), 1);
  assert.equal(parseMyid(" 3 \r\nignored\n", "myid"), 3);
  assert.equal(parseMyid("255", "myid"), 255);
  assert.equal(parseMyid("1000", "myid"), 1000); // Apache takes any long
});

Deno.test("parseMyid: not a number is an error naming the file", () => {
  const cases: [string, string][] = [
    ["one\n", '/d/myid line 1: serverid "one" is not a number'],
    ["", "/d/myid line 1: serverid an empty line is not a number"],
    ["\n1\n", "/d/myid line 1: serverid an empty line is not a number"],
    ["-1", '/d/myid line 1: serverid "-1" is not a number'],
    ["1.5", '/d/myid line 1: serverid "1.5" is not a number'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseMyid(text, "/d/myid"), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, message);
      return true;
    });
  }
});

Deno.test({
  name: "readMyid and loadZooCfg on disk",
  ignore: !canUseDisk,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "herd-config-" });
    try {
      assert.equal(await readMyid(dir), undefined); // standalone: no myid
      await Deno.mkdir(join(dir, "myid"));
      assert.equal(await readMyid(dir), undefined); // not a regular file: ignored, as in Apache
      await Deno.remove(join(dir, "myid"));
      await Deno.writeTextFile(join(dir, "myid"), "2\n");
      assert.equal(await readMyid(dir), 2);
      await Deno.writeTextFile(join(dir, "myid"), "two\n");
      await assert.rejects(readMyid(dir), {
        message: `${join(dir, "myid")} line 1: serverid "two" is not a number`,
      });

      const path = join(dir, "zoo.cfg");
      await Deno.writeTextFile(path, `tickTime=2000\ndataDir=${dir}\nclientPort=2181\n`);
      const c = await loadZooCfg(path, { jvmFlags: "-Dzookeeper.enforceQuota=true" });
      assert.equal(c.source, path);
      assert.equal(c.dataDir, dir);
      assert.equal(c.enforceQuota, true);
      await assert.rejects(loadZooCfg(join(dir, "nope.cfg")), {
        message: `${join(dir, "nope.cfg")}: file is missing`,
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
