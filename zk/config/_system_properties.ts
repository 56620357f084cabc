// The settings Apache reads from Java system properties. They arrive two ways: `-Dname=value` in
// SERVER_JVMFLAGS / JVMFLAGS, and zoo.cfg keys QuorumPeerConfig does not know, which it turns
// into `zookeeper.<key>` (so `enforceQuota=true` in zoo.cfg is `-Dzookeeper.enforceQuota=true`).
// A few properties have no `zookeeper.` prefix (jute.maxbuffer, znode.container.*), so in zoo.cfg
// they have no effect in Apache; herd keeps that behaviour and says so in a warning.
import { type ConfigLocation, formatLocation, keyError } from "./config_error.ts";
import { decodeInt32, lenientBool, parseInt64 } from "./_values.ts";
import { parseFourLetterWordsWhitelist } from "./whitelist.ts";
import type { ZkConfig } from "./zoo_cfg.ts";
import { isSecurityProperty } from "./_security.ts";

/** One system property, with where it was set and the key as the user wrote it. */
export interface SystemProperty {
  value: string;
  at: ConfigLocation;
  /** `enforceQuota` for a zoo.cfg line, `-Dzookeeper.enforceQuota` for a flag. */
  key: string;
  fromZooCfg: boolean;
}

/** The ZkConfig fields that come from system properties. */
export type PropertySettings = Pick<
  ZkConfig,
  | "fourLetterWordsWhitelist"
  | "admin"
  | "extendedTypesEnabled"
  | "juteMaxBuffer"
  | "forceSync"
  | "snapCount"
  | "preAllocSize"
  | "globalOutstandingLimit"
  | "skipACL"
  | "superDigest"
  | "enforceQuota"
  | "digestEnabled"
  | "auditEnable"
  | "dataDirAutocreate"
  | "containerCheckIntervalMs"
  | "containerMaxPerMinute"
  | "election"
>;

function defaults(): PropertySettings {
  return {
    fourLetterWordsWhitelist: new Set(["srvr"]),
    admin: {
      enableServer: true,
      serverAddress: "0.0.0.0",
      serverPort: 8080,
      commandURL: "/commands",
      idleTimeout: 30000,
    },
    extendedTypesEnabled: false,
    juteMaxBuffer: 0xfffff,
    forceSync: true,
    snapCount: 100000,
    preAllocSize: 65536,
    globalOutstandingLimit: 1000,
    skipACL: false,
    enforceQuota: false,
    digestEnabled: true,
    auditEnable: false,
    dataDirAutocreate: true,
    containerCheckIntervalMs: 60000,
    containerMaxPerMinute: 10000,
    election: {
      portBindRetry: 3,
      cnxTimeout: 5000,
      minNotificationInterval: 200,
      maxNotificationInterval: 60000,
    },
  };
}

type Reader = (s: PropertySettings, p: SystemProperty, warnings: string[]) => void;

const warn = (p: SystemProperty, detail: string) =>
  `${formatLocation(p.at)}: ${p.key}: "${p.value}" ${detail}`;

const bool: (set: (s: PropertySettings, v: boolean) => void) => Reader = (set) => (s, p, w) =>
  set(s, lenientBool(p.value, p.key, p.at, w));

const int = (set: (s: PropertySettings, v: number) => void, min?: number): Reader => (s, p) => {
  const n = decodeInt32(p.value, p.key, p.at);
  if (min !== undefined && n < min) throw keyError(p.at, p.key, `${n} must be at least ${min}`);
  set(s, n);
};

