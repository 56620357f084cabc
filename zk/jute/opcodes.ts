/** ZooKeeper request type codes (ZooDefs.OpCode), as on the wire and in the txn log. */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;

/** Short names Apache shows in `cons` (lop=) for the last operation. */
export const opShortName: Record<number, string> = {
  0: "NOTI",
  1: "CREA",
  2: "DELE",
  3: "EXIS",
  4: "GETD",
  5: "SETD",
  6: "GETA",
  7: "SETA",
  8: "GETC",
  9: "SYNC",
  11: "PING",
  12: "GETC",
  13: "CHEC",
  14: "MULT",
  15: "CREA",
  16: "RECO",
  17: "CHKW",
  18: "REMW",
  19: "CREA",
  20: "DELC",
  21: "CREA",
  22: "MLTR",
  100: "AUTH",
  101: "SETW",
  102: "SASL",
  103: "GETE",
  104: "GETACN",
  105: "SETW",
  106: "ADDW",
  107: "WHOA",
  [-10]: "SESS",
  [-11]: "CLOS",
};

/** Reserved xids of the client protocol. */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;

/** Permission bits (ZooDefs.Perms). */
export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** CreateMode flag values. */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

export function isSequential(flags: number): boolean {
  return flags === 2 || flags === 3 || flags === 6;
}
export function isEphemeral(flags: number): boolean {
  return flags === 1 || flags === 3;
}
export function isTTL(flags: number): boolean {
  return flags === 5 || flags === 6;
}
export function isContainer(flags: number): boolean {
  return flags === 4;
}

/** Watcher.Event.EventType */
export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;

/** Watcher.Event.KeeperState */
export const KeeperState = {
  Disconnected: 0,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Closed: 7,
  Expired: -112,
} as const;

/** AddWatchMode */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

/** WatcherType for removeWatches/checkWatches. */
export const WatcherType = { Children: 1, Data: 2, Any: 3 } as const;
