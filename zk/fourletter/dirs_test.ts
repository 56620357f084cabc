/**
 * `dirs` and `conf` with a separate dataLogDir, against a real server. Apache 3.8.0 crosses the
 * two sizes over; captured on this machine (2026-12-07) with dataDir=…/data holding snapshot.0
 * (457 bytes) and dataLogDir=…/log holding log.1 (67108880 bytes, preallocated):
 *   conf: dataDir=…/data/version-2, dataDirSize=67108880, dataLogDir=…/log/version-2, dataLogSize=457
 *   dirs: datadir_size: 67108880, logdir_size: 457
 */
import assert from "node:assert/strict";
import { withServer } from "../server/_test_server.ts";
import { fourLetter } from "./_raw_session.ts";

Deno.test("dirs and conf report the log directory as dataDirSize, as Apache 3.8.0 does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-dirs-" });
  try {
    await Deno.mkdir(`${dir}/data/version-2`, { recursive: true });
    await Deno.mkdir(`${dir}/log/version-2`, { recursive: true });
    await Deno.writeFile(`${dir}/data/version-2/snapshot.0`, new Uint8Array(457));
    await Deno.writeFile(`${dir}/log/version-2/log.1`, new Uint8Array(70000));
    await withServer(async (server) => {
      const dirs = await fourLetter(server.port, "dirs");
      assert.deepStrictEqual(dirs, "datadir_size: 70000\nlogdir_size: 457\n");
      const conf = await fourLetter(server.port, "conf");
      assert.match(conf, new RegExp(`^dataDir=${dir}/data/version-2\ndataDirSize=70000\n`, "m"));
      assert.match(conf, new RegExp(`^dataLogDir=${dir}/log/version-2\ndataLogSize=457\n`, "m"));
    }, {
      settings: { dataDir: `${dir}/data`, dataLogDir: `${dir}/log`, fourLetterWhitelist: "*" },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
