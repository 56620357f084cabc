/**
 * The AdminServer: Apache ZooKeeper's HTTP commands as a Hono app over the server's read-only
 * view, and a Deno.serve wrapper.
 *
 * @example
 * ```ts
 * import { adminApp, serveAdmin } from "./mod.ts";
 * const res = await adminApp(view).request("/commands/stat");
 * const http = serveAdmin(view, { hostname: "127.0.0.1", port: 8080 });
 * ```
 * @module
 */
export { adminApp } from "./app.ts";
export { serveAdmin, type ServeAdminOptions } from "./serve.ts";
export type { AdminCommand, AdminOptions, CommandContext } from "./command.ts";
export { ADMIN_COMMANDS, PRIMARY_NAMES, runCommand } from "./commands.ts";
export { prometheusMetrics, type PrometheusOptions } from "./metrics.ts";
export {
  prometheusApp,
  type PrometheusEndpointOptions,
  servePrometheus,
} from "./prometheus_endpoint.ts";
export { jacksonJson, type Json, type JsonObject } from "./_jackson.ts";
