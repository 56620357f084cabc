import assert from "node:assert/strict";
import { HostList, parseConnectString } from "./host_list.ts";
import { InvalidPathError } from "./path.ts";

Deno.test("parseConnectString: hosts, default port, IPv6 and chroot", () => {
  assert.deepEqual(parseConnectString("a:1, b ,[::1]:3/app/x"), {
    hosts: [{ host: "a", port: 1 }, { host: "b", port: 2181 }, { host: "::1", port: 3 }],
    chroot: "/app/x",
  });
  assert.deepEqual(parseConnectString("h:2181/").chroot, null);
  assert.deepEqual(parseConnectString("[fe80::1]").hosts, [{ host: "fe80::1", port: 2181 }]);
});

Deno.test("parseConnectString: rejects bad input", () => {
  assert.throws(() => parseConnectString(""), TypeError);
  assert.throws(() => parseConnectString("a:99999"), TypeError);
  assert.throws(() => parseConnectString("a:x"), TypeError);
  assert.throws(() => parseConnectString("a:1/bad/"), InvalidPathError);
});

Deno.test("HostList: shuffles once, cycles, asks for backoff after a failed round", () => {
  const hosts = [1, 2, 3].map((port) => ({ host: "h", port }));
  // random() = 0 swaps each element with index 0: [1,2,3] -> [2,3,1].
  const list = new HostList(hosts, () => 0);
  assert.deepEqual(list.hosts.map((h) => h.port), [2, 3, 1]);
  const tries = () => {
    const n = list.next();
    return [n.host.port, n.backoff];
  };
  assert.deepEqual([tries(), tries(), tries()], [[2, false], [3, false], [1, false]]);
  assert.deepEqual(tries(), [2, true]);
  assert.deepEqual(tries(), [3, false]);
  list.connected();
  // After losing host 3 the next host is tried at once, a full round before backing off.
  assert.deepEqual([tries(), tries(), tries()], [[1, false], [2, false], [3, false]]);
  assert.deepEqual(tries(), [1, true]);
});
