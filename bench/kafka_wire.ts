/**
 * The one Kafka request the bench sends itself: Metadata v1 (every topic), hand-encoded so the
 * bench judges a broker's readiness without depending on herd's own codecs. A broker is ready when
 * it answers with itself among the brokers and every partition of the expected topics led.
 */

/** What a Metadata v1 answer says about readiness. */
export interface MetadataView {
  brokers: number[];
  /** Topic name → leader of each partition (-1: none), for topics answered without error. */
  topics: Map<string, number[]>;
}

function metadataRequest(correlationId: number): Uint8Array {
  const clientId = new TextEncoder().encode("herd-bench");
  const body = new Uint8Array(4 + 2 + 2 + 4 + 2 + clientId.length + 4);
  const v = new DataView(body.buffer);
  v.setInt32(0, body.length - 4);
  v.setInt16(4, 3); // api key: Metadata
  v.setInt16(6, 1); // version 1: topics null = all, no tagged fields
  v.setInt32(8, correlationId);
  v.setInt16(12, clientId.length);
  body.set(clientId, 14);
  v.setInt32(14 + clientId.length, -1);
  return body;
}

/** Reads Metadata v1's response body (after the correlation id). */
export function parseMetadataV1(b: Uint8Array): MetadataView {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dec = new TextDecoder();
  let at = 0;
  const i16 = () => (at += 2, v.getInt16(at - 2));
  const i32 = () => (at += 4, v.getInt32(at - 4));
  const str = () => {
    const n = i16();
    if (n < 0) return null;
    at += n;
    return dec.decode(b.subarray(at - n, at));
  };
  const brokers: number[] = [];
  for (let n = i32(); n > 0; n--) {
    brokers.push(i32());
    str(); // host
    i32(); // port
    str(); // rack
  }
  i32(); // controller id
  const topics = new Map<string, number[]>();
  for (let n = i32(); n > 0; n--) {
    const error = i16();
    const name = str() ?? "";
    at += 1; // is_internal
    const leaders: number[] = [];
    for (let p = i32(); p > 0; p--) {
      const perr = i16();
      i32(); // partition index
      const leader = i32();
      const replicas = i32();
      at += 4 * replicas;
      const isr = i32();
      at += 4 * isr;
      leaders.push(perr === 0 ? leader : -1);
    }
    if (error === 0) topics.set(name, leaders);
  }
  return { brokers, topics };
}

async function readFull(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(out.subarray(got));
    if (r === null) throw new Error("connection closed before the whole answer");
    got += r;
  }
  return out;
}

/**
 * One Metadata v1 round trip to 127.0.0.1:`port`; rejects if the broker refuses, closes, or does
 * not answer within `timeoutMs` (a broker still loading may accept and answer only later).
 */
export async function fetchMetadata(port: number, timeoutMs: number): Promise<MetadataView> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* closed already */ }
  }, timeoutMs);
  try {
    await conn.write(metadataRequest(1));
    const size = new DataView((await readFull(conn, 4)).buffer).getInt32(0);
    const frame = await readFull(conn, size);
    return parseMetadataV1(frame.subarray(4));
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed already */ }
  }
}

/** Whether `view` lists broker `id` and a leader for every partition of every one of `topics`. */
export function isReady(view: MetadataView, id: number, topics: string[]): boolean {
  if (!view.brokers.includes(id)) return false;
  return topics.every((t) => {
    const leaders = view.topics.get(t);
    return leaders !== undefined && leaders.length > 0 && leaders.every((l) => l >= 0);
  });
}
