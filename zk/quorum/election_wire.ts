/**
 * The election port's bytes as Apache ZooKeeper 3.8.0 writes and reads them: the connection
 * header an initiator sends (quorum-protocol.md §1.3), the `i32`-length frames (§1.5) and the
 * notification inside each frame (§2.1). Values inside herd are typed; only this file touches
 * bytes.
 *
 * @module
 */

/** Protocol version −65536: one election address (multiAddress off), the 3.8 default (§1.3). */
export const PROTOCOL_V1 = -65536n;
/** Protocol version −65535: `|`-separated addresses, sent only with multiAddress on (§1.3). */
export const PROTOCOL_V2 = -65535n;
/** The largest address text a receiver accepts (§1.3). */
export const MAX_ADDRESS_LENGTH = 2048;
/** PACKETMAXSIZE: the largest election frame a receiver accepts, 512 KiB (§1.5). */
export const MAX_FRAME = 512 * 1024;
/** The notification format version 3.8.0 sends (CURRENTVERSION, §2.1). */
export const NOTIFICATION_VERSION = 2;
/** The sid an unlisted observer may send (Long.MAX_VALUE, OBSERVER_ID, §1.3). */
export const OBSERVER_ID = 0x7fffffffffffffffn;

/** A server's state as notifications carry it: ServerState.ordinal() (§2.1). */
export type ServerState = "LOOKING" | "FOLLOWING" | "LEADING" | "OBSERVING";
const STATES: readonly ServerState[] = ["LOOKING", "FOLLOWING", "LEADING", "OBSERVING"];

