/**
 * Session tracker: timeouts negotiated into [min, max], expiry in tick-sized buckets as Apache's
 * ExpiryQueue does. Pure: the caller passes the time and acts on what expires.
 */
import { hashId, SlotMap } from "../../internal/slot_map.ts";

export interface Session {
  id: bigint;
  timeout: number;
  password: Uint8Array;
  /** Bucketed expiry time (ms). */
  expireAt: number;
  closing: boolean;
}

export class SessionTracker {
  readonly sessions: SlotMap<bigint, Session> = new SlotMap(hashId);
  private nextId: bigint;

  constructor(readonly tickTime: number, serverId: bigint, now: number) {
    // Apache: (time << 24) >>> 8 | (serverId << 56): a time-based counter in the middle bits.
    const t = BigInt(now) & 0xffffffffffn;
    this.nextId = (serverId << 56n) | (t << 16n);
  }

  /** Rounds up to the next tick boundary, as ExpiryQueue.roundToNextInterval. */
  bucket(time: number): number {
    return (Math.floor(time / this.tickTime) + 1) * this.tickTime;
  }

  newSessionId(): bigint {
    let id = this.nextId++;
    while (this.sessions.has(id)) id = this.nextId++;
    return id;
  }

  add(id: bigint, timeout: number, password: Uint8Array, now: number): Session {
    const s: Session = {
      id,
      timeout,
      password,
      expireAt: this.bucket(now + timeout),
      closing: false,
    };
    this.sessions.set(id, s);
    return s;
  }

  /** Extends a live session; false if it is unknown or already closing. */
  touch(id: bigint, now: number): boolean {
    const s = this.sessions.get(id);
    if (!s || s.closing) return false;
    const at = this.bucket(now + s.timeout);
    if (at > s.expireAt) s.expireAt = at;
    return true;
  }

  get(id: bigint): Session | undefined {
    return this.sessions.get(id);
  }

  remove(id: bigint): void {
    this.sessions.delete(id);
  }

  /** Sessions whose expiry has passed; they are marked closing so they expire once. */
  expired(now: number): Session[] {
    const out: Session[] = [];
    for (const s of this.sessions.values()) {
      if (!s.closing && s.expireAt <= now) {
        s.closing = true;
        out.push(s);
      }
    }
    return out;
  }
}
