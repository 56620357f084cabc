/**
 * The session handshake records. They are framed like requests but carry no RequestHeader,
 * and both end with a readOnly byte that is not part of the jute record (Apache writes it
 * separately so pre-3.4 peers can ignore it).
 */
import type { JuteReader, JuteWriter } from "../jute/mod.ts";

/** ConnectRequest plus the trailing readOnly flag. */
export interface ConnectRequest {
  lastZxidSeen: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
}

/** ConnectResponse plus the trailing readOnly flag (false when an old server omits it). */
export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
}

/** Writes a ConnectRequest body (protocolVersion is always 0). */
export function writeConnectRequest(w: JuteWriter, q: ConnectRequest): void {
  w.int(0);
  w.long(q.lastZxidSeen);
  w.int(q.timeOut);
  w.bigLong(q.sessionId);
  w.buffer(q.passwd);
  w.bool(q.readOnly);
}

/** Reads a ConnectResponse body. */
export function readConnectResponse(r: JuteReader): ConnectResponse {
  const protocolVersion = r.int();
  const timeOut = r.int();
  const sessionId = r.bigLong();
  const passwd = r.buffer() ?? new Uint8Array(16);
  const readOnly = r.remaining > 0 ? r.bool() : false;
  return { protocolVersion, timeOut, sessionId, passwd, readOnly };
}
