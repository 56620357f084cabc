/**
 * `host.name` as Apache's `envi` prints it: `InetAddress.getLocalHost().getCanonicalHostName()`.
 * Java resolves the machine's host name to its first address, looks that address up in reverse
 * (through the system resolver, so /etc/hosts counts), and keeps the name only if it resolves
 * back to the same address; otherwise it prints the address. On a machine whose /etc/hosts maps
 * its name to 127.0.0.1, that is `localhost`, not the host name.
 *
 * Resolving takes a round trip through the resolver, so it is done once, in the background, by
 * {@link resolveLocalHostName}; until it has finished (or when --allow-net is missing)
 * {@link localHostName} answers the plain host name.
 */
import dns from "node:dns";

let resolved: string | null = null;
let pending: Promise<string> | null = null;

function plainHostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}

function lookup(name: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dns.lookup(name, { all: true }, (err, addrs) => {
      if (err) reject(err);
      else resolve(addrs.map((a) => a.address));
    })
  );
}

function reverse(address: string): Promise<string> {
  return new Promise((resolve, reject) =>
    dns.lookupService(address, 0, (err, host) => err ? reject(err) : resolve(host))
  );
}

/**
 * Java's canonical name of `name`'s first address: the reverse-resolved name if it resolves
 * forward to that address again, else the address itself; `name` if it does not resolve.
 */
export async function canonicalHostName(name: string): Promise<string> {
  let address: string;
  try {
    const addrs = await lookup(name);
    if (addrs.length === 0) return name;
    address = addrs[0];
  } catch {
    return name;
  }
  try {
    const host = await reverse(address);
    if (host === address) return address;
    const back = await lookup(host);
    return back.includes(address) ? host : address;
  } catch {
    return address;
  }
}

/**
 * Starts (once) resolving this machine's canonical host name; later calls share the result.
 *
 * @example
 * ```ts
 * await resolveLocalHostName(); // "localhost" where /etc/hosts maps the host name to 127.0.0.1
 * ```
 */
export function resolveLocalHostName(): Promise<string> {
  pending ??= canonicalHostName(plainHostName()).then((n) => resolved = n);
  return pending;
}

/** The canonical host name once resolved, else the plain host name. */
export function localHostName(): string {
  return resolved ?? plainHostName();
}
