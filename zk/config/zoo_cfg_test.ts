import assert from "node:assert/strict";
import { ConfigError, isFourLetterWordAllowed, parseZooCfg } from "./mod.ts";

/** Asserts that `fn` throws a ConfigError with exactly `message`, and returns it. */
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

const cfg = (text: string, jvmFlags?: string) => parseZooCfg(text, "zoo.cfg", { jvmFlags });

// The shape of conf/zoo_sample.cfg: keys on lines 2, 5, 8, 12 and 14, as the seed's
// `grep -ni '^[\a-Z]' conf/zoo_sample.cfg` shows, with commented-out optional keys.
const SAMPLE = [
  "# milliseconds per tick",
  "tickTime=2000",
  "# ticks a follower may take",
  "# to connect and sync",
  "initLimit=10",
  "# ticks between a request",
  "# and its acknowledgement",
  "syncLimit=5",
  "# where snapshots go;",
  "# /tmp is only for",
  "# trying things out",
  "dataDir=/tmp/zookeeper",
  "# where clients connect",
  "clientPort=2181",
  "#maxClientCnxns=60",
  "#autopurge.snapRetainCount=3",
  "#autopurge.purgeInterval=1",
  "",
  "## Metrics",
  "#metricsProvider.httpPort=7000",
].join("\n");

Deno.test("the sample config: values, lines and Apache's defaults", () => {
  const c = cfg(SAMPLE);
  assert.equal(c.source, "zoo.cfg");
  assert.deepEqual([...c.lines], [
    ["tickTime", 2],
    ["initLimit", 5],
    ["syncLimit", 8],
    ["dataDir", 12],
    ["clientPort", 14],
  ]);
  assert.equal(c.tickTime, 2000);
  assert.equal(c.initLimit, 10);
  assert.equal(c.syncLimit, 5);
  assert.equal(c.dataDir, "/tmp/zookeeper");
  assert.equal(c.dataLogDir, "/tmp/zookeeper");
  assert.equal(c.clientPort, 2181);
  assert.equal(c.clientPortAddress, undefined);
  assert.equal(c.secureClientPort, undefined);
  assert.equal(c.clientPortListenBacklog, -1);
  assert.equal(c.maxClientCnxns, 60);
  assert.equal(c.minSessionTimeout, 4000); // as the reference `conf` output shows
  assert.equal(c.maxSessionTimeout, 40000);
  assert.deepEqual(c.fourLetterWordsWhitelist, new Set(["srvr"]));
  assert.deepEqual(c.admin, {
    enableServer: true,
    serverAddress: "0.0.0.0",
    serverPort: 8080,
    commandURL: "/commands",
    idleTimeout: 30000,
  });
  assert.equal(c.extendedTypesEnabled, false);
  assert.equal(c.juteMaxBuffer, 1048575);
  assert.deepEqual(c.servers, []);
  assert.equal(c.peerType, "participant");
  assert.equal(c.standaloneEnabled, true);
  assert.equal(c.reconfigEnabled, false);
  assert.equal(c.electionAlg, 3);
  assert.equal(c.syncEnabled, true);
  assert.equal(c.forceSync, true);
  assert.equal(c.snapCount, 100000);
  assert.equal(c.preAllocSize, 65536);
  assert.deepEqual(c.autopurge, { purgeInterval: 0, snapRetainCount: 3 });
  assert.equal(c.globalOutstandingLimit, 1000);
  assert.equal(c.skipACL, false);
  assert.equal(c.superDigest, undefined);
  assert.equal(c.enforceQuota, false);
  assert.equal(c.digestEnabled, true);
  assert.equal(c.containerCheckIntervalMs, 60000);
  assert.equal(
    c.metricsProvider.className,
    "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider",
  );
  assert.deepEqual(c.systemProperties, new Map());
  assert.deepEqual(c.warnings, []);
});

