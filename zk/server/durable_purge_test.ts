/** autopurge: the first purge runs as the server starts, as Apache's DatadirCleanupManager does. */
import assert from "node:assert/strict";
import { writeSnapshot } from "../persist/snapshot.ts";
import { DataTree } from "../tree/data_tree.ts";
import { startDurableServer } from "./durable.ts";
import { Logger } from "../../internal/log.ts";

function snapshots(dir: string): string[] {
  return [...Deno.readDirSync(`${dir}/version-2`)].map((e) => e.name)
    .filter((n) => /^snapshot\.[0-9a-f]+$/.test(n)).sort();
}

Deno.test("autopurge purges once at start, then every purgeInterval hours", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-autopurge-" });
  try {
    await Deno.mkdir(`${dir}/version-2`);
    // Five snapshots (of the empty tree, named as if at zxids 1..5); the start rewrites the newest.
    const empty = await writeSnapshot(`${dir}/version-2`, new DataTree(), []);
    for (let zxid = 1; zxid <= 5; zxid++) {
      await Deno.copyFile(empty, `${dir}/version-2/snapshot.${zxid}`);
    }
    await Deno.remove(empty);
    assert.equal(snapshots(dir).length, 5);
    const { stop } = await startDurableServer(
      { clientPort: 0, clientPortAddress: "127.0.0.1", dataDir: dir, dataLogDir: dir },
      { autopurge: { purgeInterval: 1, snapRetainCount: 3 } },
      new Logger("", "ERROR"),
    );
    try {
      for (const until = Date.now() + 30_000; snapshots(dir).length > 3 && Date.now() < until;) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(snapshots(dir), ["snapshot.3", "snapshot.4", "snapshot.5"]);
    } finally {
      await stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
