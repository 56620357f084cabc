import assert from "node:assert/strict";
import { assertStandalone, ConfigError, isEnsemble, parseServerLine, parseZooCfg } from "./mod.ts";

function configError(fn: () => unknown, message: string): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `not a ConfigError: ${e}`);
    assert.equal(e.message, message);
    return e;
  }
  assert.fail(`no error; expected: ${message}`);
}

const cfg = (text: string) => parseZooCfg(text, "zoo.cfg");

// The seed's 3-node pseudo-cluster: its zoo.cfg has the server lines on lines 30-32.
const CLUSTER = [
  "tickTime=2000",
  ...Array(3).fill("#"),
  "initLimit=10",
  "#",
  "#",
  "syncLimit=5",
  ...Array(3).fill("#"),
  "dataDir=/data/server/zk1/data",
  "dataLogDir=/data/server/zk1/log",
  "#",
  "clientPort=2181",
  ...Array(14).fill("#"),
  "server.1=192.168.8.14:2182:2183",
  "server.2=192.168.8.14:2282:2283",
  "server.3=192.168.8.14:2382:2383",
].join("\n");

Deno.test("the seed's cluster: servers are parsed, and herd refuses to run one standalone", () => {
  const c = cfg(CLUSTER);
  assert.equal(c.lines.get("server.1"), 30);
  assert.deepEqual(
    c.servers.map((s) => [s.id, s.addresses, s.type, s.line]),
    [
      [1, [{ host: "192.168.8.14", quorumPort: 2182, electionPort: 2183 }], "participant", 30],
      [2, [{ host: "192.168.8.14", quorumPort: 2282, electionPort: 2283 }], "participant", 31],
      [3, [{ host: "192.168.8.14", quorumPort: 2382, electionPort: 2383 }], "participant", 32],
    ],
  );
  assert.ok(isEnsemble(c));
  assert.deepEqual(c.systemProperties, new Map()); // server.N lines are not system properties
  const e = configError(
    () => assertStandalone(c),
    "zoo.cfg line 30: server.1=192.168.8.14:2182:2183 asks for an ensemble of 3 server(s); herd " +
      "cannot run an ensemble yet, and running this server standalone would split it. Remove " +
      "the server.N lines to run one standalone server.",
  );
  assert.equal(e.key, "server.1");
});

Deno.test("the seed's observer: peerType and the :observer suffix", () => {
  const c = cfg(
    "dataDir=/d\ninitLimit=10\nsyncLimit=5\npeerType=observer\n" +
      "server.1=127.0.0.1:2182:2183\nserver.2=127.0.0.1:2282:2283\n" +
      "server.3=127.0.0.1:2382:2383:observer\n",
  );
  assert.equal(c.peerType, "observer");
  assert.deepEqual(c.servers.map((s) => s.type), ["participant", "participant", "observer"]);
  assert.deepEqual(c.warnings, [
    "zoo.cfg: no server failure will be tolerated; an ensemble needs 3 servers",
  ]);
  assert.throws(() => assertStandalone(c), ConfigError);
});

Deno.test("client addresses, IPv6 and several addresses", () => {
  const at = { file: "zoo.cfg", line: 7 };
  assert.deepEqual(parseServerLine("server.1", "zk1:2888:3888;2181", at).clientAddress, {
    host: "0.0.0.0",
    port: 2181,
  });
  const s = parseServerLine("server.12", "[::1]:2888:3888:participant;127.0.0.1:2181", at);
  assert.equal(s.id, 12);
  assert.deepEqual(s.addresses, [{ host: "::1", quorumPort: 2888, electionPort: 3888 }]);
  assert.deepEqual(s.clientAddress, { host: "127.0.0.1", port: 2181 });
  assert.equal(parseServerLine("server.1", "a:1:2:OBSERVER", at).type, "observer");
  assert.equal(parseServerLine("server.1", "a:1:2|b:1:2", at, true).addresses.length, 2);
});

