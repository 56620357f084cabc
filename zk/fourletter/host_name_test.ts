import assert from "node:assert/strict";
import dns from "node:dns";
import { canonicalHostName, localHostName, resolveLocalHostName } from "./host_name.ts";
import { environmentEntries } from "./environment.ts";

const lookupAll = (name: string) =>
  new Promise<string[]>((resolve) =>
    dns.lookup(name, { all: true }, (err, a) => resolve(err ? [] : a.map((x) => x.address)))
  );

Deno.test("an address's canonical name is its reverse name when that resolves back to it", async () => {
  // /etc/hosts maps 127.0.0.1 to localhost everywhere; Java prints that name for it.
  assert.deepStrictEqual(await canonicalHostName("127.0.0.1"), "localhost");
  // A name that does not resolve stays as it is (Java's getLocalHost would fail; herd goes on).
  assert.deepStrictEqual(await canonicalHostName("no-such-host.invalid"), "no-such-host.invalid");
});

Deno.test("envi's host.name is the host name's first address, named as Java names it", async () => {
  const name = await resolveLocalHostName();
  assert.deepStrictEqual(localHostName(), name);
  assert.deepStrictEqual(new Map(environmentEntries("v")).get("host.name"), name);
  // Whatever the machine calls itself, the name printed resolves to the host name's address
  // (on this machine: hostname "vm" is 127.0.0.1 in /etc/hosts, and Apache prints localhost).
  const [first] = await lookupAll(Deno.hostname());
  if (first !== undefined && name !== first) assert.ok((await lookupAll(name)).includes(first));
});
