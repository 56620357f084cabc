/**
 * `zk-server start-foreground` for a zoo.cfg with `server.N` lines: this server joins the
 * ensemble as the server list says — an observer, or a participant that votes, then leads or
 * follows (zk/quorum/quorum_peer.ts) — and serves clients once synced or established.
 *
 * @module
 */
import type { Logger } from "../../internal/log.ts";
import { quorumPeerConfig, type ZkConfig } from "../../zk/config/mod.ts";
import { QuorumPeer } from "../../zk/quorum/quorum_peer.ts";
import { ZkServer } from "../../zk/server/server.ts";
import { herdLine } from "../../zk/server/log_sites.ts";
import { settingsFromConfig } from "./settings.ts";

/**
 * Starts the client port (refusing clients until synced) and the quorum peer; resolves once the
 * election port is bound. Throws a ConfigError when myid or this server's line is missing.
 *
 * @example
 * ```ts ignore
 * const { server, stop } = await startEnsembleMember(cfg, 4, log);
 * ```
 */
export async function startEnsembleMember(
  cfg: ZkConfig,
  myid: number | undefined,
  log: Logger,
): Promise<{ server: ZkServer; stop(): Promise<void> }> {
  const warnings: string[] = [];
  const peerCfg = quorumPeerConfig(cfg, myid, warnings);
  for (const w of warnings) log.warn(herdLine("main:QuorumPeerConfig"), w);
  const settings = settingsFromConfig(cfg, peerCfg.myid);
  // The client port may come from the server line (`;host:port`) instead of clientPort.
  const own = peerCfg.self.clientAddress;
  if (cfg.clientPort === undefined && own !== undefined) {
    settings.clientPort = own.port;
    settings.clientPortAddress ??= own.host;
  }
  const server = new ZkServer({ settings, logger: log, sessionIdServer: peerCfg.myid });
  server.start();
  const peer = new QuorumPeer(peerCfg, server, {
    dataDir: cfg.dataDir,
    dataLogDir: cfg.dataLogDir,
    snapCount: cfg.snapCount,
    logger: log,
  });
  try {
    await peer.start();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server,
    stop: async () => {
      await peer.stop();
      await server.stop();
    },
  };
}
