/** herd's ZooKeeper: the server (in memory or durable), its data tree, the wire codec, the client. */
export {
  DEFAULT_SETTINGS,
  type ServerOptions,
  type ServerSettings,
  ZkServer,
} from "./server/server.ts";
export { type DurableOptions, startDurableServer } from "./server/durable.ts";
export type { ServerView } from "./server/view.ts";
export { DataTree } from "./tree/data_tree.ts";
export * as jute from "./jute/mod.ts";
export * from "./client/mod.ts";