Deno.test("only dataDir is required; tickTime defaults to 3000 as in Apache 3.8", () => {
  const c = cfg("dataDir=/var/lib/zookeeper");
  assert.equal(c.tickTime, 3000);
  assert.equal(c.minSessionTimeout, 6000);
  assert.equal(c.maxSessionTimeout, 60000);
  assert.equal(c.clientPort, undefined);
  assert.equal(c.initLimit, 0);
});

Deno.test("the seed's own config: a separate dataLogDir, autopurge, whitelists", () => {
  const c = cfg(
    "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/data/server/zookeeper/data\n" +
      "dataLogDir=/data/server/zookeeper/logs\nclientPort=2181\n" +
      "autopurge.purgeInterval=1\nautopurge.snapRetainCount=3\n" +
      "4lw.commands.whitelist=stat, ruok, conf, isro\n",
  );
  assert.equal(c.dataLogDir, "/data/server/zookeeper/logs");
  assert.deepEqual(c.autopurge, { purgeInterval: 1, snapRetainCount: 3 });
  assert.deepEqual(c.fourLetterWordsWhitelist, new Set(["stat", "ruok", "conf", "isro", "srvr"]));
  assert.ok(isFourLetterWordAllowed(c.fourLetterWordsWhitelist, "ruok"));
  assert.ok(!isFourLetterWordAllowed(c.fourLetterWordsWhitelist, "dump"));
  assert.ok(!isFourLetterWordAllowed(c.fourLetterWordsWhitelist, "envi"));
  assert.deepEqual(
    c.systemProperties.get("zookeeper.4lw.commands.whitelist"),
    "stat, ruok, conf, isro",
  );
  assert.deepEqual(c.warnings, []);

  const all = cfg("dataDir=/d\n4lw.commands.whitelist=*\n");
  assert.equal(all.fourLetterWordsWhitelist, "*");
  assert.ok(isFourLetterWordAllowed(all.fourLetterWordsWhitelist, "dump"));
  assert.ok(!isFourLetterWordAllowed(all.fourLetterWordsWhitelist, "nope"));
  assert.equal(cfg("dataDir=/d\n4lw.commands.whitelist=stat,*").fourLetterWordsWhitelist, "*");
  assert.deepEqual(
    cfg("dataDir=/d\n4lw.commands.whitelist=").fourLetterWordsWhitelist,
    new Set(["srvr"]),
  );
});

Deno.test("the reference cluster's settings: clientPortAddress and admin.*", () => {
  const c = cfg(
    "dataDir=/tmp/n1/data\nclientPort=2181\nclientPortAddress=127.0.0.1\n" +
      "admin.enableServer=true\nadmin.serverAddress=127.0.0.1\nadmin.serverPort=8081\n" +
      "admin.commandURL=/cmds\nadmin.idleTimeout=5000\n",
  );
  assert.equal(c.clientPortAddress, "127.0.0.1");
  assert.deepEqual(c.admin, {
    enableServer: true,
    serverAddress: "127.0.0.1",
    serverPort: 8081,
    commandURL: "/cmds",
    idleTimeout: 5000,
  });
  assert.equal(cfg("dataDir=/d\nadmin.enableServer=false").admin.enableServer, false);
  // The reference TTL/container capture turns extended types on in zoo.cfg.
  const ttl = cfg("dataDir=/d\nextendedTypesEnabled=true\nskipACL=yes\nenforceQuota=true");
  assert.equal(ttl.extendedTypesEnabled, true);
  assert.equal(ttl.skipACL, true);
  assert.equal(ttl.enforceQuota, true);
  assert.deepEqual(c.warnings, []);
});

