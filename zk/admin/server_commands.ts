/**
 * Admin commands about the server itself: configuration, environment, trace mask, quorum views
 * (answered as a standalone Apache server answers them) and snapshots.
 */
import type { AdminCommand } from "./command.ts";
import { fields } from "./command.ts";
import type { Json } from "./_jackson.ts";
import { DEFAULT_TRACE_MASK, environmentEntries, javaHex } from "../fourletter/mod.ts";

/** zoo.cfg names of the settings ZooKeeperServerConf.toMap reports, with its JSON names. */
const CONF_KEYS: [string, string][] = [
  ["clientPort", "client_port"],
  ["dataDir", "data_dir"],
  ["dataLogDir", "data_log_dir"],
  ["tickTime", "tick_time"],
  ["maxClientCnxns", "max_client_cnxns"],
  ["minSessionTimeout", "min_session_timeout"],
  ["maxSessionTimeout", "max_session_timeout"],
  ["serverId", "server_id"],
  ["clientPortListenBacklog", "client_port_listen_backlog"],
];

/** The newest `snapshot.<zxid>` in a version-2 directory: zxid, and mtime in seconds. */
function lastSnapshot(dir: string): { zxid: bigint; timestamp: number } | null {
  let best: { zxid: bigint; timestamp: number } | null = null;
  try {
    for (const e of Deno.readDirSync(dir)) {
      const m = /^snapshot\.([0-9a-f]+)$/.exec(e.name);
      if (!e.isFile || !m) continue;
      const zxid = BigInt(`0x${m[1]}`);
      if (best === null || zxid > best.zxid) {
        const mtime = Deno.statSync(`${dir}/${e.name}`).mtime?.getTime() ?? 0;
        best = { zxid, timestamp: Math.floor(mtime / 1000) };
      }
    }
  } catch {
    // no data dir yet: no snapshot
  }
  return best;
}

/** system_properties: the environment's Java keys plus the server's own properties, sorted. */
function systemProperties(
  version: string,
  extra: Readonly<Record<string, string>>,
): Map<string, Json> {
  const props = new Map<string, string>();
  for (const [k, v] of environmentEntries(version)) {
    if (k.startsWith("java.") || k.startsWith("os.") || k.startsWith("user.")) {
      if (!k.startsWith("os.memory.")) props.set(k, v);
    }
  }
  props.set("file.separator", Deno.build.os === "windows" ? "\\" : "/");
  props.set("line.separator", "\n");
  props.set("path.separator", Deno.build.os === "windows" ? ";" : ":");
  for (const [k, v] of Object.entries(extra)) props.set(k, v);
  return new Map([...props].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** The commands of this file, each with its Apache names. */
export const SERVER_COMMANDS: AdminCommand[] = [
  {
    names: ["configuration", "conf", "config"],
    run: ({ view }) => {
      const conf = view.conf();
      return new Map(CONF_KEYS.filter(([k]) => k in conf).map(([k, json]) => [json, conf[k]]));
    },
  },
  {
    names: ["dirs"],
    run: ({ view }) =>
      fields(["datadir_size", view.dataDirSize()], ["logdir_size", view.dataLogSize()]),
  },
  {
    names: ["environment", "env", "envi"],
    run: ({ view }) => new Map(environmentEntries(view.version)),
  },
  { names: ["get_trace_mask", "gtmk"], run: () => fields(["tracemask", DEFAULT_TRACE_MASK]) },
  {
    names: ["set_trace_mask", "stmk"],
    run: ({ kwargs }) => {
      const mask = kwargs.traceMask;
      if (mask === undefined) {
        return fields(["error", "setTraceMask requires long traceMask argument"]);
      }
      if (!/^[+-]?\d+$/.test(mask) || BigInt.asIntN(64, BigInt(mask)) !== BigInt(mask)) {
        return fields(["error", `setTraceMask requires long traceMask argument, got ${mask}`]);
      }
      // herd has no trace logging to configure: the mask is echoed as Apache does, not kept.
      return fields(["tracemask", BigInt(mask)]);
    },
  },
  { names: ["hash"], run: () => fields(["digests", []]) },
  {
    names: ["initial_configuration", "icfg"],
    run: ({ opts }) => fields(["initial_configuration", opts.initialConfiguration ?? null]),
  },
  {
    names: ["is_read_only", "isro"],
    run: ({ view }) => fields(["read_only", view.mode === "read-only"]),
  },
  {
    names: ["last_snapshot", "lsnp"],
    run: ({ view }) => {
      const snap = lastSnapshot(String(view.conf().dataDir ?? ""));
      return fields(["zxid", javaHex(snap?.zxid ?? -1n)], ["timestamp", snap?.timestamp ?? -1]);
    },
  },
  {
    names: ["leader", "lead"],
    run: ({ view }) =>
      view.mode === "standalone" || view.mode === "read-only"
        ? fields(["error", "server is not initialized"])
        : fields(
          ["is_leader", view.mode === "leader"],
          ["leader_id", view.mode === "leader" ? view.serverId : -1],
          ["leader_ip", ""],
        ),
  },
  { names: ["observer_connection_stat_reset", "orst"], run: () => fields() },
  {
    names: ["observers", "obsr"],
    run: () => fields(["synced_observers", 0], ["observers", []]),
  },
  { names: ["ruok"], run: () => fields() },
  {
    names: ["system_properties", "sysp"],
    run: ({ view, opts }) => systemProperties(view.version, opts.systemProperties ?? {}),
  },
  { names: ["voting_view"], run: () => fields(["current_config", {}]) },
  { names: ["zabstate"], run: () => fields(["voting", false], ["zabstate", ""]) },
];