/** The first bytes on an election connection, from its initiator. No reply follows. */
export interface ElectionHandshake {
  /** PROTOCOL_V1 or PROTOCOL_V2; undefined for the pre-3.5 form (the sid alone). */
  protocol?: bigint;
  /** The initiator's server id (an `i64`; OBSERVER_ID for an unlisted observer). */
  sid: bigint;
  /** Its election addresses, `host:port` or `[v6]:port`; empty in the pre-3.5 form. */
  addresses: string[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The handshake an initiator writes, in one buffer: Java's receiver reads the address with a
 * single `read()`, so the header must go out in one write (§8).
 *
 * @example
 * ```ts
 * import { encodeHandshake } from "./election_wire.ts";
 * encodeHandshake(1n, "127.0.0.1:2183").length; // 34
 * ```
 */
export function encodeHandshake(sid: bigint, address: string): Uint8Array {
  const addr = encoder.encode(address);
  if (addr.length < 1 || addr.length > MAX_ADDRESS_LENGTH) {
    throw new RangeError(`an election address of ${addr.length} bytes cannot be sent`);
  }
  const out = new Uint8Array(20 + addr.length);
  const v = new DataView(out.buffer);
  v.setBigInt64(0, PROTOCOL_V1);
  v.setBigInt64(8, sid);
  v.setInt32(16, addr.length);
  out.set(addr, 20);
  return out;
}

/** What decodeHandshake found: a header and its size, more bytes needed, or a refusal. */
export type HandshakeResult =
  | { kind: "handshake"; handshake: ElectionHandshake; size: number }
  | { kind: "incomplete" }
  | { kind: "invalid"; reason: string };

/**
 * Reads an initiator's header from the start of `buf` as QuorumCnxManager does: a first `i64`
 * ≥ 0 is the sid itself (pre-3.5); otherwise V1 or V2, the sid, and 1..2048 bytes of address.
 *
 * @example
 * ```ts
 * import { decodeHandshake, encodeHandshake } from "./election_wire.ts";
 * const r = decodeHandshake(encodeHandshake(3n, "127.0.0.14:3888"));
 * // { kind: "handshake", handshake: { protocol: -65536n, sid: 3n, addresses: ["127.0.0.14:3888"] }, size: 35 }
 * ```
 */
export function decodeHandshake(buf: Uint8Array): HandshakeResult {
  if (buf.length < 8) return { kind: "incomplete" };
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const first = v.getBigInt64(0);
  if (first >= 0n) {
    return { kind: "handshake", handshake: { sid: first, addresses: [] }, size: 8 };
  }
  if (first !== PROTOCOL_V1 && first !== PROTOCOL_V2) {
    return { kind: "invalid", reason: `unrecognized protocol version ${first}` };
  }
  if (buf.length < 20) return { kind: "incomplete" };
  const sid = v.getBigInt64(8);
  const n = v.getInt32(16);
  if (n < 1 || n > MAX_ADDRESS_LENGTH) {
    return { kind: "invalid", reason: `unreasonable address length ${n} from sid ${sid}` };
  }
  if (buf.length < 20 + n) return { kind: "incomplete" };
  const text = decoder.decode(buf.subarray(20, 20 + n));
  return {
    kind: "handshake",
    handshake: { protocol: first, sid, addresses: text.split("|") },
    size: 20 + n,
  };
}

/**
 * One election notification (FastLeaderElection's ToSend/Notification): the sender's state and
 * vote, its round, and the config it has committed.
 */
export interface Notification {
  state: ServerState;
  /** The proposed leader's sid (Long.MIN_VALUE in an observer's own vote). */
  leader: bigint;
  /** The proposed leader's last zxid. */
  zxid: bigint;
  /** The sender's logical clock, the election "round" (electionEpoch). */
  round: bigint;
  /** The proposed leader's epoch. */
  peerEpoch: bigint;
  /** The format: 2 from 3.8.0; 0 for the old 28- and 40-byte forms. */
  version: number;
  /** The sender's committed QuorumVerifier text; only in version 2 and later. */
  config?: string;
}

/**
 * The notification 3.8.0 sends: 44 bytes of fields, version 2, then the config text (§2.1).
 *
 * @example
 * ```ts
 * import { encodeNotification } from "./election_wire.ts";
 * const bytes = encodeNotification({
 *   state: "LOOKING", leader: 1n, zxid: 0n, round: 1n, peerEpoch: 0n, version: 2,
 *   config: "server.1=127.0.0.1:2182:2183:participant\nversion=0",
 * });
 * bytes.length; // 44 + 50
 * ```
 */
export function encodeNotification(n: Notification): Uint8Array {
  const config = encoder.encode(n.config ?? "");
  const out = new Uint8Array(44 + config.length);
  const v = new DataView(out.buffer);
  v.setInt32(0, STATES.indexOf(n.state));
  v.setBigInt64(4, n.leader);
  v.setBigInt64(12, n.zxid);
  v.setBigInt64(20, n.round);
  v.setBigInt64(28, n.peerEpoch);
  v.setInt32(36, NOTIFICATION_VERSION);
  v.setInt32(40, config.length);
  out.set(config, 44);
  return out;
}

/** A decoded notification, or why Apache's receiver would skip the message. */
export type NotificationResult =
  | { kind: "notification"; notification: Notification }
  | { kind: "skip"; reason: string };

/**
 * Reads a notification as 3.8.0's WorkerReceiver does, old forms included: 28 bytes carry no
 * peerEpoch (it is the zxid's epoch), 40 bytes no version; a version above 1 carries config text.
 * What Java would skip (short, unknown state, bad config length) is a `skip` with the reason.
 *
 * @example
 * ```ts
 * import { decodeNotification, encodeNotification } from "./election_wire.ts";
 * const n = { state: "LEADING" as const, leader: 3n, zxid: 0x100000005n, round: 2n, peerEpoch: 1n, version: 2, config: "" };
 * decodeNotification(encodeNotification(n)); // { kind: "notification", notification: n }
 * ```
 */
export function decodeNotification(buf: Uint8Array): NotificationResult {
  const size = buf.length;
  if (size < 28) return { kind: "skip", reason: `Got a short response: ${size}` };
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const stateCode = v.getInt32(0);
  const state = STATES[stateCode];
  if (state === undefined) return { kind: "skip", reason: `unknown state ${stateCode}` };
  const leader = v.getBigInt64(4);
  const zxid = v.getBigInt64(12);
  const round = v.getBigInt64(20);
  if (size === 28) {
    const notification = { state, leader, zxid, round, peerEpoch: zxid >> 32n, version: 0 };
    return { kind: "notification", notification };
  }
  if (size < 36) return { kind: "skip", reason: "BufferUnderflowException" };
  const peerEpoch = v.getBigInt64(28);
  if (size === 40) {
    return {
      kind: "notification",
      notification: { state, leader, zxid, round, peerEpoch, version: 0 },
    };
  }
  if (size < 40) return { kind: "skip", reason: "BufferUnderflowException" };
  const version = v.getInt32(36);
  const notification: Notification = { state, leader, zxid, round, peerEpoch, version };
  if (version > 1) {
    if (size < 44) return { kind: "skip", reason: "BufferUnderflowException" };
    const length = v.getInt32(40);
    if (length < 0 || length > size) {
      return { kind: "skip", reason: `Invalid configLength in notification message! ${length}` };
    }
    if (44 + length > size) return { kind: "skip", reason: "BufferUnderflowException" };
    notification.config = decoder.decode(buf.subarray(44, 44 + length));
  }
  return { kind: "notification", notification };
}

/**
 * Prefixes a payload with its `i32` length, as each election message travels (§1.5).
 *
 * @example
 * ```ts
 * import { frame } from "./election_wire.ts";
 * frame(new Uint8Array([7])); // Uint8Array [0, 0, 0, 1, 7]
 * ```
 */
export function frame(payload: Uint8Array): Uint8Array {
  if (payload.length < 1 || payload.length > MAX_FRAME) {
    throw new RangeError(`an election message of ${payload.length} bytes cannot be sent`);
  }
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}

/** Whether a frame length is one Java accepts; any other drops the connection (§1.5). */
export function validFrameLength(length: number): boolean {
  return length > 0 && length <= MAX_FRAME;
}

/** Parses `host:port` or `[v6]:port` from a handshake; undefined when it is neither. */
export function parseElectionAddress(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  return port <= 65535 ? { host: m[1] ?? m[2], port } : undefined;
}

/** The address text a handshake carries for `host:port` (NetUtils.formatInetAddr). */
export function formatElectionAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
