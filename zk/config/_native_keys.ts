// The keys QuorumPeerConfig.parseProperties reads itself (Apache 3.8). Every other key becomes
// the system property `zookeeper.<key>` (see _system_properties.ts). Keys herd has no use for
// yet (SASL between peers, TLS between peers, JVM pause monitor) are still type-checked, because
// Apache refuses bad values for them too, and then dropped without a warning.
import { type ConfigLocation, keyError } from "./config_error.ts";
import type { PropertyLine } from "../../internal/properties.ts";
import { lenientBool, parseInt32, parseInt64, parsePort, strictBool } from "./_values.ts";
import type { PeerType } from "./servers.ts";

/** What the native keys set, before defaults that depend on each other are resolved. */
export interface NativeSettings {
  dataDir?: string;
  dataLogDir?: string;
  /** 0 means not set, as in Apache. */
  clientPort: number;
  clientPortAddress?: string;
  secureClientPort: number;
  secureClientPortAddress?: string;
  observerMasterPort: number;
  clientPortListenBacklog: number;
  tickTime: number;
  maxClientCnxns: number;
  /** -1 means 2 × tickTime. */
  minSessionTimeout: number;
  /** -1 means 20 × tickTime. */
  maxSessionTimeout: number;
  initLimit: number;
  syncLimit: number;
  connectToLearnerMasterLimit: number;
  electionAlg: number;
  quorumListenOnAllIPs: boolean;
  peerType: PeerType;
  syncEnabled: boolean;
  dynamicConfigFile?: string;
  snapRetainCount: number;
  purgeInterval: number;
  standaloneEnabled: boolean;
  reconfigEnabled: boolean;
  localSessionsEnabled: boolean;
  localSessionsUpgradingEnabled: boolean;
  multiAddressEnabled: boolean;
  metricsProviderClassName: string;
  metricsProviderOptions: Map<string, string>;
}

/** QuorumPeerConfig's field defaults; tickTime is ZooKeeperServer.DEFAULT_TICK_TIME. */
export function nativeDefaults(): NativeSettings {
  return {
    clientPort: 0,
    secureClientPort: 0,
    observerMasterPort: 0,
    clientPortListenBacklog: -1,
    tickTime: 3000,
    maxClientCnxns: 60,
    minSessionTimeout: -1,
    maxSessionTimeout: -1,
    initLimit: 0,
    syncLimit: 0,
    connectToLearnerMasterLimit: 0,
    electionAlg: 3,
    quorumListenOnAllIPs: false,
    peerType: "participant",
    syncEnabled: true,
    snapRetainCount: 3,
    purgeInterval: 0,
    standaloneEnabled: true,
    reconfigEnabled: false,
    localSessionsEnabled: false,
    localSessionsUpgradingEnabled: false,
    multiAddressEnabled: false,
    metricsProviderClassName: "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider",
    metricsProviderOptions: new Map(),
  };
}

type FieldsOf<T> = {
  [K in keyof NativeSettings]-?: NativeSettings[K] extends T ? K : never;
}[keyof NativeSettings];

type Handler = (
  s: NativeSettings,
  value: string,
  key: string,
  at: ConfigLocation,
  warnings: string[],
) => void;

const int = (field: FieldsOf<number>): Handler => (s, v, key, at) => {
  s[field] = parseInt32(v, key, at);
};
const port = (field: FieldsOf<number>): Handler => (s, v, key, at) => {
  s[field] = parsePort(v, key, at);
};
const flag = (field: FieldsOf<boolean>): Handler => (s, v, key, at) => {
  s[field] = strictBool(v, key, at);
};
// Apache 3.8 read these two with Boolean.parseBoolean, so any other word means false.
const looseFlag = (field: FieldsOf<boolean>): Handler => (s, v, key, at, warnings) => {
  s[field] = lenientBool(v, key, at, warnings);
};
const path = (field: "dataDir" | "dataLogDir"): Handler => (s, v, key, at) => {
  if (v === "") throw keyError(at, key, "is empty");
  s[field] = v;
};
const text = (
  field: "clientPortAddress" | "secureClientPortAddress" | "dynamicConfigFile",
): Handler =>
(s, v) => {
  s[field] = v;
};
const checkInt: Handler = (_s, v, key, at) => void parseInt32(v, key, at);
const checkLong: Handler = (_s, v, key, at) => void parseInt64(v, key, at);
const checkFlag: Handler = (_s, v, key, at) => void strictBool(v, key, at);
const ignore: Handler = () => {};

