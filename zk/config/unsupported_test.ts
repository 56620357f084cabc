import assert from "node:assert/strict";
import { assertSupported, ConfigError, parseZooCfg } from "./mod.ts";

const AUTH = "org.apache.zookeeper.server.auth.";
const PROMETHEUS = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";

function refusal(text: string, jvmFlags = ""): string {
  const cfg = parseZooCfg(text, "zoo.cfg", { jvmFlags });
  try {
    assertSupported(cfg);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  return "started";
}

Deno.test("settings that ask for security herd lacks are refused, naming key and line", () => {
  const cases: [string, string, RegExp][] = [
    ["secureClientPort=2281", "", /^zoo\.cfg line 2: secureClientPort: 2281 asks for TLS client/],
    ["portUnification=true", "", /^zoo\.cfg line 2: portUnification: true asks for TLS/],
    ["sslQuorum=true", "", /^zoo\.cfg line 2: sslQuorum: true asks for TLS between ensemble/],
    ["quorum.auth.enableSasl=true", "", /^zoo\.cfg line 2: quorum\.auth\.enableSasl: true asks/],
    [
      `authProvider.1=${AUTH}SASLAuthenticationProvider`,
      "",
      /^zoo\.cfg line 2: authProvider\.1: org\.apache\.zookeeper\.server\.auth\.SASLAuthenticationProvider asks for SASL/,
    ],
    [
      `authProvider.x509=${AUTH}X509AuthenticationProvider`,
      "",
      /^zoo\.cfg line 2: authProvider\.x509: .*X509AuthenticationProvider asks for TLS client certificates/,
    ],
    [
      "authProvider.2=com.example.MyAuth",
      "",
      /authProvider\.2: com\.example\.MyAuth is an authentication provider herd cannot load/,
    ],
    ["audit.enable=true", "", /^zoo\.cfg line 2: audit\.enable: true asks for an audit log/],
    [
      "sessionRequireClientSASLAuth=true",
      "",
      /sessionRequireClientSASLAuth: true asks that every session/,
    ],
    [
      "enforce.auth.enabled=true\nenforce.auth.schemes=sasl",
      "",
      /enforce\.auth\.enabled: true asks that every client authenticate \(sasl\)/,
    ],
    [
      "DigestAuthenticationProvider.enabled=false",
      "",
      /DigestAuthenticationProvider\.enabled: false turns digest/,
    ],
    [
      "DigestAuthenticationProvider.digestAlg=SHA-256",
      "",
      /digestAlg: SHA-256: herd computes digest ids with SHA1 only/,
    ],
    ["admin.forceHttps=true", "", /^zoo\.cfg line 2: admin\.forceHttps: true asks for HTTPS/],
    [
      "metricsProvider.className=com.example.Metrics",
      "",
      /^zoo\.cfg line 2: metricsProvider\.className: com\.example\.Metrics is a metrics provider herd cannot load/,
    ],
    // The same through SERVER_JVMFLAGS / JVMFLAGS.
    [
      "clientPort=2181",
      `-Dzookeeper.authProvider.1=${AUTH}SASLAuthenticationProvider`,
      /^SERVER_JVMFLAGS\/JVMFLAGS: -Dzookeeper\.authProvider\.1: .*SASLAuthenticationProvider asks for SASL/,
    ],
    [
      "clientPort=2181",
      "-Dzookeeper.client.portUnification=true",
      /^SERVER_JVMFLAGS\/JVMFLAGS: -Dzookeeper\.client\.portUnification: true asks for TLS/,
    ],
    [
      "clientPort=2181",
      "-Dzookeeper.audit.enable=TRUE",
      /-Dzookeeper\.audit\.enable: true asks for an audit log/,
    ],
  ];
  for (const [lines, flags, want] of cases) {
    assert.match(refusal(`dataDir=/d\n${lines}\n`, flags), want, `${lines} ${flags}`);
  }
});

Deno.test("what Apache allows by default, or what asks for no security on its own, starts", () => {
  const fine = [
    "secureClientPort=0",
    "sslQuorum=false\nportUnification=false",
    "quorum.auth.enableSasl=false",
    // Apache registers digest and ip itself: naming them changes nothing.
    `authProvider.1=${AUTH}DigestAuthenticationProvider\nauthProvider.2=${AUTH}IPAuthenticationProvider`,
    "audit.enable=false",
    "DigestAuthenticationProvider.digestAlg=SHA1\nDigestAuthenticationProvider.enabled=true",
    "enforce.auth.enabled=false",
    // HTTPS for an AdminServer that is not started asks for nothing.
    "admin.enableServer=false\nadmin.forceHttps=true",
    `metricsProvider.className=${PROMETHEUS}\nmetricsProvider.httpPort=7001`,
    "metricsProvider.className=org.apache.zookeeper.metrics.impl.DefaultMetricsProvider",
  ];
  for (const lines of fine) assert.equal(refusal(`dataDir=/d\n${lines}\n`), "started", lines);
});

Deno.test("TLS settings without a TLS port are ignored with a warning, as Apache ignores them", () => {
  const cfg = parseZooCfg(
    "dataDir=/d\nssl.keyStore.location=/k.jks\nssl.keyStore.password=secret\n",
    "zoo.cfg",
    { jvmFlags: "-Dzookeeper.ssl.quorum.trustStore.location=/t.jks" },
  );
  assertSupported(cfg);
  assert.deepEqual(cfg.warnings, [
    "zoo.cfg line 2: ssl.keyStore.location: a TLS setting, used only with secureClientPort, " +
    "portUnification or sslQuorum, none of which is set; ignored, as Apache ignores it",
    "zoo.cfg line 3: ssl.keyStore.password: a TLS setting, used only with secureClientPort, " +
    "portUnification or sslQuorum, none of which is set; ignored, as Apache ignores it",
    "SERVER_JVMFLAGS/JVMFLAGS: -Dzookeeper.ssl.quorum.trustStore.location: a TLS setting, used " +
    "only with secureClientPort, portUnification or sslQuorum, none of which is set; ignored, as " +
    "Apache ignores it",
  ]);
});

Deno.test("the first refusal is the earliest line; the others are listed with it", () => {
  assert.equal(
    refusal(
      "dataDir=/d\nsslQuorum=true\nsecureClientPort=2281\n",
      "-Dzookeeper.audit.enable=true",
    ).replace(/: true asks.*; also/, ": … also"),
    "zoo.cfg line 2: sslQuorum: … also not supported: secureClientPort (zoo.cfg line 3), " +
      "-Dzookeeper.audit.enable (SERVER_JVMFLAGS/JVMFLAGS)",
  );
});

Deno.test("PrometheusMetricsProvider's endpoint: Apache's defaults and options", () => {
  const defaults = parseZooCfg(`dataDir=/d\nmetricsProvider.className=${PROMETHEUS}\n`, "zoo.cfg");
  assert.deepEqual(defaults.prometheus, { host: "0.0.0.0", port: 7000, exportJvmInfo: true });
  const set = parseZooCfg(
    `dataDir=/d\nmetricsProvider.className=${PROMETHEUS}\nmetricsProvider.httpHost=127.0.0.1\n` +
      "metricsProvider.httpPort=7001\nmetricsProvider.exportJvmInfo=no\n" +
      "metricsProvider.numWorkerThreads=2\n",
    "zoo.cfg",
  );
  assert.deepEqual(set.prometheus, { host: "127.0.0.1", port: 7001, exportJvmInfo: false });
  assert.deepEqual(set.warnings, []);
  assert.throws(
    () =>
      parseZooCfg(
        `dataDir=/d\nmetricsProvider.className=${PROMETHEUS}\nmetricsProvider.httpPort=http\n`,
        "zoo.cfg",
      ),
    /zoo\.cfg line 3: metricsProvider\.httpPort: "http" is not a number/,
  );
  // Without the Prometheus class Apache reads no httpPort: herd says so and serves none.
  const unread = parseZooCfg("dataDir=/d\nmetricsProvider.httpPort=7000\n", "zoo.cfg");
  assert.equal(unread.prometheus, undefined);
  assert.match(unread.warnings[0], /^zoo\.cfg line 2: metricsProvider\.httpPort: read only by/);
});
