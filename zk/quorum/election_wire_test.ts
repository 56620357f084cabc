import assert from "node:assert/strict";
import {
  decodeHandshake,
  decodeNotification,
  encodeHandshake,
  encodeNotification,
  formatElectionAddress,
  frame,
  type Notification,
  parseElectionAddress,
  validFrameLength,
} from "./election_wire.ts";

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s+/g, "").match(/../g)!, (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

// quorum-protocol.md §1.3: version i64 −65536, sid i64, i32 length, the address text. Server 1 of
// the reference pseudo-cluster (05-cluster-n1.server.log: election port 127.0.0.1:2183).
const HANDSHAKE_SID1 = "ffffffffffff0000" + "0000000000000001" + "0000000e" +
  toHex(new TextEncoder().encode("127.0.0.1:2183"));

Deno.test("handshake: V1 bytes as 3.8.0 sends them (§1.3)", () => {
  assert.equal(toHex(encodeHandshake(1n, "127.0.0.1:2183")), HANDSHAKE_SID1);
  assert.deepEqual(decodeHandshake(hex(HANDSHAKE_SID1)), {
    kind: "handshake",
    handshake: { protocol: -65536n, sid: 1n, addresses: ["127.0.0.1:2183"] },
    size: 34,
  });
});

Deno.test("handshake: V2, pre-3.5, partial and refused headers (§1.3)", () => {
  // V2 (multiAddress on) lists addresses split on |.
  const v2 = hex(
    "ffffffffffff0001" + "0000000000000002" + "00000018" +
      toHex(new TextEncoder().encode("10.0.0.2:3888|[::1]:3888")),
  );
  const r = decodeHandshake(v2);
  assert.equal(r.kind, "handshake");
  if (r.kind === "handshake") {
    assert.deepEqual(r.handshake.addresses, ["10.0.0.2:3888", "[::1]:3888"]);
    assert.equal(r.handshake.protocol, -65535n);
  }
  // A first i64 ≥ 0 is the sid itself, with no address.
  assert.deepEqual(decodeHandshake(hex("0000000000000005ffff")), {
    kind: "handshake",
    handshake: { sid: 5n, addresses: [] },
    size: 8,
  });
  for (let n = 0; n < 34; n++) {
    assert.deepEqual(decodeHandshake(hex(HANDSHAKE_SID1).subarray(0, n)), { kind: "incomplete" });
  }
  assert.deepEqual(decodeHandshake(hex("fffffffffffe0000" + "00".repeat(12))), {
    kind: "invalid",
    reason: "unrecognized protocol version -131072",
  });
  for (const len of ["00000000", "00000801", "ffffffff"]) {
    const r = decodeHandshake(hex("ffffffffffff0000" + "0000000000000001" + len + "41"));
    assert.equal(r.kind, "invalid", len);
  }
  assert.throws(() => encodeHandshake(1n, ""), RangeError);
  assert.throws(() => encodeHandshake(1n, "x".repeat(2049)), RangeError);
});

// §2.1: i32 state, i64 leader, i64 zxid, i64 round, i64 peerEpoch, i32 version 2, i32 config
// length, config text. Server 3 answering as leader in 05-cluster-n1.server.log line 323:
// "n.sid:3, n.state:LEADING, n.leader:3, n.round:0x1, n.peerEpoch:0x1, n.zxid:0x0, message format
// version:0x2, n.config version:0x0", with the members its `conf` prints (05-…transcript:135-138).
const CONFIG = "server.1=127.0.0.1:2182:2183:participant\n" +
  "server.2=127.0.0.1:2282:2283:participant\n" +
  "server.3=127.0.0.1:2382:2383:participant\nversion=0";
const LEADING = "00000002" + "0000000000000003" + "0000000000000000" + "0000000000000001" +
  "0000000000000001" + "00000002" + CONFIG.length.toString(16).padStart(8, "0") +
  toHex(new TextEncoder().encode(CONFIG));

Deno.test("notification: 3.8.0's version-2 form with config text (§2.1)", () => {
  const n: Notification = {
    state: "LEADING",
    leader: 3n,
    zxid: 0n,
    round: 1n,
    peerEpoch: 1n,
    version: 2,
    config: CONFIG,
  };
  assert.equal(toHex(encodeNotification(n)), LEADING);
  assert.deepEqual(decodeNotification(hex(LEADING)), { kind: "notification", notification: n });
  // An observer's own vote is Long.MIN_VALUE throughout (§2.2).
  const min = -(2n ** 63n);
  const obs = { ...n, state: "OBSERVING" as const, leader: min, zxid: min, peerEpoch: min };
  assert.deepEqual(decodeNotification(encodeNotification(obs)), {
    kind: "notification",
    notification: obs,
  });
});

Deno.test("notification: the older forms Apache still reads (§2.1)", () => {
  const fields = "00000000" + "0000000000000002" + "0000000300000007" + "0000000000000004";
  // 28 bytes: peerEpoch is the zxid's epoch, version 0.
  assert.deepEqual(decodeNotification(hex(fields)), {
    kind: "notification",
    notification: {
      state: "LOOKING",
      leader: 2n,
      zxid: 0x300000007n,
      round: 4n,
      peerEpoch: 3n,
      version: 0,
    },
  });
  // 40 bytes: peerEpoch, no version (the last 4 bytes are not read).
  const forty = decodeNotification(hex(fields + "0000000000000009" + "00000005"));
  assert.equal(forty.kind === "notification" && forty.notification.peerEpoch, 9n);
  assert.equal(forty.kind === "notification" && forty.notification.version, 0);
  // 44 bytes of version 1: no config is read.
  const v1 = decodeNotification(hex(fields + "0000000000000009" + "00000001" + "00000064"));
  assert.deepEqual(v1.kind === "notification" && v1.notification, {
    state: "LOOKING",
    leader: 2n,
    zxid: 0x300000007n,
    round: 4n,
    peerEpoch: 9n,
    version: 1,
  });
});

Deno.test("notification: what Java skips is a skip with the reason (§2.1, ZOOKEEPER-3769)", () => {
  const fields = "00000001" + "00".repeat(24);
  assert.equal(decodeNotification(hex(fields.slice(0, 54))).kind, "skip"); // 27 bytes
  assert.equal(decodeNotification(hex(fields + "00000000")).kind, "skip"); // 32 bytes
  assert.equal(decodeNotification(hex(fields + "0000000000000000" + "00")).kind, "skip"); // 37
  assert.deepEqual(decodeNotification(hex("00000004" + "00".repeat(40))), {
    kind: "skip",
    reason: "unknown state 4",
  });
  const head = fields + "0000000000000000" + "00000002";
  assert.deepEqual(decodeNotification(hex(head + "ffffffff")), {
    kind: "skip",
    reason: "Invalid configLength in notification message! -1",
  });
  assert.equal(decodeNotification(hex(head + "00000003" + "4141")).kind, "skip");
  // 40 bytes are the old form, whatever they hold; 42 are version 2 without a whole length.
  assert.equal(decodeNotification(hex(head)).kind, "notification");
  assert.equal(decodeNotification(hex(head + "0000")).kind, "skip");
});

Deno.test("framing: an i32 length in 1..512 KiB (§1.5)", () => {
  assert.deepEqual(frame(hex("abcd")), hex("00000002abcd"));
  assert.ok(validFrameLength(1) && validFrameLength(512 * 1024));
  assert.ok(!validFrameLength(0) && !validFrameLength(-1) && !validFrameLength(512 * 1024 + 1));
  assert.throws(() => frame(new Uint8Array(0)), RangeError);
});

Deno.test("election addresses: host:port and [v6]:port", () => {
  assert.deepEqual(parseElectionAddress("127.0.0.13:3888"), { host: "127.0.0.13", port: 3888 });
  assert.deepEqual(parseElectionAddress("[::1]:3888"), { host: "::1", port: 3888 });
  assert.equal(parseElectionAddress("::1:3888"), undefined);
  assert.equal(parseElectionAddress("a:99999"), undefined);
  assert.equal(formatElectionAddress("::1", 3888), "[::1]:3888");
});
