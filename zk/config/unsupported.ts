/**
 * Settings herd must refuse rather than drop: the ones that ask for security herd cannot give
 * yet (TLS client ports, SASL or certificate authentication, enforced authentication, audit logs,
 * HTTPS on the AdminServer) and metrics providers it cannot load. Apache 3.8 would honour them;
 * a herd that started anyway would serve unauthenticated plaintext to clients whose operator asked
 * for the opposite, so the server refuses to start, naming the key and line, as it does for an
 * ensemble it cannot run (assertStandalone).
 *
 * @module
 */
import { formatLocation, keyError } from "./config_error.ts";
import type { ConfigLocation } from "./config_error.ts";
import type { ZkConfig } from "./zoo_cfg.ts";

/** A setting herd must not run without: where it is, the key as written, and why. */
export interface Unsupported {
  at: ConfigLocation;
  /** `secureClientPort`, `authProvider.1`, `-Dzookeeper.authProvider.1`. */
  key: string;
  detail: string;
}

/**
 * Throws a ConfigError naming the first setting herd cannot honour (by zoo.cfg line, then the
 * `-D` flags), listing the others, so a start script fails before any port is bound.
 *
 * @example
 * ```ts
 * import { assertSupported, parseZooCfg } from "./mod.ts";
 * const cfg = parseZooCfg("dataDir=/tmp/zk\nclientPort=2181\nsecureClientPort=2281\n", "zoo.cfg");
 * try {
 *   assertSupported(cfg);
 * } catch (e) {
 *   console.log((e as Error).message); // zoo.cfg line 3: secureClientPort: 2281 asks for TLS …
 * }
 * ```
 */
export function assertSupported(cfg: ZkConfig): void {
  // zoo.cfg lines in order, then the -D flags.
  const rank = (u: Unsupported) => u.at.line ?? Number.MAX_SAFE_INTEGER;
  const [first, ...rest] = [...cfg.unsupported].sort((a, b) => rank(a) - rank(b));
  if (first === undefined) return;
  const also = rest.length === 0
    ? ""
    : `; also not supported: ${rest.map((u) => `${u.key} (${formatLocation(u.at)})`).join(", ")}`;
  throw keyError(first.at, first.key, `${first.detail}${also}`);
}
