// `metricsProvider.*` as Apache 3.8 reads it. DefaultMetricsProvider (mntr, the AdminServer's
// monitor command) is always there; PrometheusMetricsProvider adds an HTTP endpoint serving
// /metrics, which herd serves itself. Any other class cannot be loaded: Apache stops when its
// provider cannot start, and so does herd rather than run without the metrics asked for.
import type { PropertyLine } from "../../internal/properties.ts";
import { keyError } from "./config_error.ts";
import { parsePort } from "./_values.ts";
import type { Unsupported } from "./unsupported.ts";
import type { PrometheusSettings } from "./zoo_cfg.ts";

/** Apache's default provider (its `mntr` and `monitor` numbers). */
export const DEFAULT_METRICS = "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider";
/** Apache's Prometheus provider, whose endpoint herd serves. */
export const PROMETHEUS_METRICS =
  "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";

// Tuning of Apache's summary workers (3.8.0 reads them); herd computes quantiles on request.
const WORKER_OPTIONS = new Set(["numWorkerThreads", "maxQueueSize", "workerShutdownTimeoutMs"]);

/**
 * The Prometheus endpoint zoo.cfg asks for, if any; a provider herd cannot serve goes to
 * `unsupported`, options nothing reads to `warnings`.
 */
export function prometheusSettings(
  entries: ReadonlyMap<string, PropertyLine>,
  file: string,
  unsupported: Unsupported[],
  warnings: string[],
): PrometheusSettings | undefined {
  const cls = entries.get("metricsProvider.className");
  const name = cls?.value ?? DEFAULT_METRICS;
  const options = [...entries.values()].filter((e) =>
    e.key.startsWith("metricsProvider.") && e.key !== "metricsProvider.className"
  );
  if (cls && name !== DEFAULT_METRICS && name !== PROMETHEUS_METRICS) {
    unsupported.push({
      at: { file, line: cls.line },
      key: "metricsProvider.className",
      detail: `${name} is a metrics provider herd cannot load (herd runs no Java classes); ` +
        `it serves ${DEFAULT_METRICS} (mntr) and ${PROMETHEUS_METRICS} (/metrics)`,
    });
    return undefined;
  }
  if (name !== PROMETHEUS_METRICS) {
    for (const e of options) {
      warnings.push(
        `${file} line ${e.line}: ${e.key}: read only by ${PROMETHEUS_METRICS}, and ` +
          "metricsProvider.className is not that; ignored, as Apache ignores it",
      );
    }
    return undefined;
  }
  const settings: PrometheusSettings = { host: "0.0.0.0", port: 7000, exportJvmInfo: true };
  for (const e of options) {
    const option = e.key.substring("metricsProvider.".length);
    const at = { file, line: e.line };
    if (option === "httpHost") settings.host = e.value;
    else if (option === "httpPort") settings.port = parsePort(e.value, e.key, at);
    // Boolean.parseBoolean: only "true" keeps it on.
    else if (option === "exportJvmInfo") settings.exportJvmInfo = e.value.toLowerCase() === "true";
    else if (WORKER_OPTIONS.has(option)) {
      if (!/^[+-]?\d+$/.test(e.value)) throw keyError(at, e.key, `"${e.value}" is not a number`);
    } else {
      warnings.push(
        `${file} line ${e.line}: ${e.key}: not an option of ${PROMETHEUS_METRICS} 3.8; ignored`,
      );
    }
  }
  return settings;
}
