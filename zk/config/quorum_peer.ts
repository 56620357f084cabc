// What an ensemble member needs from zoo.cfg and myid together: which server.N line is this
// server, whether it votes, who the voters are, and where its election port listens
// (QuorumPeerConfig.parseProperties and checkValidity, QuorumPeer's view of the members).
import { ConfigError, keyError } from "./config_error.ts";
import type { PeerType, QuorumServer } from "./servers.ts";
import { isEnsemble } from "./servers.ts";
import type { ElectionSettings, ZkConfig } from "./zoo_cfg.ts";

/** This server's place in the ensemble, resolved from zoo.cfg and `dataDir/myid`. */
export interface QuorumPeerConfig {
  /** The server id from myid. */
  myid: number;
  /** This server's own `server.N` line. */
  self: QuorumServer;
  /** Participant or observer: the server list's word, which wins over `peerType`. */
  type: PeerType;
  /** Every `server.N` line, by id. */
  servers: QuorumServer[];
  /** The participants' ids, ascending: only they vote and only they can lead. */
  voters: number[];
  /** ms per tick. */
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  /** Bind the election and quorum ports on every address rather than the configured one. */
  quorumListenOnAllIPs: boolean;
  election: ElectionSettings;
}

/**
 * Resolves this member's quorum settings; throws a ConfigError when the config is not an ensemble,
 * when myid is missing, or when no `server.N` line has this id. `warnings` gets Apache's warning
 * when `peerType` and the server list disagree (the list wins, as in QuorumPeerConfig).
 *
 * @example
 * ```ts
 * import { parseZooCfg, quorumPeerConfig } from "./mod.ts";
 * const cfg = parseZooCfg(
 *   "dataDir=/d\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.12:2888:3888\n" +
 *     "server.2=127.0.0.13:2888:3888\nserver.3=127.0.0.14:2888:3888\n",
 *   "zoo.cfg",
 * );
 * const peer = quorumPeerConfig(cfg, 2, []);
 * peer.self.addresses[0].host; // "127.0.0.13"
 * peer.voters; // [1, 2, 3]
 * ```
 */
export function quorumPeerConfig(
  cfg: ZkConfig,
  myid: number | undefined,
  warnings: string[],
  myidFile = `${cfg.dataDir}/myid`,
): QuorumPeerConfig {
  if (!isEnsemble(cfg)) {
    throw new ConfigError(
      { file: cfg.source },
      "has no ensemble: an ensemble member needs at least two participant server.N lines",
    );
  }
  if (myid === undefined) {
    // QuorumPeerConfig.setupMyId: "myid file is missing".
    throw new ConfigError({ file: myidFile }, "myid file is missing (an ensemble member needs it)");
  }
  const self = cfg.servers.find((s) => s.id === myid);
  if (self === undefined) {
    throw new ConfigError(
      { file: myidFile },
      `myid ${myid} is not among the server.N lines of ${cfg.source} ` +
        `(${cfg.servers.map((s) => s.key).join(", ")})`,
    );
  }
  const peerTypeLine = cfg.lines.get("peerType");
  if (peerTypeLine !== undefined && cfg.peerType !== self.type) {
    warnings.push(
      keyError(
        { file: cfg.source, line: peerTypeLine },
        "peerType",
        `${cfg.peerType} does not match ${self.key}'s ${self.type}; using the server list's ` +
          `${self.type}, as Apache does`,
      ).message,
    );
  }
  return {
    myid,
    self,
    type: self.type,
    servers: cfg.servers,
    voters: cfg.servers.filter((s) => s.type === "participant").map((s) => s.id),
    tickTime: cfg.tickTime,
    initLimit: cfg.initLimit,
    syncLimit: cfg.syncLimit,
    quorumListenOnAllIPs: cfg.quorumListenOnAllIPs,
    election: cfg.election,
  };
}
