/**
 * The quorum port's record (quorum-protocol.md §3): a jute `QuorumPacket` — `i32 type`, `i64 zxid`,
 * `buffer data`, `vector<Id> authinfo` — written back to back on the learner's TCP connection
 * with no length prefix, so a reader must parse each record to find where the next one starts.
 *
 * @module
 */
import { JuteReader } from "../jute/reader.ts";
import { JuteWriter } from "../jute/writer.ts";
import { type Id, readId, writeId } from "../jute/records.ts";

/** The packet type codes of Apache 3.8.0's Leader (§3's table). */
export const PacketType = {
  REQUEST: 1,
  PROPOSAL: 2,
  ACK: 3,
  COMMIT: 4,
  PING: 5,
  REVALIDATE: 6,
  SYNC: 7,
  INFORM: 8,
  COMMITANDACTIVATE: 9,
  NEWLEADER: 10,
  FOLLOWERINFO: 11,
  UPTODATE: 12,
  DIFF: 13,
  TRUNC: 14,
  SNAP: 15,
  OBSERVERINFO: 16,
  LEADERINFO: 17,
  ACKEPOCH: 18,
  INFORMANDACTIVATE: 19,
} as const;

/** The name Apache's logs give a packet type (`LearnerHandler.packetToString`), or the number. */
export function packetTypeName(type: number): string {
  for (const [name, code] of Object.entries(PacketType)) if (code === type) return name;
  return `UNKNOWN${type}`;
}

/** One QuorumPacket as it crosses the wire. `data` and `authinfo` may be null (length −1). */
export interface QuorumPacket {
  type: number;
  /** A zxid (exact as a number: epochs stay far below 2^21). */
  zxid: number;
  data: Uint8Array | null;
  authinfo: Id[] | null;
}

/**
 * Apache's readers cap a buffer at jute.maxbuffer (0xfffff) plus the same again as an extra
 * allowance (§3): a bigger length is a corrupt or hostile stream, not a packet to wait for.
 */
export const MAX_PACKET_BUFFER = 2 * 0xfffff;

/** Appends one packet's bytes to `w`. */
export function writeQuorumPacket(w: JuteWriter, p: QuorumPacket): void {
  w.int(p.type);
  w.long(p.zxid);
  w.buffer(p.data);
  if (p.authinfo === null) {
    w.int(-1);
    return;
  }
  w.int(p.authinfo.length);
  for (const id of p.authinfo) writeId(w, id);
}

/** The bytes of one packet. */
export function encodeQuorumPacket(p: QuorumPacket): Uint8Array {
  const w = new JuteWriter(32 + (p.data?.length ?? 0));
  writeQuorumPacket(w, p);
  return w.bytes();
}

/**
 * Reads one packet at `r.pos`. Throws JuteError when the bytes end inside it (the stream reader
 * then waits for more) or when a length is beyond what Apache would send.
 */
export function readQuorumPacket(r: JuteReader): QuorumPacket {
  const type = r.int();
  const zxid = r.long();
  if (r.remaining >= 4) {
    const n = r.view.getInt32(r.pos);
    if (n > MAX_PACKET_BUFFER || n < -1) {
      throw new QuorumStreamError(`packet data length ${n} is out of range`);
    }
  }
  const data = r.buffer();
  const count = r.int();
  let authinfo: Id[] | null = null;
  if (count >= 0) {
    if (count > 1024) throw new QuorumStreamError(`packet authinfo count ${count} is too large`);
    authinfo = [];
    for (let i = 0; i < count; i++) authinfo.push(readId(r));
  } else if (count !== -1) {
    throw new QuorumStreamError(`packet authinfo count ${count}`);
  }
  return { type, zxid, data, authinfo };
}

/** Decodes exactly one packet; trailing bytes are an error. */
export function decodeQuorumPacket(bytes: Uint8Array): QuorumPacket {
  const r = new JuteReader(bytes);
  const p = readQuorumPacket(r);
  if (r.remaining !== 0) throw new QuorumStreamError(`${r.remaining} bytes after the packet`);
  return p;
}

/**
 * The quorum stream cannot be read on: a record is malformed (not merely incomplete). The
 * connection must be dropped, since without framing nothing after it can be trusted.
 */
export class QuorumStreamError extends Error {
  override name = "QuorumStreamError";
}

/** `epoch << 32`, the zxid that names an epoch (§5.1). */
export function epochZxid(epoch: number): number {
  return epoch * 2 ** 32;
}

/** The epoch of a zxid (its high 32 bits). */
export function epochOf(zxid: number): number {
  return Math.floor(zxid / 2 ** 32);
}

/** A zxid as Apache logs it: `0x` and lowercase hex. */
export function hexZxid(zxid: number): string {
  return zxid < 0 ? `-0x${(-zxid).toString(16)}` : `0x${zxid.toString(16)}`;
}
