/** What an admin command is, and how its answer becomes Apache's JSON response. */
import type { ServerView } from "../server/view.ts";
import type { Json } from "./_jackson.ts";

/** Settings of the admin app that the server view does not carry. */
export interface AdminOptions {
  /** Where the commands live (`admin.commandURL`); default `/commands`. */
  commandUrl?: string;
  /** The zoo.cfg text the server started from, for `initial_configuration`. */
  initialConfiguration?: string;
  /** Properties set for the server (`zookeeper.*` from zoo.cfg, `-D` flags): system_properties. */
  systemProperties?: Readonly<Record<string, string>>;
}

/** What a command runs with: the read-only view, the query parameters and the app options. */
export interface CommandContext {
  view: ServerView;
  kwargs: Readonly<Record<string, string>>;
  opts: AdminOptions;
}

/** One AdminServer command: its names (the primary first) and what it answers. */
export interface AdminCommand {
  names: readonly string[];
  /** The response fields, in order, without `command` and `error`. */
  run(ctx: CommandContext): Map<string, Json>;
}

/** A response data map from ordered entries. */
export function fields(...entries: [string, Json][]): Map<string, Json> {
  return new Map(entries);
}

/**
 * Apache's CommandResponse.toMap: the data fields, then `command` and `error`; a field named
 * `error` in the data keeps its place and value (as `leader` shows on a standalone server).
 */
export function commandResponse(
  command: string,
  data: Map<string, Json>,
  error: string | null = null,
): Map<string, Json> {
  const out = new Map(data);
  if (!out.has("command")) out.set("command", command);
  if (!out.has("error")) out.set("error", error);
  for (const [k, v] of data) out.set(k, v);
  return out;
}
