// QuorumPacket framing and every packet type's data, against bytes written out by hand from
// quorum-protocol.md §3 (table), §3.1 (REQUEST), §3.2 (txn bytes) and §8 (non-null PING replies).
import assert from "node:assert/strict";
import { OpCode } from "../jute/opcodes.ts";
import type { TxnEntry } from "../tree/txn.ts";
import {
  decodeQuorumPacket,
  encodeQuorumPacket,
  PacketType,
  packetTypeName,
  QuorumStreamError,
} from "./quorum_packet.ts";
import {
  decodeLeaderPacket,
  decodeLearnerPacket,
  encodeLeaderMessage,
  encodeLearnerMessage,
  encodeTxnBytes,
  type LeaderMessage,
  type LearnerMessage,
  QuorumMessageError,
  ZAB_PROTOCOL_VERSION,
} from "./quorum_message.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) =>
  new Uint8Array(s.replace(/\s+/g, "").match(/../g)!.map((x) => parseInt(x, 16)));
const NULL = "ffffffff";

Deno.test("type codes are §3's table", () => {
  assert.equal(PacketType.REQUEST, 1);
  assert.equal(PacketType.INFORMANDACTIVATE, 19);
  assert.equal(Object.keys(PacketType).length, 19);
  assert.equal(packetTypeName(16), "OBSERVERINFO");
  assert.equal(packetTypeName(42), "UNKNOWN42");
});

// Each learner message, and its bytes: i32 type, i64 zxid, buffer data, vector<Id> authinfo (§3).
const LEARNER: [LearnerMessage, string][] = [
  [
    {
      kind: "observerInfo",
      acceptedEpoch: 1,
      sid: 4,
      protocolVersion: ZAB_PROTOCOL_VERSION,
      configVersion: 0,
    },
    // OBSERVERINFO, zxid acceptedEpoch<<32, LearnerInfo{i64 sid, i32 0x10000, i64 version} (20 bytes)
    "00000010 0000000100000000 00000014 0000000000000004 00010000 0000000000000000" + NULL,
  ],
  [
    {
      kind: "followerInfo",
      acceptedEpoch: 0,
      sid: 2,
      protocolVersion: ZAB_PROTOCOL_VERSION,
      configVersion: 0x100000000,
    },
    "0000000b 0000000000000000 00000014 0000000000000002 00010000 0000000100000000" + NULL,
  ],
  // ACKEPOCH: zxid is lastLoggedZxid, data the i32 currentEpoch or -1 (§4.1 step 5).
  [
    { kind: "ackEpoch", lastZxid: 0x200000005, currentEpoch: -1 },
    "00000012 0000000200000005 00000004 ffffffff" + NULL,
  ],
  // ACK has null data.
  [{ kind: "ack", zxid: 0x300000000 }, "00000003 0000000300000000" + NULL + NULL],
  // A PING reply is never null: empty pairs are a 0-length buffer (§8).
  [
    { kind: "pingReply", zxid: 7, touches: [], authinfo: null },
    "00000005 0000000000000007 00000000" + NULL,
  ],
  [
    {
      kind: "pingReply",
      zxid: 7,
      touches: [{ sessionId: 0x1000000abcdn, timeoutMs: 30000 }],
      authinfo: [],
    },
    "00000005 0000000000000007 0000000c 000001000000abcd 00007530 00000000",
  ],
  // REVALIDATE request: i64 sessionId, i32 timeout; zxid -1.
  [
    { kind: "revalidate", sessionId: -2n, timeoutMs: 4000 },
    "00000006 ffffffffffffffff 0000000c fffffffffffffffe 00000fa0" + NULL,
  ],
  // REQUEST: i64 session, i32 cxid, i32 op, then the request record; authinfo the client's Ids.
  [
    {
      kind: "request",
      sessionId: 5n,
      cxid: 3,
      opType: OpCode.createSession,
      body: new Uint8Array([0, 0, 0x75, 0x30]),
      authinfo: [{ scheme: "ip", id: "1" }],
    },
    "00000001 ffffffffffffffff 00000014 0000000000000005 00000003 fffffff6 00007530" +
    "00000001 00000002 6970 00000001 31",
  ],
];

Deno.test("learner messages encode to §3's bytes and decode back", () => {
  for (const [m, bytes] of LEARNER) {
    const wire = encodeQuorumPacket(encodeLearnerMessage(m));
    assert.equal(hex(wire), bytes.replace(/\s+/g, ""), m.kind);
    assert.deepEqual(decodeLearnerPacket(decodeQuorumPacket(wire)), m);
  }
});

const CREATE: TxnEntry = {
  hdr: { clientId: 0x100n, cxid: 1, zxid: 0x100000002, time: 0x17e, type: OpCode.create },
  txn: {
    type: OpCode.create,
    path: "/a",
    data: new Uint8Array([0x78]),
    acl: [{ perms: 31, id: { scheme: "world", id: "anyone" } }],
    ephemeral: false,
    parentCVersion: 1,
  },
};
// TxnHeader{i64 clientId, i32 cxid, i64 zxid, i64 time, i32 type} + CreateTxn (§3.2).
const CREATE_BYTES = "0000000000000100 00000001 0000000100000002 000000000000017e 00000001" +
  "00000002 2f61 00000001 78 00000001 0000001f 00000005 776f726c64 00000006 616e796f6e65" +
  "00 00000001";

