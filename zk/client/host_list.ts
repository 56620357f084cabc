/**
 * The connect string ("host:port,host:port/chroot") and the order hosts are tried in.
 * Hosts are shuffled once, then cycled; after a whole round fails the caller backs off,
 * as Apache's StaticHostProvider does, so a dead ensemble is not hammered in a tight loop.
 */
import { validatePath } from "./path.ts";

/** One server address from a connect string. */
export interface HostPort {
  host: string;
  port: number;
}

/** A parsed connect string. */
export interface ConnectString {
  hosts: HostPort[];
  /** The chroot suffix ("/app"), or null when absent or "/". */
  chroot: string | null;
}

/** The port ZooKeeper listens on when a host names none. */
export const DEFAULT_PORT = 2181;

/**
 * Parses "h1:2181,h2:2181/chroot". IPv6 hosts are written in brackets: "[::1]:2181".
 *
 * @example
 * ```ts
 * import { parseConnectString } from "./host_list.ts";
 * const cs = parseConnectString("a:1,b/app");
 * // cs.hosts = [{host:"a",port:1},{host:"b",port:2181}], cs.chroot = "/app"
 * ```
 */
export function parseConnectString(s: string): ConnectString {
  let chroot: string | null = null;
  const slash = s.indexOf("/");
  if (slash >= 0) {
    const c = s.slice(slash);
    s = s.slice(0, slash);
    if (c.length > 1) {
      validatePath(c);
      chroot = c;
    }
  }
  const hosts: HostPort[] = [];
  for (const part of s.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    hosts.push(parseHostPort(item));
  }
  if (hosts.length === 0) throw new TypeError(`no hosts in connect string "${s}"`);
  return { hosts, chroot };
}

function parseHostPort(item: string): HostPort {
  let host = item;
  let port = DEFAULT_PORT;
  if (item.startsWith("[")) {
    const close = item.indexOf("]");
    if (close < 0) throw new TypeError(`unterminated IPv6 address in "${item}"`);
    host = item.slice(1, close);
    const rest = item.slice(close + 1);
    if (rest.startsWith(":")) port = parsePort(rest.slice(1), item);
    else if (rest !== "") throw new TypeError(`bad host "${item}"`);
  } else {
    const colon = item.lastIndexOf(":");
    if (colon >= 0) {
      host = item.slice(0, colon);
      port = parsePort(item.slice(colon + 1), item);
    }
  }
  if (host === "") throw new TypeError(`empty host in "${item}"`);
  return { host, port };
}

function parsePort(s: string, item: string): number {
  const port = Number(s);
  if (!/^\d+$/.test(s) || port < 1 || port > 65535) {
    throw new TypeError(`bad port in "${item}"`);
  }
  return port;
}

/** The next host to try, and whether a whole round has failed since the last connection. */
export interface NextHost {
  host: HostPort;
  backoff: boolean;
}

/** Cycles through the hosts of a connect string in a once-shuffled order. */
export class HostList {
  readonly hosts: readonly HostPort[];
  #cursor = -1;
  #sinceConnect = 0;

  /** `random` is injectable so tests can fix the order. */
  constructor(hosts: readonly HostPort[], random: () => number = Math.random) {
    const h = [...hosts];
    for (let i = h.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [h[i], h[j]] = [h[j], h[i]];
    }
    this.hosts = h;
  }

  /** How many hosts there are. */
  get size(): number {
    return this.hosts.length;
  }

  /** The host to try next; `backoff` is true when every host was tried without a session. */
  next(): NextHost {
    const backoff = this.#sinceConnect > 0 && this.#sinceConnect % this.hosts.length === 0;
    this.#sinceConnect++;
    this.#cursor = (this.#cursor + 1) % this.hosts.length;
    return { host: this.hosts[this.#cursor], backoff };
  }

  /** Records that the last host returned by next() gave us a session. */
  connected(): void {
    this.#sinceConnect = 0;
  }
}