const NATIVE = new Map<string, Handler>([
  ["dataDir", path("dataDir")],
  ["dataLogDir", path("dataLogDir")],
  ["clientPort", port("clientPort")],
  ["localSessionsEnabled", flag("localSessionsEnabled")],
  ["localSessionsUpgradingEnabled", flag("localSessionsUpgradingEnabled")],
  ["clientPortAddress", text("clientPortAddress")],
  ["secureClientPort", port("secureClientPort")],
  ["secureClientPortAddress", text("secureClientPortAddress")],
  ["observerMasterPort", port("observerMasterPort")],
  ["clientPortListenBacklog", int("clientPortListenBacklog")],
  ["tickTime", int("tickTime")],
  ["maxClientCnxns", int("maxClientCnxns")],
  ["minSessionTimeout", int("minSessionTimeout")],
  ["maxSessionTimeout", int("maxSessionTimeout")],
  ["initLimit", int("initLimit")],
  ["syncLimit", int("syncLimit")],
  ["connectToLearnerMasterLimit", int("connectToLearnerMasterLimit")],
  ["electionAlg", (s, v, key, at) => {
    s.electionAlg = parseInt32(v, key, at);
    if (s.electionAlg !== 3) {
      throw keyError(at, key, `${v} is not supported; only 3 (fast leader election) is`);
    }
  }],
  ["quorumListenOnAllIPs", looseFlag("quorumListenOnAllIPs")],
  ["peerType", (s, v, key, at) => {
    const t = v.toLowerCase();
    if (t !== "participant" && t !== "observer") {
      throw keyError(at, key, `"${v}" is not a peer type (participant or observer)`);
    }
    s.peerType = t;
  }],
  ["syncEnabled", looseFlag("syncEnabled")],
  ["dynamicConfigFile", text("dynamicConfigFile")],
  ["autopurge.snapRetainCount", int("snapRetainCount")],
  ["autopurge.purgeInterval", int("purgeInterval")],
  ["standaloneEnabled", flag("standaloneEnabled")],
  ["reconfigEnabled", flag("reconfigEnabled")],
  ["sslQuorum", checkFlag],
  ["portUnification", checkFlag],
  ["sslQuorumReloadCertFiles", checkFlag],
  ["quorum.auth.enableSasl", checkFlag],
  ["quorum.auth.serverRequireSasl", checkFlag],
  ["quorum.auth.learnerRequireSasl", checkFlag],
  ["quorum.auth.learner.saslLoginContext", ignore],
  ["quorum.auth.server.saslLoginContext", ignore],
  ["quorum.auth.kerberos.servicePrincipal", ignore],
  ["quorum.cnxn.threads.size", checkInt],
  ["jvm.pause.info-threshold.ms", checkLong],
  ["jvm.pause.warn-threshold.ms", checkLong],
  ["jvm.pause.sleep.time.ms", checkLong],
  ["jvm.pause.monitor", checkFlag],
  ["metricsProvider.className", (s, v) => void (s.metricsProviderClassName = v)],
  ["multiAddress.enabled", flag("multiAddressEnabled")],
  ["multiAddress.reachabilityCheckTimeoutMs", checkInt],
  ["multiAddress.reachabilityCheckEnabled", checkFlag],
  ["oraclePath", ignore],
]);

/** Applies `entry` if QuorumPeerConfig reads that key itself; false if it does not. */
export function applyNativeKey(
  s: NativeSettings,
  entry: PropertyLine,
  file: string,
  warnings: string[],
): boolean {
  const at = { file, line: entry.line };
  const handler = NATIVE.get(entry.key);
  if (handler) {
    handler(s, entry.value, entry.key, at, warnings);
    return true;
  }
  if (entry.key.startsWith("metricsProvider.")) {
    s.metricsProviderOptions.set(entry.key.slice("metricsProvider.".length), entry.value);
    return true;
  }
  return false;
}
