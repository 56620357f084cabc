import assert from "node:assert/strict";
import { assertSupported, ConfigError, parseZooCfg, quorumPeerConfig } from "./mod.ts";

// The three hosts with the same ports (test on 127.0.0.12/.13/.14).
const THREE_HOSTS = "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/d\nclientPort=2181\n" +
  "server.1=127.0.0.12:2888:3888\nserver.2=127.0.0.13:2888:3888\n" +
  "server.3=127.0.0.14:2888:3888:observer\nserver.4=127.0.0.15:2888:3888\n";

Deno.test("quorumPeerConfig: this server's line, its role and the voters", () => {
  const warnings: string[] = [];
  const peer = quorumPeerConfig(parseZooCfg(THREE_HOSTS, "zoo.cfg"), 2, warnings);
  assert.equal(peer.myid, 2);
  assert.deepEqual(peer.self.addresses, [
    { host: "127.0.0.13", quorumPort: 2888, electionPort: 3888 },
  ]);
  assert.equal(peer.type, "participant");
  assert.deepEqual(peer.voters, [1, 2, 4]);
  assert.deepEqual([peer.tickTime, peer.initLimit, peer.syncLimit], [2000, 10, 5]);
  assert.deepEqual(peer.election, {
    portBindRetry: 3,
    cnxTimeout: 5000,
    minNotificationInterval: 200,
    maxNotificationInterval: 60000,
  });
  assert.deepEqual(warnings, []);
});

Deno.test("quorumPeerConfig: the server list wins over peerType, with a warning", () => {
  const warnings: string[] = [];
  const cfg = parseZooCfg(`peerType=observer\n${THREE_HOSTS}`, "zoo.cfg");
  assert.equal(quorumPeerConfig(cfg, 1, warnings).type, "participant");
  assert.deepEqual(warnings, [
    "zoo.cfg line 1: peerType: observer does not match server.1's participant; using the server " +
    "list's participant, as Apache does",
  ]);
  assert.equal(quorumPeerConfig(cfg, 3, []).type, "observer");
});

Deno.test("quorumPeerConfig: a missing or unlisted myid is refused, naming the file", () => {
  const cfg = parseZooCfg(THREE_HOSTS, "zoo.cfg");
  assert.throws(
    () => quorumPeerConfig(cfg, undefined, []),
    (e) =>
      e instanceof ConfigError &&
      e.message === "/d/myid: myid file is missing (an ensemble member needs it)",
  );
  assert.throws(
    () => quorumPeerConfig(cfg, 7, []),
    (e) =>
      e instanceof ConfigError &&
      e.message ===
        "/d/myid: myid 7 is not among the server.N lines of zoo.cfg (server.1, server.2, " +
          "server.3, server.4)",
  );
  assert.throws(
    () => quorumPeerConfig(parseZooCfg("dataDir=/d\n", "zoo.cfg"), 1, []),
    /zoo.cfg: has no ensemble/,
  );
});

Deno.test("election settings: system properties, from -D flags or zoo.cfg keys", () => {
  const cfg = parseZooCfg(
    `${THREE_HOSTS}electionPortBindRetry=0\nfastleader.minNotificationInterval=50\n`,
    "zoo.cfg",
    { jvmFlags: "-Dzookeeper.cnxTimeout=0x400 -Dzookeeper.fastleader.maxNotificationInterval=800" },
  );
  assert.deepEqual(cfg.election, {
    portBindRetry: 0,
    cnxTimeout: 1024,
    minNotificationInterval: 50,
    maxNotificationInterval: 800,
  });
  assert.deepEqual(cfg.warnings, []);
  assert.throws(
    () => parseZooCfg(`${THREE_HOSTS}electionPortBindRetry=-1\n`, "zoo.cfg"),
    /^ConfigError: zoo.cfg line 10: electionPortBindRetry: -1 must be at least 0$/,
  );
});

Deno.test("several addresses per server (multiAddress) are refused with the key and line", () => {
  const cfg = parseZooCfg(
    "dataDir=/d\ninitLimit=10\nsyncLimit=5\nmultiAddress.enabled=true\n" +
      "server.1=127.0.0.12:2888:3888|127.0.1.12:2888:3888\nserver.2=127.0.0.13:2888:3888\n" +
      "server.3=127.0.0.14:2888:3888\n",
    "zoo.cfg",
  );
  assert.throws(
    () => assertSupported(cfg),
    (e) =>
      e instanceof ConfigError && e.key === "server.1" &&
      e.message === 'zoo.cfg line 5: server.1: several addresses ("127.0.0.12:2888:3888|' +
          "127.0.1.12:2888:3888\") ask for multiAddress; herd's election and quorum ports speak " +
          "one address per server",
  );
});
