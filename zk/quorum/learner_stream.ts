/**
 * What a leader reads from one learner, as it arrives in arbitrary chunks: QuorumPackets back to
 * back with no framing (quorum-protocol.md §3). The leader's twin of leader_stream.ts, without
 * the SNAP case (a learner never streams a snapshot).
 *
 * @module
 */
import { JuteError, JuteReader } from "../jute/reader.ts";
import {
  MAX_PACKET_BUFFER,
  type QuorumPacket,
  QuorumStreamError,
  readQuorumPacket,
} from "./quorum_packet.ts";

/**
 * An incremental decoder of a learner's stream.
 *
 * @example
 * ```ts
 * import { LearnerStreamDecoder } from "./learner_stream.ts";
 * const packets = new LearnerStreamDecoder().push(new Uint8Array(0)); // []
 * ```
 */
export class LearnerStreamDecoder {
  private buf = new Uint8Array(0);

  /** Takes the next bytes; returns every packet they complete, in order. */
  push(chunk: Uint8Array): QuorumPacket[] {
    if (this.buf.length === 0) this.buf = chunk.slice();
    else {
      const next = new Uint8Array(this.buf.length + chunk.length);
      next.set(this.buf);
      next.set(chunk, this.buf.length);
      this.buf = next;
    }
    const r = new JuteReader(this.buf);
    const out: QuorumPacket[] = [];
    for (;;) {
      const start = r.pos;
      try {
        out.push(readQuorumPacket(r));
      } catch (e) {
        if (!(e instanceof JuteError)) throw e;
        r.pos = start;
        break;
      }
    }
    this.buf = r.pos === this.buf.length ? new Uint8Array(0) : this.buf.slice(r.pos);
    if (this.buf.length > MAX_PACKET_BUFFER + 64 * 1024) {
      throw new QuorumStreamError(`${this.buf.length} bytes without a whole packet`);
    }
    return out;
  }
}