const LEADER: [LeaderMessage, string][] = [
  // LEADERINFO: zxid newEpoch<<32, data i32 protocol version.
  [
    { kind: "leaderInfo", newEpoch: 2, protocolVersion: ZAB_PROTOCOL_VERSION },
    "00000011 0000000200000000 00000004 00010000" + NULL,
  ],
  [{ kind: "diff", zxid: 0x100000003 }, "0000000d 0000000100000003" + NULL + NULL],
  [{ kind: "trunc", zxid: 0x100000001 }, "0000000e 0000000100000001" + NULL + NULL],
  [{ kind: "commit", zxid: 0x100000002 }, "00000004 0000000100000002" + NULL + NULL],
  [
    { kind: "proposal", entry: CREATE },
    "00000002 0000000100000002 0000004b" + CREATE_BYTES + NULL,
  ],
  [{ kind: "inform", entry: CREATE }, "00000008 0000000100000002 0000004b" + CREATE_BYTES + NULL],
  // With the TxnDigest{i32 version 2, i64 digest} Apache 3.8 appends by default.
  [
    { kind: "inform", entry: { ...CREATE, digest: { version: 2, treeDigest: -5n } } },
    "00000008 0000000100000002 00000057" + CREATE_BYTES + "00000002 fffffffffffffffb" + NULL,
  ],
  [
    { kind: "informAndActivate", leader: 3n, entry: CREATE },
    "00000013 0000000100000002 00000053 0000000000000003" + CREATE_BYTES + NULL,
  ],
  [
    { kind: "commitAndActivate", zxid: 9, leader: 1n },
    "00000009 0000000000000009 00000008 0000000000000001" + NULL,
  ],
  [
    { kind: "newLeader", zxid: 0x200000000, config: "version=0" },
    "0000000a 0000000200000000 00000009 76657273696f6e3d30" + NULL,
  ],
  [
    { kind: "newLeader", zxid: 0x200000000, config: null },
    "0000000a 0000000200000000" + NULL + NULL,
  ],
  [{ kind: "upToDate" }, "0000000c ffffffffffffffff" + NULL + NULL],
  [{ kind: "ping", zxid: 0x100000004, authinfo: null }, "00000005 0000000100000004" + NULL + NULL],
  // REVALIDATE reply: i64 sessionId, boolean valid (9 bytes).
  [
    { kind: "revalidateReply", sessionId: 5n, valid: true },
    "00000006 ffffffffffffffff 00000009 0000000000000005 01" + NULL,
  ],
  [{ kind: "sync" }, "00000007 0000000000000000" + NULL + NULL],
  [{ kind: "snap", zxid: 0x100000009 }, "0000000f 0000000100000009" + NULL + NULL],
  [{ kind: "unknown", type: 99, zxid: 1 }, "00000063 0000000000000001" + NULL + NULL],
];

Deno.test("leader messages encode to §3's bytes and decode back", () => {
  for (const [m, bytes] of LEADER) {
    const wire = encodeQuorumPacket(encodeLeaderMessage(m));
    assert.equal(hex(wire), bytes.replace(/\s+/g, ""), m.kind);
    assert.deepEqual(decodeLeaderPacket(decodeQuorumPacket(wire)), m);
  }
  assert.equal(hex(encodeTxnBytes(CREATE)), CREATE_BYTES.replace(/\s+/g, ""));
});

Deno.test("malformed packets are clear errors, never exceptions of another kind", () => {
  // Data shorter than the layout needs (LEADERINFO needs its 4 bytes, §8).
  const shortInfo = unhex("00000011 0000000200000000 00000002 0001" + NULL);
  assert.throws(() => decodeLeaderPacket(decodeQuorumPacket(shortInfo)), QuorumMessageError);
  // A PROPOSAL whose txn header names another zxid than the packet.
  const wrongZxid = unhex("00000002 0000000100000009 0000004b" + CREATE_BYTES + NULL);
  assert.throws(
    () => decodeLeaderPacket(decodeQuorumPacket(wrongZxid)),
    /PROPOSAL zxid 0x100000009 carries a txn of 0x100000002/,
  );
  // A txn of an unknown type.
  const bad = unhex("00000008 0000000000000001 00000020 " + "00".repeat(28) + "0000007f" + NULL);
  assert.throws(() => decodeLeaderPacket(decodeQuorumPacket(bad)), /bad txn/);
  // Lengths Apache would never send.
  assert.throws(
    () => decodeQuorumPacket(unhex("00000003 0000000000000001 7fffffff")),
    QuorumStreamError,
  );
  assert.throws(
    () => decodeQuorumPacket(unhex("00000003 0000000000000001 fffffff0")),
    QuorumStreamError,
  );
  // A learner type the leader does not expect, and a torn PING reply.
  assert.throws(
    () => decodeLearnerPacket(decodeQuorumPacket(unhex("0000000c ffffffffffffffff" + NULL + NULL))),
    QuorumMessageError,
  );
  assert.throws(
    () =>
      decodeLearnerPacket(
        decodeQuorumPacket(unhex("00000005 0000000000000001 00000004 00000001" + NULL)),
      ),
    /not whole pairs/,
  );
  assert.throws(() => decodeQuorumPacket(unhex("00000003 00000000")), /truncated/);
});
