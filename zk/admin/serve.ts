/** Serving the admin app with Deno.serve. */
import type { ServerView } from "../server/view.ts";
import type { AdminOptions } from "./command.ts";
import { adminApp } from "./app.ts";

/** Where to listen (`admin.serverAddress`, `admin.serverPort`) plus the app's options. */
export interface ServeAdminOptions extends AdminOptions {
  /** Default `0.0.0.0`, as Apache's admin.serverAddress. */
  hostname?: string;
  /** Default 8080, as Apache's admin.serverPort; 0 picks a free port. */
  port?: number;
  /** Called once listening (defaults to silence; the server logs its own line). */
  onListen?: (addr: Deno.NetAddr) => void;
}

/**
 * Starts the admin HTTP server; stop it with `await server.shutdown()`.
 *
 * @example
 * ```ts
 * const http = serveAdmin(zk.viewImpl, { hostname: "127.0.0.1", port: 8080 });
 * await http.shutdown();
 * ```
 */
export function serveAdmin(
  view: ServerView,
  opts: ServeAdminOptions = {},
): Deno.HttpServer<Deno.NetAddr> {
  const app = adminApp(view, opts);
  return Deno.serve({
    hostname: opts.hostname ?? "0.0.0.0",
    port: opts.port ?? 8080,
    onListen: opts.onListen ?? (() => {}),
  }, app.fetch);
}
