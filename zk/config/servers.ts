// `server.N=host:port:port[:type][;[clientHost:]clientPort]` lines, the quorum checks Apache makes
// on them (QuorumPeerConfig.parseDynamicConfig), and herd's refusal to run a member standalone.
import { ConfigError, type ConfigLocation, formatLocation, keyError } from "./config_error.ts";
import { parsePort } from "./_values.ts";
import type { ZkConfig } from "./zoo_cfg.ts";

/** A server's role in the ensemble. */
export type PeerType = "participant" | "observer";

/** One quorum address of a server: `host:quorumPort:electionPort`. */
export interface QuorumAddress {
  host: string;
  /** Followers connect to the leader here (the seed's "LF_Port", 2888 in Apache's docs). */
  quorumPort: number;
  /** Leader election runs here (the seed's "L_Port", 3888 in Apache's docs). */
  electionPort: number;
}

/** A parsed `server.N` line. */
export interface QuorumServer {
  /** N, the server id that the member's `dataDir/myid` holds. */
  id: number;
  /** Usually one; several (`a|b`) with `multiAddress.enabled=true`. */
  addresses: QuorumAddress[];
  type: PeerType;
  /** From `;clientPort` or `;host:clientPort`; the host defaults to 0.0.0.0. */
  clientAddress?: { host: string; port: number };
  /** The key (`server.1`), value and line, to name the line in errors. */
  key: string;
  value: string;
  line: number;
}

const FORM = "host:port:port[:participant|observer][;[clientHost:]clientPort]";

/** String.split drops trailing empty strings; zoo.cfg values are split the same way. */
function javaSplit(s: string, sep: string | RegExp): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** `host:a:b` or `[v6:addr]:a:b` → [host, a, b]. */
function hostAndPorts(s: string, key: string, at: ConfigLocation, value: string): string[] {
  if (!s.startsWith("[")) return javaSplit(s, ":");
  const close = s.indexOf("]");
  const rest = s.slice(close + 1);
  if (close < 0 || (rest !== "" && !rest.startsWith(":"))) {
    throw keyError(at, key, `"${value}" has a malformed IPv6 address`);
  }
  return [s.slice(1, close), ...javaSplit(rest.slice(1), ":")];
}

/**
 * Parses one `server.N` line as Apache's QuorumServer does.
 *
 * @example
 * ```ts
 * import { parseServerLine } from "./mod.ts";
 * const s = parseServerLine("server.3", "192.168.8.14:2382:2383:observer", { file: "zoo.cfg", line: 32 });
 * // { id: 3, type: "observer", addresses: [{ host: "192.168.8.14", quorumPort: 2382, electionPort: 2383 }], … }
 * ```
 */
export function parseServerLine(
  key: string,
  value: string,
  at: ConfigLocation & { line: number },
  multiAddressEnabled = false,
): QuorumServer {
  const idText = key.slice("server.".length);
  if (!/^\d+$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
    throw keyError(at, key, `"${idText}" is not a server id (a number, as in server.1)`);
  }
  const wrongForm = () => keyError(at, key, `"${value}" does not have the form ${FORM}`);
  const serverClient = javaSplit(value, ";");
  if (serverClient.length === 0 || serverClient.length > 2) throw wrongForm();
  const server: QuorumServer = {
    id: Number(idText),
    addresses: [],
    type: "participant",
    key,
    value,
    line: at.line,
  };
  if (serverClient.length === 2) {
    const client = hostAndPorts(serverClient[1], key, at, value);
    if (client.length < 1 || client.length > 2) throw wrongForm();
    server.clientAddress = {
      host: client.length === 2 ? client[0] : "0.0.0.0",
      port: parsePort(client[client.length - 1], `${key} client port`, at),
    };
  }
  const alternatives = serverClient[0].split("|");
  if (alternatives.length > 1 && !multiAddressEnabled) {
    throw keyError(
      at,
      key,
      `several addresses ("${serverClient[0]}") need multiAddress.enabled=true`,
    );
  }
  let type: PeerType | undefined;
  for (const alternative of alternatives) {
    const parts = hostAndPorts(alternative, key, at, value);
    if (parts.length < 3 || parts.length > 4 || parts[0] === "") throw wrongForm();
    const quorumPort = parsePort(parts[1], `${key} quorum port`, at);
    const electionPort = parsePort(parts[2], `${key} election port`, at);
    if (quorumPort === electionPort) {
      throw keyError(at, key, `the quorum and election ports must differ (both are ${quorumPort})`);
    }
    if (parts.length === 4) {
      const t = parts[3].toLowerCase();
      if (t !== "participant" && t !== "observer") {
        throw keyError(at, key, `"${parts[3]}" is not a peer type (participant or observer)`);
      }
      if (type !== undefined && type !== t) {
        throw keyError(at, key, `its addresses disagree on the peer type (${type} vs ${t})`);
      }
      type = t;
    }
    server.addresses.push({ host: parts[0], quorumPort, electionPort });
  }
  server.type = type ?? "participant";
  return server;
}

