/**
 * Admin commands about connections, sessions, watches and statistics, with the keys and shapes
 * of Apache 3.8.0's JSON (reference/zookeeper/04c-adminserver.out).
 */
import type { ConnectionView, ServerView } from "../server/view.ts";
import type { AdminCommand } from "./command.ts";
import { fields } from "./command.ts";
import type { Json } from "./_jackson.ts";
import {
  avg4,
  copiedCapacity,
  ephemeralsBySession,
  interestOps,
  javaLongOrder,
  javaStringOrder,
  monitorValues,
  sessionExpiryMap,
  SESSIONLESS_CNXN_TIMEOUT,
  watchesByPathReport,
  watchesBySessionReport,
  watchSummary,
} from "../fourletter/mod.ts";

/** ServerCnxn.getConnectionInfo: Jackson prints the socket address without the leading slash. */
function connectionInfo(c: ConnectionView, brief: boolean): Map<string, Json> {
  const info = fields(
    ["remote_socket_address", c.remote.replace(/^\//, "")],
    ["interest_ops", interestOps(c)],
    ["outstanding_requests", c.queued],
    ["packets_received", c.packetsReceived],
    ["packets_sent", c.packetsSent],
  );
  if (brief) return info;
  const hasSession = c.sessionId !== null && c.sessionId !== 0n;
  return new Map([
    ...info,
    ["session_id", c.sessionId ?? 0n],
    ["last_operation", c.lastOp],
    ["established", c.established],
    ["session_timeout", hasSession ? c.sessionTimeout : SESSIONLESS_CNXN_TIMEOUT],
    ["last_cxid", c.lastCxid],
    ["last_zxid", c.lastZxid],
    ["last_response_time", c.lastResponseTime],
    ["last_latency", c.lastLatency],
    ["min_latency", c.minLatency],
    ["avg_latency", Math.floor(c.avgLatency)],
    ["max_latency", c.maxLatency],
  ]);
}

/** herd does not measure response sizes; -1 is BufferStats' "nothing yet". */
const noBufferStats = () =>
  fields(["last_buffer_size", -1], ["min_buffer_size", -1], ["max_buffer_size", -1]);

/** SrvrCommand's fields (ServerStats as Jackson serialises its getters). */
function serverStats(view: ServerView, now = Date.now()): Map<string, Json> {
  const st = view.stats();
  const out = fields(
    ["version", view.version],
    ["read_only", view.mode === "read-only"],
    [
      "server_stats",
      fields(
        ["packets_sent", st.packetsSent],
        ["packets_received", st.packetsReceived],
        ["fsync_threshold_exceed_count", 0],
        ["client_response_stats", noBufferStats()],
        ["uptime", now - st.startedAt],
        ["data_dir_size", view.dataDirSize()],
        ["log_dir_size", view.dataLogSize()],
        ["provider_null", false],
        ["server_state", view.mode],
        ["last_processed_zxid", view.lastZxid()],
        ["outstanding_requests", st.outstanding],
        ["avg_latency", avg4(st.avgLatency)],
        ["max_latency", st.maxLatency],
        ["min_latency", st.minLatency],
        ["num_alive_client_connections", view.connections().length],
        ["auth_failed_count", st.authFailed],
        ["non_mtlsremote_conn_count", 0],
        ["non_mtlslocal_conn_count", 0],
      ),
    ],
    ["client_response", noBufferStats()],
  );
  if (view.mode === "leader") out.set("proposal_stats", noBufferStats());
  out.set("node_count", view.nodeCount());
  return out;
}

/** The commands of this file, each with its Apache names. */
export const STATS_COMMANDS: AdminCommand[] = [
  {
    names: ["connection_stat_reset", "crst"],
    run: ({ view }) => {
      view.resetConnectionStats();
      return fields();
    },
  },
  {
    names: ["connections", "cons"],
    run: ({ view }) =>
      fields(
        ["connections", view.connections().map((c) => connectionInfo(c, false))],
        ["secure_connections", []],
      ),
  },
  {
    names: ["dump"],
    run: ({ view }) => {
      const expiry = new Map<string, Json>();
      for (const [time, ids] of sessionExpiryMap(view)) {
        expiry.set(String(time), javaLongOrder(ids));
      }
      const eph = new Map<string, Json>();
      for (const [id, paths] of ephemeralsBySession(view)) {
        eph.set(String(id), javaStringOrder(paths, copiedCapacity(paths.length)));
      }
      return fields(["expiry_time_to_session_ids", expiry], ["session_id_to_ephemeral_paths", eph]);
    },
  },
  {
    names: ["monitor", "mntr"],
    run: ({ view }) => new Map(monitorValues(view).map((e) => [e.key, e.value])),
  },
  { names: ["server_stats", "srvr"], run: ({ view }) => serverStats(view) },
  {
    names: ["stat_reset", "srst"],
    run: ({ view }) => {
      view.resetStats();
      return fields();
    },
  },
  {
    names: ["stats", "stat"],
    run: ({ view }) =>
      new Map([
        ...serverStats(view),
        ["connections", view.connections().map((c) => connectionInfo(c, true))],
        ["secure_connections", []],
      ]),
  },
  {
    names: ["watch_summary", "wchs"],
    run: ({ view }) => {
      const s = watchSummary(view);
      return fields(
        ["num_connections", s.connections],
        ["num_paths", s.paths],
        ["num_total_watches", s.watches],
      );
    },
  },
  {
    names: ["watches", "wchc"],
    run: ({ view }) => {
      const out = new Map<string, Json>();
      for (const [id, paths] of watchesBySessionReport(view)) out.set(String(id), paths);
      return fields(["session_id_to_watched_paths", out]);
    },
  },
  {
    names: ["watches_by_path", "wchp"],
    run: ({ view }) => fields(["path_to_session_ids", new Map(watchesByPathReport(view))]),
  },
];