Deno.test("a single server.N with standaloneEnabled runs standalone, as in Apache", () => {
  const c = cfg("dataDir=/d\nclientPort=2181\nserver.1=localhost:2888:3888");
  assert.ok(!isEnsemble(c));
  assertStandalone(c);
  assert.deepEqual(c.warnings, [
    "zoo.cfg line 3: server.1: only one server is listed; running standalone and ignoring it, " +
    "as Apache does",
  ]);
  const forced = "dataDir=/d\ninitLimit=5\nsyncLimit=2\nstandaloneEnabled=false\n" +
    "server.1=localhost:2888:3888";
  assert.ok(isEnsemble(cfg(forced)));
  assert.throws(() => assertStandalone(cfg(forced)), /zoo.cfg line 5: server.1=localhost/);
});

Deno.test("bad server lines name the key and the line", () => {
  const cases: [string, string][] = [
    // The seed's template line, `server.n:…`: a Properties `key:value` whose key is server.n.
    [
      "server.n:localhost:2181:3181:observer",
      'zoo.cfg line 2: server.n: "n" is not a server id (a number, as in server.1)',
    ],
    [
      "server.1=zk1:2888",
      'zoo.cfg line 2: server.1: "zk1:2888" does not have the form ' +
      "host:port:port[:participant|observer][;[clientHost:]clientPort]",
    ],
    [
      "server.1=zk1:2888:3888:leader",
      'zoo.cfg line 2: server.1: "leader" is not a peer type (participant or observer)',
    ],
    ["server.1=zk1:x:3888", 'zoo.cfg line 2: server.1 quorum port: "x" is not a number'],
    [
      "server.1=zk1:2888:99999",
      "zoo.cfg line 2: server.1 election port: 99999 is not a valid port (0-65535)",
    ],
    [
      "server.1=zk1:2888:2888",
      "zoo.cfg line 2: server.1: the quorum and election ports must differ (both are 2888)",
    ],
    [
      "server.1=zk1:2888:3888;a:b:c",
      'zoo.cfg line 2: server.1: "zk1:2888:3888;a:b:c" does not ' +
      "have the form host:port:port[:participant|observer][;[clientHost:]clientPort]",
    ],
    [
      "server.1=zk1:2888:3888;-1",
      "zoo.cfg line 2: server.1 client port: -1 is not a valid port (0-65535)",
    ],
    [
      "server.1=a:1:2|b:1:2",
      'zoo.cfg line 2: server.1: several addresses ("a:1:2|b:1:2") need multiAddress.enabled=true',
    ],
    [
      "server.1=[::1:2888:3888",
      'zoo.cfg line 2: server.1: "[::1:2888:3888" has a malformed IPv6 address',
    ],
    ["server.1=a:1:2:observer", "zoo.cfg line 2: server.1: observers need participants"],
  ];
  for (const [line, message] of cases) configError(() => cfg(`dataDir=/d\n${line}`), message);
});

Deno.test("ensemble-only checks Apache makes", () => {
  configError(
    () => cfg("dataDir=/d\nsyncLimit=5\nserver.1=a:1:2\nserver.2=b:1:2"),
    "zoo.cfg: initLimit: is not set (an ensemble needs it)",
  );
  configError(
    () => cfg("dataDir=/d\nserver.1=a:1:2\nserver.2=b:1:2:observer"),
    "zoo.cfg line 3: server.2: observers need a quorum",
  );
  configError(
    () => cfg("dataDir=/d\nstandaloneEnabled=false"),
    "zoo.cfg line 2: standaloneEnabled: false needs at least one server.N line",
  );
  configError(
    () => cfg("dataDir=/d\ndynamicConfigFile=/c/zoo.cfg.dynamic\nserver.1=a:1:2"),
    "zoo.cfg line 3: server.1: must be in the dynamicConfigFile",
  );
  configError(
    () => assertStandalone(cfg("dataDir=/d\ndynamicConfigFile=/c/zoo.cfg.dynamic")),
    "zoo.cfg line 2: dynamicConfigFile: /c/zoo.cfg.dynamic holds an ensemble's member list; " +
      "herd cannot run an ensemble yet, and running this server standalone would split it",
  );
});