// The exact tests Apache applies: forceSync is off only for "no", skipACL on only for "yes",
// and the AdminServer is off only for "false".
const READERS = new Map<string, Reader>([
  ["zookeeper.4lw.commands.whitelist", () => {}], // read last, with readonlymode.enabled
  ["readonlymode.enabled", () => {}],
  ["zookeeper.admin.enableServer", (s, p, w) => {
    if (p.value !== "true" && p.value !== "false") w.push(warn(p, "is not false: enabled"));
    s.admin.enableServer = p.value !== "false";
  }],
  ["zookeeper.admin.serverAddress", (s, p) => void (s.admin.serverAddress = p.value)],
  ["zookeeper.admin.serverPort", (s, p) => {
    const n = decodeInt32(p.value, p.key, p.at);
    if (n < 0 || n > 65535) throw keyError(p.at, p.key, `${n} is not a valid port (0-65535)`);
    s.admin.serverPort = n;
  }],
  ["zookeeper.admin.commandURL", (s, p) => void (s.admin.commandURL = p.value)],
  ["zookeeper.admin.idleTimeout", int((s, n) => void (s.admin.idleTimeout = n), 0)],
  ["zookeeper.extendedTypesEnabled", bool((s, v) => void (s.extendedTypesEnabled = v))],
  ["jute.maxbuffer", int((s, n) => void (s.juteMaxBuffer = n), 1)],
  ["zookeeper.forceSync", (s, p, w) => {
    if (p.value !== "yes" && p.value !== "no") w.push(warn(p, "is not no: sync stays on"));
    s.forceSync = p.value !== "no";
  }],
  ["zookeeper.snapCount", (s, p, w) => {
    s.snapCount = decodeInt32(p.value, p.key, p.at);
    if (s.snapCount < 2) {
      w.push(warn(p, "is below 2; using 2, as Apache does"));
      s.snapCount = 2;
    }
  }],
  ["zookeeper.preAllocSize", (s, p) => void (s.preAllocSize = parseInt64(p.value, p.key, p.at))],
  ["zookeeper.globalOutstandingLimit", int((s, n) => void (s.globalOutstandingLimit = n))],
  ["zookeeper.skipACL", (s, p, w) => {
    if (p.value !== "yes" && p.value !== "no") w.push(warn(p, "is not yes: ACLs stay checked"));
    s.skipACL = p.value === "yes";
  }],
  ["zookeeper.DigestAuthenticationProvider.superDigest", (s, p) => void (s.superDigest = p.value)],
  ["zookeeper.enforceQuota", bool((s, v) => void (s.enforceQuota = v))],
  ["zookeeper.digest.enabled", bool((s, v) => void (s.digestEnabled = v))],
  ["zookeeper.audit.enable", bool((s, v) => void (s.auditEnable = v))],
  ["zookeeper.datadir.autocreate", bool((s, v) => void (s.dataDirAutocreate = v))],
  ["znode.container.checkIntervalMs", int((s, n) => void (s.containerCheckIntervalMs = n), 1)],
  ["znode.container.maxPerMinute", int((s, n) => void (s.containerMaxPerMinute = n))],
  // QuorumCnxManager.Listener: 0 retries means retry forever; Apache falls back to 3 on a
  // negative value, herd refuses it like every other bad number.
  ["zookeeper.electionPortBindRetry", int((s, n) => void (s.election.portBindRetry = n), 0)],
  ["zookeeper.cnxTimeout", int((s, n) => void (s.election.cnxTimeout = n), 1)],
  [
    "zookeeper.fastleader.minNotificationInterval",
    int((s, n) => void (s.election.minNotificationInterval = n), 1),
  ],
  [
    "zookeeper.fastleader.maxNotificationInterval",
    int((s, n) => void (s.election.maxNotificationInterval = n), 1),
  ],
]);

// JMX and logging flags that start scripts commonly pass: the logging ones are read by
// zk/server/log_settings.ts, the rest mean nothing to herd, and warning about each would bury
// the warnings that matter.
const QUIET = [
  "com.sun.management.",
  "log4j",
  "logback.",
  "zookeeper.log.",
  "zookeeper.root.",
  "zookeeper.console.",
];

function unusedWarning(name: string, p: SystemProperty): string {
  const at = formatLocation(p.at);
  if (!p.fromZooCfg) return `${at}: ${p.key}: not a system property herd implements; ignored`;
  if (READERS.has(p.key)) {
    return `${at}: ${p.key}: has no effect in zoo.cfg (Apache sets ${name} from it, and reads ` +
      `only -D${p.key}); put -D${p.key}=${p.value} in SERVER_JVMFLAGS instead`;
  }
  return `${at}: ${p.key}: not a setting herd implements; ignored (Apache would set the ` +
    `system property ${name})`;
}

/** Reads the typed settings from the merged system properties, warning about the rest. */
export function applySystemProperties(
  props: ReadonlyMap<string, SystemProperty>,
  warnings: string[],
): PropertySettings {
  const s = defaults();
  for (const [name, p] of props) {
    const reader = READERS.get(name);
    if (reader) reader(s, p, warnings);
    // _security.ts refuses or warns about those itself.
    else if (isSecurityProperty(name)) continue;
    else if (!QUIET.some((q) => name.startsWith(q))) warnings.push(unusedWarning(name, p));
  }
  const listed = props.get("zookeeper.4lw.commands.whitelist");
  const readOnlyMode = props.get("readonlymode.enabled")?.value === "true";
  const { whitelist, unknown } = parseFourLetterWordsWhitelist(listed?.value, readOnlyMode);
  s.fourLetterWordsWhitelist = whitelist;
  if (listed && unknown.length > 0) {
    warnings.push(
      `${formatLocation(listed.at)}: ${listed.key}: ${unknown.join(", ")}: not four-letter ` +
        "words ZooKeeper knows (they are case-sensitive); ignored",
    );
  }
  return s;
}
