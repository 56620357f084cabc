// zoo.cfg as Apache ZooKeeper 3.8 reads it (QuorumPeerConfig), into one typed value.
import { ConfigError, formatLocation, JVM_FLAGS_SOURCE, keyError } from "./config_error.ts";
import { lexProperties, type PropertyLine } from "../../internal/properties.ts";
import { applyNativeKey, nativeDefaults } from "./_native_keys.ts";
import { applySystemProperties, type SystemProperty } from "./_system_properties.ts";
import { parseJvmFlags } from "../../internal/jvm_flags.ts";
import {
  checkQuorum,
  isEnsemble,
  parseServerLine,
  type PeerType,
  type QuorumServer,
} from "./servers.ts";
import type { FourLetterWordsWhitelist } from "./whitelist.ts";
import { unsupportedSettings } from "./_security.ts";
import { prometheusSettings } from "./_metrics_provider.ts";
import type { Unsupported } from "./unsupported.ts";

/** The AdminServer (Jetty in Apache): `admin.*` in zoo.cfg, or `-Dzookeeper.admin.*`. */
export interface AdminServerConfig {
  /** `admin.enableServer`; only the exact value `false` disables it. Default true. */
  enableServer: boolean;
  /** `admin.serverAddress`, default 0.0.0.0. */
  serverAddress: string;
  /** `admin.serverPort`, default 8080. */
  serverPort: number;
  /** `admin.commandURL`, default /commands. */
  commandURL: string;
  /** `admin.idleTimeout` in ms, default 30000. */
  idleTimeout: number;
}

/** Where PrometheusMetricsProvider serves `/metrics`, with its defaults (Apache 3.8.0). */
export interface PrometheusSettings {
  /** `metricsProvider.httpHost`, default 0.0.0.0. */
  host: string;
  /** `metricsProvider.httpPort`, default 7000. */
  port: number;
  /** `metricsProvider.exportJvmInfo`, default true: herd then adds the `process_*` series. */
  exportJvmInfo: boolean;
}

