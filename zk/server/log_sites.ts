/**
 * Where Apache ZooKeeper 3.8.0 logs the lines herd shares with it: the `thread:Class@line` of
 * its log4j layout (`%t:%C{1}@%L`). The line numbers are those of Debian's 3.8.0 jar, read from
 * logs of the real server on this machine (2026-12-07) and, for lines hard to provoke, from the
 * jar's line number tables (`javap -l`). Operators' greps and log parsers key on these.
 *
 * A line herd logs that Apache does not gets its class and `?` for the line: what log4j itself
 * prints when a class carries no line numbers (Apache's own logs show `AbstractDynamicMBean@?`),
 * so parsers of Apache's logs read it, and no line of Apache's source is claimed for it.
 */

/** `Class@?`: a herd line with no counterpart in Apache's source. */
export function herdLine(threadAndClass: string): string {
  return `${threadAndClass}@?`;
}

/** The call sites, by what they log. */
export const LOG_SITES = {
  /** `Snapshot loaded in N ms, highest zxid is 0x…, digest is …` (INFO). */
  snapshotLoaded: "main:ZKDatabase@289",
  /** `Snapshotting: 0x<zxid> to <path>` (INFO), at start in `main`, later in `Snapshot Thread`. */
  snapshotting: "FileTxnSnapLog@479",
  /** `Snapshot taken in N ms` (INFO). */
  snapshotTaken: "ZooKeeperServer@547",
  /** `Unexpected exception` from the snapshot thread (ERROR). */
  snapshotFailed: "Snapshot Thread:SyncRequestProcessor$1@195",
  /** `Purge task started.` / `Purge task completed.` (INFO). */
  purgeStarted: "PurgeTask:DatadirCleanupManager$PurgeTask@139",
  purgeCompleted: "PurgeTask:DatadirCleanupManager$PurgeTask@145",
  /** `Error occurred while purging.` (ERROR). */
  purgeFailed: "PurgeTask:DatadirCleanupManager$PurgeTask@143",
  /** `binding to port /127.0.0.1:2181` (INFO). */
  binding: "main:NIOServerCnxnFactory@660",
  /** `Severe unrecoverable error, from thread : SyncThread:0` (ERROR). */
  severeError: "SyncThread:0:ZooKeeperCriticalThread@49",
  /** `Expiring session 0x…, timeout of Nms exceeded` (INFO). */
  expiring: "SessionTracker:ZooKeeperServer@632",
  /** `Established session 0x… with negotiated timeout N for client /…` (DEBUG in 3.8). */
  established: "SyncThread:0:ZooKeeperServer@1079",
  /** `Invalid session 0x… for client /…, probably expired` (INFO). */
  invalidSession: "NIOWorkerThread-1:ZooKeeperServer@1087",
  /** `Refusing session request for client /… as it has seen zxid 0x…` (INFO). */
  refusingSession: "NIOWorkerThread-1:ZooKeeperServer@1426",
  /** `Received packet at server of unknown type N` (WARN). */
  unknownType: "RequestThrottler:ZooKeeperServer@1173",
  /** `No authentication provider for scheme: x has ip digest` (WARN). */
  noAuthProvider: "NIOWorkerThread-1:ZooKeeperServer@1646",
  /** `Authentication failed for scheme: digest` (WARN). */
  authFailed: "NIOWorkerThread-1:ZooKeeperServer@1651",
  /** `Failed to process <request>` for a write prep could not decode (ERROR). */
  prepFailed: "PrepRequestProcessor@951",
  /** `Failed to process <request>` for a read (ERROR). */
  finalFailed: "FinalRequestProcessor@593",
  /** `Unexpected exception` on a connection (WARN). */
  cnxnUnexpected: "NIOWorkerThread-1:NIOServerCnxn@374",
  /** `Close of session 0x…` with the IOException (`Len error …`) on the next line (WARN). */
  closeOfSession: "NIOWorkerThread-1:NIOServerCnxn@383",
  /** `Closed socket connection for client /… which had sessionid 0x…` (DEBUG in 3.8). */
  closedSocket: "NIOWorkerThread-1:NIOServerCnxn@629",
  /** `Too many connections from /… - max is N` (WARN). */
  tooManyConnections: "NIOServerCnxnFactory$AcceptThread@272",
  /** `Started AdminServer on address …, port … and command URL …` (INFO). */
  adminStarted: "main:JettyAdminServer@196",
  /** `Invalid config, exiting abnormally` (ERROR). */
  invalidConfig: "main:ZooKeeperServerMain@76",
  /** `Starting /metrics HTTP endpoint at host: …, port: …, exportJvmInfo: …` (INFO). */
  prometheusStarting: "main:PrometheusMetricsProvider@129",
  /** `Cannot start /metrics server` (ERROR). */
  prometheusFailed: "main:PrometheusMetricsProvider@141",
} as const;

const OP_NAMES: Record<number, string> = {
  0: "notification",
  1: "create",
  2: "delete",
  3: "exists",
  4: "getData",
  5: "setData",
  6: "getACL",
  7: "setACL",
  8: "getChildren",
  9: "sync",
  11: "ping",
  12: "getChildren2",
  13: "check",
  14: "multi",
  15: "create2",
  16: "reconfig",
  17: "checkWatches",
  18: "removeWatches",
  19: "createContainer",
  20: "deleteContainer",
  21: "createTtl",
  22: "multiRead",
  100: "auth",
  101: "setWatches",
  105: "setWatches2",
  102: "sasl",
  103: "getEphemerals",
  104: "getAllChildrenNumber",
  [-10]: "createSession",
  [-11]: "closeSession",
  [-1]: "error",
  107: "whoAmI",
};

/**
 * A request as Apache's Request.toString() prints it in log lines:
 * `sessionid:0x… type:create cxid:0x1 zxid:0x5 txntype:1 reqpath:n/a`. `txn` is the zxid and
 * type of its txn header, when it has one (zxid -2, txntype `unknown` when not).
 */
export function requestString(
  sessionId: bigint,
  type: number,
  cxid: number,
  txn?: { zxid: number; type: number },
): string {
  const hex = (n: number | bigint) => BigInt.asUintN(64, BigInt(n)).toString(16);
  return `sessionid:0x${hex(sessionId)} type:${OP_NAMES[type] ?? `unknown ${type}`} cxid:0x${
    hex(cxid)
  } zxid:0x${hex(txn?.zxid ?? -2)} txntype:${txn?.type ?? "unknown"} reqpath:n/a`;
}

/**
 * An InetSocketAddress as Java prints it, for `binding to port` and the accept thread's name:
 * `/127.0.0.1:2181` for an address given as an IP, `name/127.0.0.1:2181` for a host name, and
 * `0.0.0.0/0.0.0.0:2181` for the wildcard Apache binds when clientPortAddress is not set.
 */
export function javaSocketAddress(configured: string | undefined, boundIp: string, port: number) {
  if (configured === undefined) return `0.0.0.0/0.0.0.0:${port}`;
  const literal = /^[\d.]+$/.test(configured) || configured.includes(":");
  return `${literal ? "" : configured}/${boundIp}:${port}`;
}
