/**
 * What a learner reads from its leader, as it arrives in arbitrary chunks: QuorumPackets back to
 * back (§3), and after a SNAP packet the unframed snapshot (§3.3). Without framing, a malformed
 * record makes everything after it unreadable: that is a QuorumStreamError, and the connection
 * must go.
 *
 * @module
 */
import { JuteError, JuteReader } from "../jute/reader.ts";
import {
  MAX_PACKET_BUFFER,
  PacketType,
  type QuorumPacket,
  QuorumStreamError,
  readQuorumPacket,
} from "./quorum_packet.ts";
import { type SnapStream, SnapStreamReader } from "./snap_stream.ts";

/** A packet, or a SNAP packet together with the snapshot that followed it. */
export type LeaderStreamEvent =
  | { kind: "packet"; packet: QuorumPacket }
  /** `bytes`: the snapshot stream's length, from after the SNAP packet to the signature's end. */
  | { kind: "snap"; zxid: number; snapshot: SnapStream; bytes: number };

/**
 * No record is larger than a packet's biggest buffer plus its fixed fields: more bytes than that
 * waiting without one completing means the stream is not what it should be.
 */
const MAX_PENDING = MAX_PACKET_BUFFER + 64 * 1024;

/**
 * An incremental decoder of the leader's stream.
 *
 * @example
 * ```ts
 * import { LeaderStreamDecoder } from "./leader_stream.ts";
 * const decoder = new LeaderStreamDecoder();
 * for (const event of decoder.push(new Uint8Array(0))) console.log(event.kind);
 * ```
 */
export class LeaderStreamDecoder {
  private buf = new Uint8Array(0);
  private snap: { zxid: number; reader: SnapStreamReader; start: number } | null = null;
  /** Bytes of whole records already dropped from the front of `buf`. */
  private consumed = 0;
  /** Bytes taken so far (for the learner's sync figures). */
  bytesRead = 0;

  /** Takes the next bytes of the stream; returns every event they complete, in order. */
  push(chunk: Uint8Array): LeaderStreamEvent[] {
    this.bytesRead += chunk.length;
    if (this.buf.length === 0) this.buf = chunk.slice();
    else {
      const next = new Uint8Array(this.buf.length + chunk.length);
      next.set(this.buf);
      next.set(chunk, this.buf.length);
      this.buf = next;
    }
    const r = new JuteReader(this.buf);
    const events: LeaderStreamEvent[] = [];
    for (;;) {
      if (this.snap !== null) {
        if (!this.snap.reader.read(r)) break;
        events.push({
          kind: "snap",
          zxid: this.snap.zxid,
          snapshot: this.snap.reader.result(),
          bytes: this.consumed + r.pos - this.snap.start,
        });
        this.snap = null;
        continue;
      }
      const start = r.pos;
      let p: QuorumPacket;
      try {
        p = readQuorumPacket(r);
      } catch (e) {
        if (!(e instanceof JuteError)) throw e;
        r.pos = start;
        break;
      }
      if (p.type === PacketType.SNAP) {
        const start = this.consumed + r.pos;
        this.snap = { zxid: p.zxid, reader: new SnapStreamReader(p.zxid), start };
      } else events.push({ kind: "packet", packet: p });
    }
    this.consumed += r.pos;
    this.buf = r.pos === this.buf.length ? new Uint8Array(0) : this.buf.slice(r.pos);
    if (this.buf.length > MAX_PENDING) {
      throw new QuorumStreamError(`${this.buf.length} bytes without a whole record`);
    }
    return events;
  }

  /** Bytes received but not yet part of a whole record. */
  get pending(): number {
    return this.buf.length;
  }
}
