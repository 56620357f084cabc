/** herd's ZooKeeper: the server, its data tree, and the wire codec. */
export {
  DEFAULT_SETTINGS,
  type ServerOptions,
  type ServerSettings,
  ZkServer,
} from "./server/server.ts";
export type { ServerView } from "./server/view.ts";
export { DataTree } from "./tree/data_tree.ts";
export * as jute from "./jute/mod.ts";
