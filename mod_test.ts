import assert from "node:assert/strict";
import { startDurableServer, ZkClient, ZkServer } from "./mod.ts";

const dec = new TextDecoder();

Deno.test("the public API starts a durable server, a client uses it, and the data outlives a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-mod-" });
  const settings = {
    clientPort: 0,
    clientPortAddress: "127.0.0.1",
    dataDir: dir,
    dataLogDir: dir,
  };
  try {
    const first = await startDurableServer(settings);
    const zk = await ZkClient.connect(`127.0.0.1:${first.server.port}`, { sessionTimeout: 4000 });
    await zk.create("/app", "v1");
    await zk.setData("/app", "v2");
    await zk.close();
    await first.stop();

    const second = await startDurableServer(settings);
    const again = await ZkClient.connect(`127.0.0.1:${second.server.port}`);
    const { data, stat } = await again.getData("/app");
    assert.equal(dec.decode(data!), "v2");
    assert.equal(stat.version, 1);
    await again.close();
    await second.stop();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the public API's in-memory server answers the client", async () => {
  const server = new ZkServer({ settings: { clientPort: 0, clientPortAddress: "127.0.0.1" } });
  server.start();
  try {
    const zk = await ZkClient.connect(`127.0.0.1:${server.port}`);
    assert.deepEqual(await zk.getChildren("/"), ["zookeeper"]);
    await zk.close();
  } finally {
    await server.stop();
  }
});
