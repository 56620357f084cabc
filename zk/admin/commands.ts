/** The AdminServer command table: every command Apache 3.8.0 registers, by all its names. */
import type { AdminCommand, AdminOptions } from "./command.ts";
import { commandResponse } from "./command.ts";
import type { ServerView } from "../server/view.ts";
import type { Json } from "./_jackson.ts";
import { SERVER_COMMANDS } from "./server_commands.ts";
import { STATS_COMMANDS } from "./stats_commands.ts";

/** Every command, in no particular order. */
export const ADMIN_COMMANDS: readonly AdminCommand[] = [...SERVER_COMMANDS, ...STATS_COMMANDS];

const byName = new Map<string, AdminCommand>();
for (const c of ADMIN_COMMANDS) for (const n of c.names) byName.set(n, c);

/** Primary names, sorted, as `GET /commands` lists them. */
export const PRIMARY_NAMES: readonly string[] = ADMIN_COMMANDS.map((c) => c.names[0]).sort();

/**
 * Runs a command by any of its names and returns the whole response map, `command` (the primary
 * name) and `error` included; an unknown name answers Apache's `Unknown command: <name>`.
 *
 * @example
 * ```ts
 * runCommand("isro", view, {}, {}); // Map { "read_only" => false, "command" => "is_read_only", "error" => null }
 * ```
 */
export function runCommand(
  name: string,
  view: ServerView,
  kwargs: Readonly<Record<string, string>>,
  opts: AdminOptions,
): Map<string, Json> {
  const cmd = byName.get(name);
  if (!cmd) return commandResponse(name, new Map(), `Unknown command: ${name}`);
  return commandResponse(cmd.names[0], cmd.run({ view, kwargs, opts }));
}
