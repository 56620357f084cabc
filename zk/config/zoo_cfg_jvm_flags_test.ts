import assert from "node:assert/strict";
import { ConfigError, parseZooCfg } from "./mod.ts";

const cfg = (text: string, jvmFlags: string) => parseZooCfg(text, "zoo.cfg", { jvmFlags });

Deno.test("-D flags set what zoo.cfg's unknown keys set", () => {
  const c = cfg(
    "dataDir=/d",
    "-Dzookeeper.DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU= " +
      "-Dzookeeper.enforceQuota=true -Dznode.container.checkIntervalMs=1000 " +
      "-Djute.maxbuffer=0x400000 -Dzookeeper.extendedTypesEnabled=TRUE -Dzookeeper.skipACL=yes " +
      "-Dzookeeper.forceSync=no -Dzookeeper.snapCount=5000 -Dzookeeper.preAllocSize=1024 " +
      "-Dzookeeper.4lw.commands.whitelist=ruok,mntr -Dreadonlymode.enabled=true " +
      "-Dzookeeper.admin.serverPort=9090 -Dzookeeper.audit.enable=true",
  );
  assert.equal(c.superDigest, "super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
  assert.equal(c.enforceQuota, true);
  assert.equal(c.containerCheckIntervalMs, 1000);
  assert.equal(c.juteMaxBuffer, 4 * 1024 * 1024);
  assert.equal(c.extendedTypesEnabled, true);
  assert.equal(c.skipACL, true);
  assert.equal(c.forceSync, false);
  assert.equal(c.snapCount, 5000);
  assert.equal(c.preAllocSize, 1024);
  assert.deepEqual(c.fourLetterWordsWhitelist, new Set(["ruok", "mntr", "isro", "srvr"]));
  assert.equal(c.admin.serverPort, 9090);
  assert.equal(c.auditEnable, true);
  assert.equal(c.systemProperties.get("zookeeper.enforceQuota"), "true");
  assert.equal(c.systemProperties.get("jute.maxbuffer"), "0x400000");
  assert.deepEqual(c.warnings, []);
});

Deno.test("zoo.cfg keys become zookeeper.<key> and override -D flags, as in Apache", () => {
  const c = cfg(
    "dataDir=/d\nenforceQuota=false\nDigestAuthenticationProvider.superDigest=super:abc=\n" +
      "audit.enable=true\nmetricsProvider.className=x.Prometheus\nmetricsProvider.httpPort=7000\n",
    "-Dzookeeper.enforceQuota=true",
  );
  assert.equal(c.enforceQuota, false);
  assert.equal(c.superDigest, "super:abc=");
  assert.equal(c.auditEnable, true);
  assert.equal(c.metricsProvider.className, "x.Prometheus");
  assert.deepEqual(c.metricsProvider.options, new Map([["httpPort", "7000"]]));
  assert.deepEqual(
    c.systemProperties,
    new Map([
      ["zookeeper.enforceQuota", "false"],
      ["zookeeper.DigestAuthenticationProvider.superDigest", "super:abc="],
      ["zookeeper.audit.enable", "true"],
    ]),
  );
  assert.deepEqual(c.warnings, []);
});

Deno.test("unimplemented -D flags are warned about once, logging and JMX ones not at all", () => {
  const c = cfg(
    "dataDir=/d",
    "-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory " +
      "-Djava.security.auth.login.config=/j.conf " +
      "-Dcom.sun.management.jmxremote -Dzookeeper.log.dir=/var/log/zookeeper " +
      "-Dzookeeper.root.logger=INFO,CONSOLE -Dlog4j.configuration=file:/l.properties",
  );
  assert.deepEqual(c.warnings, [
    "SERVER_JVMFLAGS/JVMFLAGS: -Dzookeeper.serverCnxnFactory: not a system property herd " +
    "implements; ignored",
    "SERVER_JVMFLAGS/JVMFLAGS: -Djava.security.auth.login.config: not a system property herd " +
    "implements; ignored",
  ]);
  assert.equal(c.systemProperties.get("zookeeper.log.dir"), "/var/log/zookeeper");
});

Deno.test("bad -D values name the flag", () => {
  const cases: [string, string][] = [
    ["-Dzookeeper.snapCount=many", 'zookeeper.snapCount: "many" is not a number'],
    ["-Djute.maxbuffer=0", "jute.maxbuffer: 0 must be at least 1"],
    ["-Djute.maxbuffer=08", 'jute.maxbuffer: "08" is not a number'],
    [
      "-Dznode.container.checkIntervalMs=0",
      "znode.container.checkIntervalMs: 0 must be at least 1",
    ],
    [
      "-Dzookeeper.admin.serverPort=-5",
      "zookeeper.admin.serverPort: -5 is not a valid port (0-65535)",
    ],
    ["-Dzookeeper.preAllocSize=1e6", 'zookeeper.preAllocSize: "1e6" is not a number'],
  ];
  for (const [flag, detail] of cases) {
    assert.throws(() => cfg("dataDir=/d", flag), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, `SERVER_JVMFLAGS/JVMFLAGS: -D${detail}`);
      assert.equal(e.line, undefined);
      return true;
    });
  }
});
