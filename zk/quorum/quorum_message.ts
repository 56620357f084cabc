/**
 * QuorumPackets as typed messages (quorum-protocol.md §3, §3.1, §3.2): each packet type's `data`
 * layout decoded once at the edge, so the learner machine never touches bytes. The same type code
 * carries different layouts each way (PING, REVALIDATE), so decoding takes the direction.
 *
 * @module
 */
import { JuteError, JuteReader } from "../jute/reader.ts";
import { JuteWriter } from "../jute/writer.ts";
import type { Id } from "../jute/records.ts";
import { marshalTxnEntry, unmarshalTxnEntry } from "../persist/txn_codec.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { epochOf, epochZxid, PacketType, type QuorumPacket } from "./quorum_packet.ts";

/** The Zab protocol version both sides announce since 3.4 (LearnerInfo, LEADERINFO). */
export const ZAB_PROTOCOL_VERSION = 0x10000;

/** A learner's session keep-alive, as its PING reply lists them (§6). */
export interface SessionTouch {
  sessionId: bigint;
  timeoutMs: number;
}

/** What a learner sends its leader. */
export type LearnerMessage =
  | {
    kind: "followerInfo" | "observerInfo";
    acceptedEpoch: number;
    sid: number;
    protocolVersion: number;
    configVersion: number;
  }
  | { kind: "ackEpoch"; lastZxid: number; currentEpoch: number }
  | { kind: "ack"; zxid: number }
  | { kind: "pingReply"; zxid: number; touches: SessionTouch[]; authinfo: Id[] | null }
  | {
    kind: "request";
    sessionId: bigint;
    cxid: number;
    opType: number;
    body: Uint8Array;
    authinfo: Id[];
  }
  | { kind: "revalidate"; sessionId: bigint; timeoutMs: number };

/** What a leader sends a learner. `snap` is followed on the stream by the snapshot (§3.3). */
export type LeaderMessage =
  | { kind: "leaderInfo"; newEpoch: number; protocolVersion: number }
  | { kind: "diff" | "trunc" | "snap"; zxid: number }
  | { kind: "proposal" | "inform"; entry: TxnEntry }
  | { kind: "informAndActivate"; leader: bigint; entry: TxnEntry }
  | { kind: "commit"; zxid: number }
  | { kind: "commitAndActivate"; zxid: number; leader: bigint }
  | { kind: "newLeader"; zxid: number; config: string | null }
  | { kind: "upToDate" }
  | { kind: "ping"; zxid: number; authinfo: Id[] | null }
  | { kind: "revalidateReply"; sessionId: bigint; valid: boolean }
  | { kind: "sync" }
  | { kind: "unknown"; type: number; zxid: number };

