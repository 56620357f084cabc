/** Durability in Apache ZooKeeper's on-disk format: txn log, snapshots, recovery, purge. */
export * from "./txn_log.ts";
export * from "./snapshot.ts";
export * from "./recovery.ts";
export * from "./purge.ts";
export * from "./store.ts";
export * from "./files.ts";
export * from "./epoch.ts";
export * from "./txn_codec.ts";
export { Adler32 } from "./checksum.ts";
