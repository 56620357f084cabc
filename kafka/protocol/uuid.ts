/**
 * Kafka's Uuid (topic ids) as the string Kafka prints: the 16 bytes in URL-safe base64 without
 * padding, 22 characters (`AAAAAAAAAAAAAAAAAAAAAA` is Uuid.ZERO_UUID, the schemas' default).
 *
 * @module
 */
import { KafkaProtocolError } from "./errors.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** The zero UUID, the default of every uuid field. */
export const ZERO_UUID = "AAAAAAAAAAAAAAAAAAAAAA";

/**
 * The 16 bytes at `pos` as Kafka's 22-character string.
 *
 * @example
 * ```ts
 * uuidToString(new Uint8Array(16), 0); // "AAAAAAAAAAAAAAAAAAAAAA"
 * ```
 */
export function uuidToString(buf: Uint8Array, pos: number): string {
  let s = "";
  // 5 groups of 3 bytes give 20 characters; the last byte gives 2 more.
  for (let i = pos; i < pos + 15; i += 3) {
    const n = (buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2];
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const last = buf[pos + 15];
  return s + ALPHABET[last >> 2] + ALPHABET[(last & 3) << 4];
}

/** Writes Kafka's 22-character UUID string as 16 bytes at `pos`; throws on anything else. */
export function uuidToBytes(s: string, buf: Uint8Array, pos: number): void {
  if (s.length !== 22) throw new KafkaProtocolError(`not a Kafka UUID: ${JSON.stringify(s)}`);
  const digit = (i: number): number => {
    const c = s.charCodeAt(i);
    const v = c < 128 ? VALUES[c] : -1;
    if (v < 0) throw new KafkaProtocolError(`not a Kafka UUID: ${JSON.stringify(s)}`);
    return v;
  };
  let o = pos;
  for (let i = 0; i < 20; i += 4) {
    const n = (digit(i) << 18) | (digit(i + 1) << 12) | (digit(i + 2) << 6) | digit(i + 3);
    buf[o++] = n >> 16;
    buf[o++] = (n >> 8) & 0xff;
    buf[o++] = n & 0xff;
  }
  const tail = digit(21);
  // The last character carries 2 bits of the last byte and 4 bits that must be zero.
  if (tail & 15) throw new KafkaProtocolError(`not a Kafka UUID: ${JSON.stringify(s)}`);
  buf[o] = (digit(20) << 2) | (tail >> 4);
}
