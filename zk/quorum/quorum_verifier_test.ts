import assert from "node:assert/strict";
import { parseZooCfg } from "../config/mod.ts";
import { containsQuorum, parseConfigText, quorumVerifier, sameMembers } from "./quorum_verifier.ts";

const servers = (lines: string) =>
  parseZooCfg(`dataDir=/d\ninitLimit=10\nsyncLimit=5\n${lines}`, "zoo.cfg").servers;

Deno.test("config text as Apache's `conf` prints its membership (05-…transcript:135-138)", () => {
  const qv = quorumVerifier(servers(
    "server.3=127.0.0.1:2382:2383\nserver.1=127.0.0.1:2182:2183\nserver.2=127.0.0.1:2282:2283\n",
  ));
  assert.equal(
    qv.text,
    "server.1=127.0.0.1:2182:2183:participant\nserver.2=127.0.0.1:2282:2283:participant\n" +
      "server.3=127.0.0.1:2382:2383:participant\nversion=0",
  );
  assert.deepEqual([...qv.voters], [1, 2, 3]);
});

Deno.test("config text: observers, client addresses, IPv6 and HashMap order past 16", () => {
  const qv = quorumVerifier(servers(
    "server.17=[::1]:1:2;2181\nserver.1=a:1:2:observer;127.0.0.1:2181\nserver.2=b:1:2\n",
  ));
  // A HashMap of 16 buckets puts 17 (bucket 1) with 1, after it: both were put after "server.1".
  assert.equal(
    qv.text,
    "server.1=a:1:2:observer;127.0.0.1:2181\nserver.17=[::1]:1:2:participant;0.0.0.0:2181\n" +
      "server.2=b:1:2:participant\nversion=0",
  );
  assert.deepEqual([...qv.voters].sort(), [17, 2]);
  assert.ok(qv.members.has(1));
});

Deno.test("majority of voters; observers and strangers do not count", () => {
  const qv = { voters: new Set([1, 2, 3, 4]) };
  assert.ok(!containsQuorum(qv, [1, 2]));
  assert.ok(!containsQuorum(qv, [1, 2, 9, 9]));
  assert.ok(containsQuorum(qv, [1, 2, 4]));
  assert.ok(containsQuorum({ voters: new Set([1, 2, 3]) }, [3, 1]));
});

Deno.test("received config text: version and members (§2.3)", () => {
  const ours = quorumVerifier(servers("server.1=a:1:2\nserver.2=b:1:2\n"));
  const same = parseConfigText(
    "server.2=b:1:2:participant\nserver.1=a:1:2:participant\nversion=1f",
  )!;
  assert.equal(same.version, 0x1fn);
  assert.ok(sameMembers(ours, same));
  assert.ok(!sameMembers(ours, parseConfigText("server.1=a:1:2:participant\nversion=2")!));
  assert.equal(parseConfigText("clientPort=2181\nversion=0"), undefined);
  assert.equal(parseConfigText("version=xyz"), undefined);
});