/**
 * Apache's checks on the member list as a whole; a lone participant with standaloneEnabled is
 * ignored (Apache logs an error and runs standalone), and herd warns likewise.
 */
export function checkQuorum(
  servers: readonly QuorumServer[],
  standaloneEnabled: boolean,
  file: string,
  warnings: string[],
  standaloneLine?: number,
): void {
  const participants = servers.filter((s) => s.type === "participant");
  const observer = servers.find((s) => s.type === "observer");
  if (participants.length === 0) {
    if (!standaloneEnabled) {
      throw keyError(
        { file, line: standaloneLine },
        "standaloneEnabled",
        "false needs at least one server.N line",
      );
    }
    if (observer) {
      throw keyError({ file, line: observer.line }, observer.key, "observers need participants");
    }
  } else if (participants.length === 1 && standaloneEnabled) {
    const only = participants[0];
    if (observer) {
      throw keyError({ file, line: observer.line }, observer.key, "observers need a quorum");
    }
    warnings.push(
      `${formatLocation({ file, line: only.line })}: ${only.key}: only one server is listed; ` +
        "running standalone and ignoring it, as Apache does",
    );
  } else if (participants.length <= 2) {
    warnings.push(`${file}: no server failure will be tolerated; an ensemble needs 3 servers`);
  } else if (participants.length % 2 === 0) {
    warnings.push(`${file}: ${participants.length} voting servers; an odd number is better`);
  }
}

/**
 * Whether Apache would start this config as an ensemble member rather than standalone:
 * standaloneEnabled=false, or more than one participant `server.N` line.
 */
export function isEnsemble(cfg: Pick<ZkConfig, "servers" | "standaloneEnabled">): boolean {
  return !cfg.standaloneEnabled || cfg.servers.filter((s) => s.type === "participant").length > 1;
}

/**
 * Throws a ConfigError naming the first `server.N` line (or `dynamicConfigFile`) when the config
 * asks for an ensemble: herd has none yet, and starting this member standalone would split the
 * user's ensemble (DECISIONS.md).
 *
 * @example
 * ```ts
 * import { assertStandalone, parseZooCfg } from "./mod.ts";
 * const cfg = parseZooCfg("dataDir=/tmp/zk\nclientPort=2181\n", "zoo.cfg");
 * assertStandalone(cfg); // fine: no server.N lines
 * ```
 */
export function assertStandalone(cfg: ZkConfig): void {
  if (cfg.dynamicConfigFile !== undefined) {
    const at = { file: cfg.source, line: cfg.lines.get("dynamicConfigFile") };
    throw keyError(
      at,
      "dynamicConfigFile",
      `${cfg.dynamicConfigFile} holds an ensemble's member list; herd cannot run an ensemble ` +
        "yet, and running this server standalone would split it",
    );
  }
  if (!isEnsemble(cfg)) return;
  const first = [...cfg.servers].sort((a, b) => a.line - b.line)[0];
  const at = { file: cfg.source, line: first?.line ?? cfg.lines.get("standaloneEnabled") };
  const what = first ? `${first.key}=${first.value}` : "standaloneEnabled=false";
  throw new ConfigError(
    at,
    `${what} asks for an ensemble of ${cfg.servers.length} server(s); herd cannot run an ` +
      "ensemble yet, and running this server standalone would split it. Remove the server.N " +
      "lines to run one standalone server.",
    first?.key ?? "standaloneEnabled",
  );
}
