/**
 * The herd ZooKeeper client: a promise-based, pipelining client wire-compatible with Apache
 * ZooKeeper 3.5+ servers.
 *
 * @example
 * ```ts
 * import { CreateMode, ZkClient } from "./mod.ts";
 * const zk = await ZkClient.connect("127.0.0.1:2181");
 * const path = await zk.create("/lock-", null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
 * await zk.close();
 * ```
 * @module
 */
export { ZkClient } from "./client.ts";
export type {
  ConnectOptions,
  CreateOptions,
  CreateResult,
  DataResult,
  Op,
  ReadOp,
  WatchedEvent,
  Watcher,
  ZkData,
  ZkState,
} from "./types.ts";
export { ZkMultiError } from "./errors.ts";
export { InvalidPathError, validatePath } from "./path.ts";
export { digestACL, digestId } from "./acl.ts";
export { type ConnectString, type HostPort, parseConnectString } from "./host_list.ts";
export {
  AddWatchMode,
  CreateMode,
  CREATOR_ALL_ACL,
  Err,
  errName,
  EventType,
  KeeperState,
  OpCode,
  OPEN_ACL_UNSAFE,
  Perms,
  READ_ACL_UNSAFE,
  WatcherType,
  ZkError,
} from "../jute/mod.ts";
export type { ACL, ClientInfo, Id, OpResult, Stat } from "../jute/mod.ts";
