/** Maps a parsed zoo.cfg onto the server's settings. */
import type { ZkConfig } from "../../zk/config/mod.ts";
import type { ServerSettings } from "../../zk/server/server.ts";

export function settingsFromConfig(cfg: ZkConfig, myid = 0): Partial<ServerSettings> {
  return {
    clientPort: cfg.clientPort ?? 2181,
    clientPortAddress: cfg.clientPortAddress,
    tickTime: cfg.tickTime,
    minSessionTimeout: cfg.minSessionTimeout,
    maxSessionTimeout: cfg.maxSessionTimeout,
    maxClientCnxns: cfg.maxClientCnxns,
    juteMaxBuffer: cfg.juteMaxBuffer,
    extendedTypesEnabled: cfg.extendedTypesEnabled,
    reconfigEnabled: cfg.reconfigEnabled,
    skipACL: cfg.skipACL,
    fourLetterWhitelist: cfg.fourLetterWordsWhitelist === "*"
      ? "*"
      : new Set(cfg.fourLetterWordsWhitelist),
    superDigest: cfg.superDigest,
    enforceQuota: cfg.enforceQuota,
    containerCheckIntervalMs: cfg.containerCheckIntervalMs,
    dataDir: cfg.dataDir,
    dataLogDir: cfg.dataLogDir,
    serverId: myid,
  };
}
