/**
 * The AdminServer as a Hono app: `GET /commands` lists the commands, `GET /commands/<name>` runs
 * one and answers Apache's JSON, `GET /metrics` exposes Prometheus text. Built from the server's
 * read-only view only.
 */
import { Hono } from "./_hono.ts";
import type { ServerView } from "../server/view.ts";
import type { AdminOptions } from "./command.ts";
import { PRIMARY_NAMES, runCommand } from "./commands.ts";
import { jacksonJson } from "./_jackson.ts";
import { prometheusMetrics } from "./metrics.ts";
import { errorPage } from "./_error_page.ts";

const encoder = new TextEncoder();

/**
 * Builds the admin app over a server view.
 *
 * @example
 * ```ts
 * const app = adminApp(server.viewImpl, {});
 * const res = await app.request("/commands/ruok");
 * await res.text(); // '{\n  "command" : "ruok",\n  "error" : null\n}'
 * ```
 */
export function adminApp(view: ServerView, opts: AdminOptions = {}): Hono {
  const base = (opts.commandUrl ?? "/commands").replace(/\/$/, "");
  const app = new Hono();
  const list = () => PRIMARY_NAMES.map((n) => `<a href="${base}/${n}">${n}</a>\n<br/>\n`).join("");
  // Bodies are bytes so the Response adds no Content-Type of its own (Jetty sends none for the
  // list, and exactly application/json for commands).
  app.get(base, () => new Response(encoder.encode(list())));
  app.get(`${base}/`, () => new Response(encoder.encode(list())));
  app.get(`${base}/:name{.+}`, (c) => {
    const body = jacksonJson(runCommand(c.req.param("name"), view, c.req.query(), opts));
    return new Response(encoder.encode(body), { headers: { "Content-Type": "application/json" } });
  });
  app.get("/metrics", () =>
    new Response(encoder.encode(prometheusMetrics(view)), {
      headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" },
    }));
  app.all(`${base}/*`, (c) =>
    errorPage(
      new URL(c.req.url).pathname,
      405,
      `HTTP method ${c.req.method} is not supported by this URL`,
    ));
  app.notFound((c) => errorPage(new URL(c.req.url).pathname, 404, "Not Found"));
  return app;
}
