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

const encoder = new TextEncoder();

/** Jetty's error page, less its servlet and version lines (herd is not Jetty). */
function errorPage(uri: string, status: number, message: string): Response {
  const html =
    `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n` +
    `<title>Error ${status} ${message}</title>\n</head>\n<body><h2>HTTP ERROR ${status} ${message}</h2>\n` +
    `<table>\n<tr><th>URI:</th><td>${uri}</td></tr>\n<tr><th>STATUS:</th><td>${status}</td></tr>\n` +
    `<tr><th>MESSAGE:</th><td>${message}</td></tr>\n</table>\n\n</body>\n</html>\n`;
  return new Response(encoder.encode(html), {
    status,
    headers: {
      "Cache-Control": "must-revalidate,no-cache,no-store",
      "Content-Type": "text/html;charset=iso-8859-1",
    },
  });
}

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