/** A parsed zoo.cfg (plus the JVM flags), with every default resolved as Apache 3.8 does. */
export interface ZkConfig {
  /** The zoo.cfg path as given. */
  source: string;
  /** The line each zoo.cfg key was (last) set on, to name it in later errors. */
  lines: ReadonlyMap<string, number>;
  /** ms; default 3000 (ZooKeeperServer.DEFAULT_TICK_TIME) when the key is missing. */
  tickTime: number;
  /** Ticks; 0 (not set) is fine standalone, an ensemble needs it. */
  initLimit: number;
  /** Ticks; 0 (not set) is fine standalone, an ensemble needs it. */
  syncLimit: number;
  connectToLearnerMasterLimit: number;
  /** Snapshots go here (under `version-2/`). Required. */
  dataDir: string;
  /** Transaction logs go here; defaults to dataDir. */
  dataLogDir: string;
  /** Undefined when not set (or 0), as in Apache; the client port can then come from server.N. */
  clientPort?: number;
  clientPortAddress?: string;
  /** Undefined when not set (4lw `conf` prints -1). */
  secureClientPort?: number;
  secureClientPortAddress?: string;
  /** -1: the OS default backlog. */
  clientPortListenBacklog: number;
  observerMasterPort?: number;
  /** Per client IP; 0 or less means no limit. Default 60. */
  maxClientCnxns: number;
  /** ms; default 2 × tickTime. */
  minSessionTimeout: number;
  /** ms; default 20 × tickTime. */
  maxSessionTimeout: number;
  /** `4lw.commands.whitelist`; default only `srvr`. */
  fourLetterWordsWhitelist: FourLetterWordsWhitelist;
  admin: AdminServerConfig;
  /** `extendedTypesEnabled` (TTL nodes); default false. */
  extendedTypesEnabled: boolean;
  /** Largest packet/znode in bytes, only from `-Djute.maxbuffer`; default 0xfffff. */
  juteMaxBuffer: number;
  /** `server.N` lines, by id. */
  servers: QuorumServer[];
  peerType: PeerType;
  standaloneEnabled: boolean;
  reconfigEnabled: boolean;
  dynamicConfigFile?: string;
  /** Always 3 (fast leader election), the only value Apache 3.8 accepts. */
  electionAlg: number;
  quorumListenOnAllIPs: boolean;
  syncEnabled: boolean;
  localSessionsEnabled: boolean;
  localSessionsUpgradingEnabled: boolean;
  /** `forceSync`: fsync each txn log write unless `no`. Default true. */
  forceSync: boolean;
  /** Txns between snapshots (randomised by Apache around this); default 100000, minimum 2. */
  snapCount: number;
  /** Txn log preallocation in KB; default 65536 (64 MiB). */
  preAllocSize: number;
  autopurge: {
    /** Hours; 0 or less disables purging. Default 0. */
    purgeInterval: number;
    /** Default 3, and at least 3. */
    snapRetainCount: number;
  };
  /** Default 1000. */
  globalOutstandingLimit: number;
  /** `skipACL=yes`; default false. */
  skipACL: boolean;
  /** `DigestAuthenticationProvider.superDigest`, `user:base64(sha1(user:password))`. */
  superDigest?: string;
  /** `enforceQuota`; default false (DECISIONS.md: soft quotas then only log the seed's line). */
  enforceQuota: boolean;
  /** `digest.enabled`: data-tree digests in logs and snapshots; default true. */
  digestEnabled: boolean;
  /** `audit.enable`; default false. */
  auditEnable: boolean;
  /** `-Dzookeeper.datadir.autocreate`; default true. */
  dataDirAutocreate: boolean;
  /** `-Dznode.container.checkIntervalMs`; default 60000. */
  containerCheckIntervalMs: number;
  /** `-Dznode.container.maxPerMinute`; default 10000. */
  containerMaxPerMinute: number;
  /** Leader election's settings, all system properties (and so zoo.cfg keys without the prefix). */
  election: ElectionSettings;
  metricsProvider: { className: string; options: Map<string, string> };
  /** Set when `metricsProvider.className` is Apache's PrometheusMetricsProvider. */
  prometheus?: PrometheusSettings;
  /**
   * Settings asking for what herd cannot give yet (TLS, SASL, enforced authentication, audit
   * logs, other metrics providers), by line: assertSupported refuses to serve with any.
   */
  unsupported: Unsupported[];
  /** Every system property these sources set: zoo.cfg's other keys, and every `-D` flag. */
  systemProperties: Map<string, string>;
  /** Unknown keys, ignored flags, odd values: worth logging at start, never fatal. */
  warnings: string[];
}

/** Fast leader election's tunables (QuorumCnxManager, FastLeaderElection in Apache 3.8.0). */
export interface ElectionSettings {
  /** `zookeeper.electionPortBindRetry`: binds of the election port to try; 0 = forever. Default 3. */
  portBindRetry: number;
  /** `zookeeper.cnxTimeout`: ms to connect to a peer's election port. Default 5000. */
  cnxTimeout: number;
  /** `zookeeper.fastleader.minNotificationInterval`: the first poll timeout, ms. Default 200. */
  minNotificationInterval: number;
  /** `zookeeper.fastleader.maxNotificationInterval`: the doubling poll timeout's cap, ms. Default 60000. */
  maxNotificationInterval: number;
}

/** Options for {@link parseZooCfg}. */
export interface ParseZooCfgOptions {
  /** SERVER_JVMFLAGS then JVMFLAGS, as zkServer.sh joins them; only `-Dk=v` tokens matter. */
  jvmFlags?: string;
}

const isQuorumKey = (key: string) =>
  key.startsWith("server.") || key.startsWith("group") || key.startsWith("weight");

function relativePathWarning(key: string, path: string, at: string): string | undefined {
  if (path.startsWith("/") || path.startsWith("./") || /^[A-Za-z]:[\\/]/.test(path)) return;
  return `${at}: ${key}: ${path} is relative (to the working directory); prepend ./ if intended`;
}

