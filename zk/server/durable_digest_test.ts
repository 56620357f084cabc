/**
 * A digest mismatch found while loading the database is counted where monitoring reads it
 * (mntr's zk_digest_mismatches_count), as Apache's ServerMetrics does.
 */
import assert from "node:assert/strict";
import { DIGEST_AT_0x21, fixture, withTrailer } from "../persist/_digest_fixtures.ts";
import { mntr } from "../fourletter/monitor.ts";
import { startDurableServer } from "./durable.ts";
import { Logger } from "../../internal/log.ts";

async function mismatchesAfterLoading(snapshot: Uint8Array): Promise<string | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "herd-digest-" });
  try {
    await Deno.mkdir(`${dir}/version-2`);
    await Deno.writeFile(`${dir}/version-2/snapshot.21`, snapshot);
    await Deno.writeFile(`${dir}/version-2/log.1`, fixture("log.1"));
    const { server, stop } = await startDurableServer(
      { clientPort: 0, clientPortAddress: "127.0.0.1", dataDir: dir, dataLogDir: dir },
      {},
      new Logger("", "ERROR"),
    );
    try {
      return /^zk_digest_mismatches_count\t(\d+)$/m.exec(mntr(server.viewImpl))?.[1];
    } finally {
      await stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("mntr counts the digest mismatches met while loading", async () => {
  const good = fixture("snapshot.21");
  assert.equal(await mismatchesAfterLoading(good), "0");
  assert.equal(await mismatchesAfterLoading(withTrailer(good, 0x21, DIGEST_AT_0x21 + 1n)), "1");
});
