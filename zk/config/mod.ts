/**
 * zoo.cfg and myid, read as Apache ZooKeeper 3.8 reads them: Java-properties lines, Apache's
 * defaults, unknown keys as `zookeeper.<key>` system properties, `-D` flags from
 * SERVER_JVMFLAGS / JVMFLAGS, and errors that name the key, file and line.
 *
 * @module
 */
export * from "./config_error.ts";
export * from "./zoo_cfg.ts";
export * from "./unsupported.ts";
export * from "./servers.ts";
export * from "./whitelist.ts";
export * from "../../internal/jvm_flags.ts";
export * from "./myid.ts";
export * from "./quorum_peer.ts";