/** Orders warnings by the zoo.cfg line they name; file-wide and JVM-flag ones go last. */
function byLine(warnings: string[], file: string): string[] {
  const prefix = `${file} line `;
  const lineOf = (w: string) =>
    w.startsWith(prefix) ? parseInt(w.slice(prefix.length)) : Number.MAX_SAFE_INTEGER;
  return warnings.map((w) => [lineOf(w), w] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
}

/**
 * Parses zoo.cfg text. Throws {@link ConfigError} naming the key, file and line for a value
 * Apache would refuse (and for bad numbers Apache would silently replace with a default).
 *
 * @example
 * ```ts
 * import { parseZooCfg } from "./mod.ts";
 * const cfg = parseZooCfg(
 *   "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/tmp/zookeeper\nclientPort=2181\n",
 *   "zoo.cfg",
 *   { jvmFlags: "-Dzookeeper.enforceQuota=true" },
 * );
 * cfg.maxSessionTimeout; // 40000
 * cfg.enforceQuota; // true
 * ```
 */
export function parseZooCfg(
  text: string,
  file: string,
  options: ParseZooCfgOptions = {},
): ZkConfig {
  const warnings: string[] = [];
  const entries = new Map<string, PropertyLine>();
  for (const entry of lexProperties(text, file)) {
    const earlier = entries.get(entry.key);
    if (earlier) {
      warnings.push(
        `${file} line ${entry.line}: ${entry.key}: also set on line ${earlier.line}; the last wins`,
      );
      entries.delete(entry.key);
    }
    entries.set(entry.key, entry);
  }
  const lines = new Map([...entries].map(([key, e]) => [key, e.line]));
  const at = (key: string) => ({ file, line: lines.get(key) });

  // The JVM's -D flags exist before Apache reads zoo.cfg, whose System.setProperty overrides.
  const props = new Map<string, SystemProperty>();
  for (const [name, value] of parseJvmFlags(options.jvmFlags ?? "")) {
    props.set(name, { value, at: { file: JVM_FLAGS_SOURCE }, key: `-D${name}`, fromZooCfg: false });
  }
  const native = nativeDefaults();
  const quorumLines: PropertyLine[] = [];
  for (const e of entries.values()) {
    if (applyNativeKey(native, e, file, warnings)) continue;
    if (isQuorumKey(e.key)) {
      if (entries.has("dynamicConfigFile")) {
        throw keyError({ file, line: e.line }, e.key, "must be in the dynamicConfigFile");
      }
      quorumLines.push(e);
      continue;
    }
    const where = { file, line: e.line };
    props.set(`zookeeper.${e.key}`, { value: e.value, at: where, key: e.key, fromZooCfg: true });
  }
  const fromProps = applySystemProperties(props, warnings);
  const unsupported = unsupportedSettings(
    entries,
    props,
    file,
    fromProps.admin.enableServer,
    warnings,
  );
  const prometheus = prometheusSettings(entries, file, unsupported, warnings);

  if (native.snapRetainCount < 3) {
    warnings.push(
      `${formatLocation(at("autopurge.snapRetainCount"))}: autopurge.snapRetainCount: ` +
        `${native.snapRetainCount} is below 3; using 3, as Apache does`,
    );
    native.snapRetainCount = 3;
  }
  if (native.dataDir === undefined) {
    throw new ConfigError({ file }, "dataDir is not set", "dataDir");
  }
  for (const key of ["dataDir", "dataLogDir"] as const) {
    const path = native[key];
    const w = path === undefined
      ? undefined
      : relativePathWarning(key, path, formatLocation(at(key)));
    if (w) warnings.push(w);
  }
  if (native.clientPort === 0 && native.clientPortAddress !== undefined) {
    throw keyError(at("clientPortAddress"), "clientPortAddress", "is set but clientPort is not");
  }
  if (native.secureClientPort === 0 && native.secureClientPortAddress !== undefined) {
    throw keyError(
      at("secureClientPortAddress"),
      "secureClientPortAddress",
      "is set but secureClientPort is not",
    );
  }
  if (native.tickTime <= 0) {
    throw keyError(at("tickTime"), "tickTime", `${native.tickTime} is not a positive number of ms`);
  }
  const minSessionTimeout = native.minSessionTimeout === -1
    ? 2 * native.tickTime
    : native.minSessionTimeout;
  const maxSessionTimeout = native.maxSessionTimeout === -1
    ? 20 * native.tickTime
    : native.maxSessionTimeout;
  if (minSessionTimeout > maxSessionTimeout) {
    const key = lines.has("minSessionTimeout") ? "minSessionTimeout" : "maxSessionTimeout";
    throw keyError(
      at(key),
      key,
      `minSessionTimeout (${minSessionTimeout}) must not be larger than maxSessionTimeout ` +
        `(${maxSessionTimeout})`,
    );
  }

  const servers = quorumLines
    .filter((e) => e.key.startsWith("server."))
    .map((e) => parseServerLine(e.key, e.value, { file, line: e.line }, native.multiAddressEnabled))
    .sort((a, b) => a.id - b.id);
  checkQuorum(servers, native.standaloneEnabled, file, warnings, lines.get("standaloneEnabled"));
  for (const s of servers.filter((s) => s.addresses.length > 1)) {
    unsupported.push({
      at: { file, line: s.line },
      key: s.key,
      detail: `several addresses ("${s.value}") ask for multiAddress; herd's election and quorum ` +
        "ports speak one address per server",
    });
  }

  const cfg: ZkConfig = {
    source: file,
    lines,
    tickTime: native.tickTime,
    initLimit: native.initLimit,
    syncLimit: native.syncLimit,
    connectToLearnerMasterLimit: native.connectToLearnerMasterLimit,
    dataDir: native.dataDir,
    dataLogDir: native.dataLogDir ?? native.dataDir,
    clientPort: native.clientPort === 0 ? undefined : native.clientPort,
    clientPortAddress: native.clientPortAddress,
    secureClientPort: native.secureClientPort === 0 ? undefined : native.secureClientPort,
    secureClientPortAddress: native.secureClientPortAddress,
    clientPortListenBacklog: native.clientPortListenBacklog,
    observerMasterPort: native.observerMasterPort > 0 ? native.observerMasterPort : undefined,
    maxClientCnxns: native.maxClientCnxns,
    minSessionTimeout,
    maxSessionTimeout,
    servers,
    peerType: native.peerType,
    standaloneEnabled: native.standaloneEnabled,
    reconfigEnabled: native.reconfigEnabled,
    dynamicConfigFile: native.dynamicConfigFile,
    electionAlg: native.electionAlg,
    quorumListenOnAllIPs: native.quorumListenOnAllIPs,
    syncEnabled: native.syncEnabled,
    localSessionsEnabled: native.localSessionsEnabled,
    localSessionsUpgradingEnabled: native.localSessionsUpgradingEnabled,
    autopurge: { purgeInterval: native.purgeInterval, snapRetainCount: native.snapRetainCount },
    metricsProvider: {
      className: native.metricsProviderClassName,
      options: native.metricsProviderOptions,
    },
    prometheus,
    unsupported,
    ...fromProps,
    systemProperties: new Map([...props].map(([name, p]) => [name, p.value])),
    warnings: byLine(warnings, file),
  };
  // QuorumPeerConfig.checkValidity; "myid file is missing" needs the disk, see readMyid.
  if (isEnsemble(cfg)) {
    for (const key of ["initLimit", "syncLimit"] as const) {
      if (cfg[key] === 0) throw keyError(at(key), key, "is not set (an ensemble needs it)");
    }
  }
  return cfg;
}

/**
 * Reads and parses a zoo.cfg file. The JVM flags are `options.jvmFlags` when given, else
 * `$SERVER_JVMFLAGS $JVMFLAGS` from the environment (needs --allow-env).
 *
 * @example
 * ```ts ignore
 * import { assertStandalone, loadZooCfg } from "./mod.ts";
 * const cfg = await loadZooCfg("conf/zoo.cfg");
 * for (const w of cfg.warnings) console.warn(w);
 * assertStandalone(cfg);
 * ```
 */
export async function loadZooCfg(
  path: string,
  options: ParseZooCfgOptions = {},
): Promise<ZkConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new ConfigError({ file: path }, "file is missing");
    throw new ConfigError({ file: path }, `cannot be read: ${(e as Error).message}`);
  }
  const jvmFlags = options.jvmFlags ??
    `${Deno.env.get("SERVER_JVMFLAGS") ?? ""} ${Deno.env.get("JVMFLAGS") ?? ""}`;
  return parseZooCfg(text, path, { jvmFlags });
}
