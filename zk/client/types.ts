/** Public types of the ZooKeeper client. */
import type { ACL, Stat } from "../jute/mod.ts";

/** A watch or session event, as Apache's WatchedEvent: `EventType`, `KeeperState`, client path. */
export interface WatchedEvent {
  type: number;
  state: number;
  /** The znode path relative to the chroot, or null for session state events. */
  path: string | null;
}

/** Called once per event; exceptions are logged and do not affect the connection. */
export type Watcher = (event: WatchedEvent) => void;

/** Client states, named as Apache's ZooKeeper.States (an expired session ends CLOSED). */
export type ZkState = "CONNECTING" | "CONNECTED" | "CONNECTEDREADONLY" | "CLOSED" | "AUTH_FAILED";

/** Options for ZkClient.connect. */
export interface ConnectOptions {
  /** Requested session timeout in ms; the server clamps it to [2, 20] ticks. Default 30000. */
  sessionTimeout?: number;
  /** Accept a read-only server (one cut off from its quorum). Default false. */
  readOnly?: boolean;
  /** Resume this session instead of creating one (with `password`). */
  sessionId?: bigint;
  /** The 16-byte password of the session given in `sessionId`. */
  password?: Uint8Array;
  /** How long connect() tries before rejecting with CONNECTIONLOSS. Default: sessionTimeout. */
  connectTimeout?: number;
  /** Pause after every host was tried without success, before the next round. Default 1000. */
  reconnectDelay?: number;
  /**
   * The default watcher: receives session state events (SyncConnected, Disconnected, Expired,
   * Closed, …) and the events of watches set with `watch = true`.
   */
  watcher?: Watcher;
  /**
   * Receives progress messages (connection attempts, sessions established, connections lost,
   * expiry), e.g. `console.error`. Default: silent.
   */
  log?: (message: string) => void;
}

/** Options for create and create2. */
export interface CreateOptions {
  /** A CreateMode value. Default PERSISTENT. */
  mode?: number;
  /** Default OPEN_ACL_UNSAFE. */
  acl?: readonly ACL[];
  /** Time to live in ms, required for the TTL modes and rejected otherwise. */
  ttl?: number;
}

/** Node data as bytes, or a string sent as UTF-8. */
export type ZkData = Uint8Array | string;

/** A write inside multi(). */
export type Op =
  | {
    type: "create";
    path: string;
    data?: ZkData | null;
    mode?: number;
    acl?: readonly ACL[];
    ttl?: number;
  }
  | { type: "delete"; path: string; version?: number }
  | { type: "setData"; path: string; data: ZkData | null; version?: number }
  | { type: "check"; path: string; version: number };

/** A read inside multiRead(). */
export type ReadOp = { type: "getData"; path: string } | { type: "getChildren"; path: string };

/** What getData answers. `data` is null when the node was created with null data. */
export interface DataResult {
  data: Uint8Array | null;
  stat: Stat;
}

/** What create2 answers. */
export interface CreateResult {
  path: string;
  stat: Stat;
}