Deno.test("java.util.Properties syntax", () => {
  const c = cfg(
    "  # indented comment\n! bang comment\n\n" +
      "dataDir : /data/zk \n" + // `:` separator, whitespace trimmed
      "clientPort 2181\r\n" + // whitespace separator, CRLF
      "tickTime\t=\t1000\r" + // tabs, old-Mac line end
      "4lw.commands.whitelist=stat, \\\n    ruok,\\\n conf\n" + // continuations
      "superDigest=x\n" + // not DigestAuthenticationProvider.superDigest: unknown
      "DigestAuthenticationProvider.superDigest=super\\:abc\\u003D\n" + // escapes
      "odd\\ key = = v\n", // escaped blank in a key; only one separator is eaten
  );
  assert.equal(c.dataDir, "/data/zk");
  assert.equal(c.clientPort, 2181);
  assert.equal(c.tickTime, 1000);
  assert.deepEqual(c.fourLetterWordsWhitelist, new Set(["stat", "ruok", "conf", "srvr"]));
  assert.equal(c.superDigest, "super:abc=");
  assert.equal(c.systemProperties.get("zookeeper.odd key"), "= v");
  assert.deepEqual(c.lines.get("4lw.commands.whitelist"), 7);
  assert.equal(c.lines.get("odd key"), 12);
  // A trailing backslash on a comment line does not continue it.
  assert.equal(cfg("# comment \\\ndataDir=/x").dataDir, "/x");
  assert.equal(cfg("\uFEFFdataDir=/bom").dataDir, "/bom");
});

Deno.test("warnings: unknown keys, duplicates, clamped values, relative paths", () => {
  const c = cfg(
    "dataDir=data\ndataLogDir=./logs\nclientPort=2181\nclientPort=2182\n" +
      "autopurge.snapRetainCount=1\nmaxClientCnxn=10\njute.maxbuffer=4194304\n" +
      "4lw.commands.whitelist=stat, STAT, stats\nsnapCount=1\nforceSync=false\n" +
      "syncEnabled=yes\n",
  );
  assert.equal(c.clientPort, 2182);
  assert.equal(c.autopurge.snapRetainCount, 3);
  assert.equal(c.juteMaxBuffer, 1048575); // zoo.cfg cannot set it, in Apache either
  assert.equal(c.snapCount, 2);
  assert.equal(c.forceSync, true); // only "no" turns it off
  assert.equal(c.syncEnabled, false);
  assert.deepEqual(c.warnings, [
    "zoo.cfg line 1: dataDir: data is relative (to the working directory); prepend ./ if intended",
    "zoo.cfg line 4: clientPort: also set on line 3; the last wins",
    "zoo.cfg line 5: autopurge.snapRetainCount: 1 is below 3; using 3, as Apache does",
    "zoo.cfg line 6: maxClientCnxn: not a setting herd implements; ignored " +
    "(Apache would set the system property zookeeper.maxClientCnxn)",
    "zoo.cfg line 7: jute.maxbuffer: has no effect in zoo.cfg (Apache sets " +
    "zookeeper.jute.maxbuffer from it, and reads only -Djute.maxbuffer); " +
    "put -Djute.maxbuffer=4194304 in SERVER_JVMFLAGS instead",
    "zoo.cfg line 8: 4lw.commands.whitelist: STAT, stats: not four-letter words ZooKeeper " +
    "knows (they are case-sensitive); ignored",
    'zoo.cfg line 9: snapCount: "1" is below 2; using 2, as Apache does',
    'zoo.cfg line 10: forceSync: "false" is not no: sync stays on',
    'zoo.cfg line 11: syncEnabled: "yes" is not true or false; read as false, as Apache does',
  ]);
});

