import assert from "node:assert/strict";
import { cfgDataDir, cfgValue, findClientPort } from "./client_port.ts";

const files = (map: Record<string, string>) => (path: string) => Promise.resolve(map[path]);

Deno.test("cfgValue reads a key as zkServer.sh's grep and sed do", () => {
  const cfg = "  clientPort=2181\nclientPortAddress=127.0.0.1\nx=a=b\n";
  assert.equal(cfgValue(cfg, "clientPort"), "2181");
  assert.equal(cfgValue(cfg, "clientPortAddress"), "127.0.0.1");
  assert.equal(cfgValue(cfg, "x"), "b", "the value after the last '='");
  assert.equal(cfgValue(cfg, "client"), undefined, "a key must end at a non-letter");
  assert.equal(cfgDataDir("dataDir = /var/zk \n"), "/var/zk");
});

Deno.test("clientPort and clientPortAddress, localhost by default", async () => {
  assert.deepEqual(await findClientPort("clientPort=2181\n", files({})), {
    ok: true,
    address: "localhost",
    port: "2181",
    ssl: false,
    notes: [],
  });
  const found = await findClientPort("clientPort=1\nclientPortAddress=10.0.0.1\n", files({}));
  assert.ok(found.ok && found.address === "10.0.0.1" && found.port === "1");
});

Deno.test("without clientPort: this server's server.N line, by myid", async () => {
  const cfg = "dataDir=/d\nserver.1=h1:1:2;127.0.0.2:2281\nserver.2=h2:1:2;[::1]:2381\n";
  const one = await findClientPort(cfg, files({ "/d/myid": "1\n" }));
  assert.ok(one.ok && one.address === "127.0.0.2" && one.port === "2281");
  const two = await findClientPort(cfg, files({ "/d/myid": "2" }));
  assert.ok(two.ok && two.address === "::1" && two.port === "2381");
  const none = await findClientPort(cfg, files({}));
  assert.equal(none.ok, false);
  assert.deepEqual(none.notes, [
    "myid could not be determined, will not able to locate clientPort in the server configs.",
    "Client port not found. Looking for secureClientPort in the static config.",
    "Unable to find either secure or unsecure client port in any configs. Terminating.",
  ]);
});

Deno.test("secureClientPort as the last resort", async () => {
  const found = await findClientPort("secureClientPort=2281\n", files({}));
  assert.ok(found.ok && found.ssl && found.port === "2281" && found.address === "localhost");
});
