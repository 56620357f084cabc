/**
 * The HTTP endpoint of Apache's PrometheusMetricsProvider (`metricsProvider.className=
 * org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider`): `GET /metrics` on
 * `metricsProvider.httpHost:httpPort`, the same text as the AdminServer's /metrics; any other
 * path is Jetty's 404, as Apache maps only /metrics.
 */
import { Hono } from "./_hono.ts";
import type { ServerView } from "../server/view.ts";
import { prometheusMetrics } from "./metrics.ts";
import { errorPage } from "./_error_page.ts";

const encoder = new TextEncoder();

/** Options for {@link servePrometheus}. */
export interface PrometheusEndpointOptions {
  /** `metricsProvider.httpHost`; default 0.0.0.0. */
  hostname?: string;
  /** `metricsProvider.httpPort`; default 7000; 0 picks a free port. */
  port?: number;
  /** `metricsProvider.exportJvmInfo`: add the `process_*` series (default true). */
  exportProcessInfo?: boolean;
  /** Called once listening. */
  onListen?: (addr: Deno.NetAddr) => void;
}

/**
 * The endpoint as a Hono app. `view` is asked on each scrape: Apache starts its provider before
 * the server, and so may herd; until the server exists the endpoint answers 503.
 *
 * @example
 * ```ts
 * const res = await prometheusApp(() => server.viewImpl).request("/metrics");
 * ```
 */
export function prometheusApp(
  view: () => ServerView | null,
  opts: PrometheusEndpointOptions = {},
): Hono {
  const app = new Hono();
  app.get("/metrics", () => {
    const v = view();
    if (v === null) return new Response("starting\n", { status: 503 });
    const text = prometheusMetrics(v, { exportProcessInfo: opts.exportProcessInfo !== false });
    return new Response(encoder.encode(text), {
      headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  });
  app.notFound((c) => errorPage(new URL(c.req.url).pathname, 404, "Not Found"));
  return app;
}

/**
 * Serves the endpoint; throws (AddrInUse …) if it cannot listen, as Apache fails to start then.
 *
 * @example
 * ```ts
 * const http = servePrometheus(() => server.viewImpl, { hostname: "127.0.0.1", port: 7000 });
 * await http.shutdown();
 * ```
 */
export function servePrometheus(
  view: () => ServerView | null,
  opts: PrometheusEndpointOptions = {},
): Deno.HttpServer<Deno.NetAddr> {
  const app = prometheusApp(view, opts);
  return Deno.serve({
    hostname: opts.hostname ?? "0.0.0.0",
    port: opts.port ?? 7000,
    onListen: opts.onListen ?? (() => {}),
  }, app.fetch);
}