/** A packet whose data does not fit its type: the peer speaks something else. */
export class QuorumMessageError extends Error {
  override name = "QuorumMessageError";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function packet(type: number, zxid: number, data: Uint8Array | null, auth: Id[] | null = null) {
  return { type, zxid, data, authinfo: auth };
}

function bytesOf(fill: (w: JuteWriter) => void): Uint8Array {
  const w = new JuteWriter(64);
  fill(w);
  return w.bytes();
}

/** PROPOSAL/INFORM data: TxnHeader, the txn, then the TxnDigest if there is one (§3.2). */
export function encodeTxnBytes(e: TxnEntry): Uint8Array {
  return bytesOf((w) => {
    marshalTxnEntry(w, e);
    if (e.digest) {
      w.int(e.digest.version);
      w.bigLong(e.digest.treeDigest);
    }
  });
}

/** Reads §3.2's txn bytes, turning a codec failure into a message error. */
export function decodeTxnBytes(data: Uint8Array | null, what: string): TxnEntry {
  if (data === null) throw new QuorumMessageError(`${what} without a txn`);
  try {
    return unmarshalTxnEntry(data);
  } catch (e) {
    throw new QuorumMessageError(`${what}: bad txn: ${(e as Error).message}`);
  }
}

/** The packet for a learner's message. */
export function encodeLearnerMessage(m: LearnerMessage): QuorumPacket {
  switch (m.kind) {
    case "followerInfo":
    case "observerInfo":
      return packet(
        m.kind === "followerInfo" ? PacketType.FOLLOWERINFO : PacketType.OBSERVERINFO,
        epochZxid(m.acceptedEpoch),
        bytesOf((w) => {
          w.long(m.sid);
          w.int(m.protocolVersion);
          w.long(m.configVersion);
        }),
      );
    case "ackEpoch":
      return packet(PacketType.ACKEPOCH, m.lastZxid, bytesOf((w) => w.int(m.currentEpoch)));
    case "ack":
      return packet(PacketType.ACK, m.zxid, null);
    case "pingReply":
      // Never null: the leader wraps the reply's data in a stream unchecked (§8).
      return packet(
        PacketType.PING,
        m.zxid,
        bytesOf((w) => {
          for (const t of m.touches) {
            w.bigLong(t.sessionId);
            w.int(t.timeoutMs);
          }
        }),
        m.authinfo,
      );
    case "request":
      return packet(
        PacketType.REQUEST,
        -1,
        bytesOf((w) => {
          w.bigLong(m.sessionId);
          w.int(m.cxid);
          w.int(m.opType);
          w.raw(m.body);
        }),
        m.authinfo,
      );
    case "revalidate":
      return packet(
        PacketType.REVALIDATE,
        -1,
        bytesOf((w) => {
          w.bigLong(m.sessionId);
          w.int(m.timeoutMs);
        }),
      );
  }
}

/** The packet for a leader's message (herd's tests play the leader; a herd leader will too). */
export function encodeLeaderMessage(m: LeaderMessage): QuorumPacket {
  switch (m.kind) {
    case "leaderInfo":
      return packet(
        PacketType.LEADERINFO,
        epochZxid(m.newEpoch),
        bytesOf((w) => w.int(m.protocolVersion)),
      );
    case "diff":
      return packet(PacketType.DIFF, m.zxid, null);
    case "trunc":
      return packet(PacketType.TRUNC, m.zxid, null);
    case "snap":
      return packet(PacketType.SNAP, m.zxid, null);
    case "proposal":
      return packet(PacketType.PROPOSAL, m.entry.hdr.zxid, encodeTxnBytes(m.entry));
    case "inform":
      return packet(PacketType.INFORM, m.entry.hdr.zxid, encodeTxnBytes(m.entry));
    case "informAndActivate":
      return packet(
        PacketType.INFORMANDACTIVATE,
        m.entry.hdr.zxid,
        bytesOf((w) => {
          w.bigLong(m.leader);
          w.raw(encodeTxnBytes(m.entry));
        }),
      );
    case "commit":
      return packet(PacketType.COMMIT, m.zxid, null);
    case "commitAndActivate":
      return packet(PacketType.COMMITANDACTIVATE, m.zxid, bytesOf((w) => w.bigLong(m.leader)));
    case "newLeader":
      return packet(
        PacketType.NEWLEADER,
        m.zxid,
        m.config === null ? null : encoder.encode(m.config),
      );
    case "upToDate":
      return packet(PacketType.UPTODATE, -1, null);
    case "ping":
      return packet(PacketType.PING, m.zxid, null, m.authinfo);
    case "revalidateReply":
      return packet(
        PacketType.REVALIDATE,
        -1,
        bytesOf((w) => {
          w.bigLong(m.sessionId);
          w.bool(m.valid);
        }),
      );
    case "sync":
      return packet(PacketType.SYNC, 0, null);
    case "unknown":
      return packet(m.type, m.zxid, null);
  }
}

/** Reads a fixed layout from a packet's data, naming the packet in any error. */
function parse<T>(p: QuorumPacket, min: number, what: string, read: (r: JuteReader) => T): T {
  const data = p.data ?? new Uint8Array(0);
  if (data.length < min) {
    throw new QuorumMessageError(`${what}: data is ${data.length} bytes, needs ${min}`);
  }
  try {
    return read(new JuteReader(data));
  } catch (e) {
    if (e instanceof JuteError) throw new QuorumMessageError(`${what}: ${e.message}`);
    throw e;
  }
}

/** Decodes a packet a leader sent. An unknown type is a message too: Apache logs and goes on. */
export function decodeLeaderPacket(p: QuorumPacket): LeaderMessage {
  switch (p.type) {
    case PacketType.LEADERINFO:
      return {
        kind: "leaderInfo",
        newEpoch: epochOf(p.zxid),
        protocolVersion: parse(p, 4, "LEADERINFO", (r) => r.int()),
      };
    case PacketType.DIFF:
      return { kind: "diff", zxid: p.zxid };
    case PacketType.TRUNC:
      return { kind: "trunc", zxid: p.zxid };
    case PacketType.SNAP:
      return { kind: "snap", zxid: p.zxid };
    case PacketType.PROPOSAL:
      return { kind: "proposal", entry: checkedTxn(p, p.data, "PROPOSAL") };
    case PacketType.INFORM:
      return { kind: "inform", entry: checkedTxn(p, p.data, "INFORM") };
    case PacketType.INFORMANDACTIVATE: {
      const leader = parse(p, 8, "INFORMANDACTIVATE", (r) => r.bigLong());
      const entry = checkedTxn(p, p.data!.subarray(8), "INFORMANDACTIVATE");
      return { kind: "informAndActivate", leader, entry };
    }
    case PacketType.COMMIT:
      return { kind: "commit", zxid: p.zxid };
    case PacketType.COMMITANDACTIVATE:
      return {
        kind: "commitAndActivate",
        zxid: p.zxid,
        leader: parse(p, 8, "COMMITANDACTIVATE", (r) => r.bigLong()),
      };
    case PacketType.NEWLEADER:
      return {
        kind: "newLeader",
        zxid: p.zxid,
        config: p.data === null ? null : decoder.decode(p.data),
      };
    case PacketType.UPTODATE:
      return { kind: "upToDate" };
    case PacketType.PING:
      return { kind: "ping", zxid: p.zxid, authinfo: p.authinfo };
    case PacketType.REVALIDATE:
      return parse(p, 9, "REVALIDATE", (r) => ({
        kind: "revalidateReply",
        sessionId: r.bigLong(),
        valid: r.bool(),
      }));
    case PacketType.SYNC:
      return { kind: "sync" };
    default:
      return { kind: "unknown", type: p.type, zxid: p.zxid };
  }
}

/** The txn of a PROPOSAL or INFORM, whose header must carry the packet's zxid. */
function checkedTxn(p: QuorumPacket, data: Uint8Array | null, what: string): TxnEntry {
  const entry = decodeTxnBytes(data, what);
  if (entry.hdr.zxid !== p.zxid) {
    throw new QuorumMessageError(
      `${what} zxid 0x${p.zxid.toString(16)} carries a txn of 0x${entry.hdr.zxid.toString(16)}`,
    );
  }
  return entry;
}

/** Decodes a packet a learner sent (the leader's side, and herd's tests of the learner). */
export function decodeLearnerPacket(p: QuorumPacket): LearnerMessage {
  switch (p.type) {
    case PacketType.FOLLOWERINFO:
    case PacketType.OBSERVERINFO: {
      const kind = p.type === PacketType.FOLLOWERINFO ? "followerInfo" : "observerInfo";
      // A 3.4+ learner sends 20 bytes; 12 is the oldest layout with a protocol version (§8).
      return parse(p, 12, kind, (r) => ({
        kind,
        acceptedEpoch: epochOf(p.zxid),
        sid: r.long(),
        protocolVersion: r.int(),
        configVersion: r.remaining >= 8 ? r.long() : 0,
      }));
    }
    case PacketType.ACKEPOCH:
      return {
        kind: "ackEpoch",
        lastZxid: p.zxid,
        currentEpoch: parse(p, 4, "ACKEPOCH", (r) => r.int()),
      };
    case PacketType.ACK:
      return { kind: "ack", zxid: p.zxid };
    case PacketType.PING:
      return parse(p, 0, "PING", (r) => {
        if (r.remaining % 12 !== 0) {
          throw new QuorumMessageError(`PING reply of ${r.remaining} bytes is not whole pairs`);
        }
        const touches: SessionTouch[] = [];
        while (r.remaining > 0) touches.push({ sessionId: r.bigLong(), timeoutMs: r.int() });
        return { kind: "pingReply", zxid: p.zxid, touches, authinfo: p.authinfo };
      });
    case PacketType.REQUEST:
      return parse(p, 16, "REQUEST", (r) => ({
        kind: "request",
        sessionId: r.bigLong(),
        cxid: r.int(),
        opType: r.int(),
        body: r.buf.slice(r.pos),
        authinfo: p.authinfo ?? [],
      }));
    case PacketType.REVALIDATE:
      return parse(p, 12, "REVALIDATE", (r) => ({
        kind: "revalidate",
        sessionId: r.bigLong(),
        timeoutMs: r.int(),
      }));
    default:
      throw new QuorumMessageError(`a learner does not send packet type ${p.type}`);
  }
}