Deno.test("errors name the key, the file and the line", () => {
  const cases: [string, string][] = [
    ["dataDir=/d\n\ntickTime=abc", 'zoo.cfg line 3: tickTime: "abc" is not a number'],
    ["dataDir=/d\ntickTime=0", "zoo.cfg line 2: tickTime: 0 is not a positive number of ms"],
    ["dataDir=/d\ninitLimit=1.5", 'zoo.cfg line 2: initLimit: "1.5" is not a number'],
    ["dataDir=/d\nsyncLimit=99999999999", "zoo.cfg line 2: syncLimit: 99999999999 is out of range"],
    ["dataDir=/d\nclientPort=-1", "zoo.cfg line 2: clientPort: -1 is not a valid port (0-65535)"],
    [
      "dataDir=/d\nclientPort=65536",
      "zoo.cfg line 2: clientPort: 65536 is not a valid port (0-65535)",
    ],
    [
      "dataDir=/d\nsecureClientPort=70000",
      "zoo.cfg line 2: secureClientPort: 70000 is not a valid port (0-65535)",
    ],
    [
      "dataDir=/d\nadmin.serverPort=70000",
      "zoo.cfg line 2: admin.serverPort: 70000 is not a valid port (0-65535)",
    ],
    [
      "dataDir=/d\nadmin.serverPort=http",
      'zoo.cfg line 2: admin.serverPort: "http" is not a number',
    ],
    ["dataDir=/d\nmaxClientCnxns=lots", 'zoo.cfg line 2: maxClientCnxns: "lots" is not a number'],
    [
      "dataDir=/d\ntickTime=2000\nminSessionTimeout=50000",
      "zoo.cfg line 3: minSessionTimeout: minSessionTimeout (50000) must not be larger than " +
      "maxSessionTimeout (40000)",
    ],
    [
      "dataDir=/d\nmaxSessionTimeout=1000",
      "zoo.cfg line 2: maxSessionTimeout: minSessionTimeout (6000) must not be larger than " +
      "maxSessionTimeout (1000)",
    ],
    ["tickTime=2000\nclientPort=2181", "zoo.cfg: dataDir is not set"],
    ["dataDir=", "zoo.cfg line 1: dataDir: is empty"],
    [
      "dataDir=/d\nclientPortAddress=127.0.0.1",
      "zoo.cfg line 2: clientPortAddress: is set but clientPort is not",
    ],
    [
      "dataDir=/d\nelectionAlg=1",
      "zoo.cfg line 2: electionAlg: 1 is not supported; only 3 (fast leader election) is",
    ],
    [
      "dataDir=/d\npeerType=leader",
      'zoo.cfg line 2: peerType: "leader" is not a peer type (participant or observer)',
    ],
    [
      "dataDir=/d\nstandaloneEnabled=yes",
      'zoo.cfg line 2: standaloneEnabled: "yes" is not true or false',
    ],
    ["dataDir=/d\nsslQuorum=on", 'zoo.cfg line 2: sslQuorum: "on" is not true or false'],
    [
      "dataDir=/d\nautopurge.purgeInterval=1h",
      'zoo.cfg line 2: autopurge.purgeInterval: "1h" is not a number',
    ],
    ["dataDir=/d\nsnapCount=many", 'zoo.cfg line 2: snapCount: "many" is not a number'],
    [
      "dataDir=/d\nglobalOutstandingLimit=x",
      'zoo.cfg line 2: globalOutstandingLimit: "x" is not a number',
    ],
    ["dataDir=/d\npreAllocSize=64M", 'zoo.cfg line 2: preAllocSize: "64M" is not a number'],
    ["dataDir=/d\nbad=\\u12", 'zoo.cfg line 2: malformed \\uxxxx escape: "\\u12"'],
  ];
  for (const [text, message] of cases) configError(() => cfg(text), message);
  const e = configError(
    () => cfg("dataDir=/d\n\ntickTime=abc"),
    'zoo.cfg line 3: tickTime: "abc" is not a number',
  );
  assert.equal(e.file, "zoo.cfg");
  assert.equal(e.line, 3);
  assert.equal(e.key, "tickTime");
});

Deno.test("the file name in messages is the path as given", () => {
  configError(
    () => parseZooCfg("dataDir=/d\ntickTime=x", "/etc/zookeeper/conf/zoo.cfg"),
    '/etc/zookeeper/conf/zoo.cfg line 2: tickTime: "x" is not a number',
  );
});
