/**
 * Test helper: one request over the wire to a broker (herd's or Apache's) with herd's codecs, and
 * its decoded response. Lets a test send exactly the version and fields it wants (CreateTopics v7
 * with validate_only, a Metadata v4 asking for auto-creation) to both brokers and compare.
 *
 * @module
 */
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { readResponse, writeRequest } from "../protocol/frame.ts";
import { apiEntry } from "../protocol/registry.ts";

let correlation = 1;

/** Sends one request to 127.0.0.1:`port` on a fresh connection; resolves with the response body. */
export async function kafkaCall<Res>(
  port: number,
  apiKey: number,
  version: number,
  body: unknown,
): Promise<Res> {
  const entry = apiEntry(apiKey);
  if (!entry) throw new Error(`API ${apiKey} is not known`);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const w = new KafkaWriter();
    writeRequest(w, {
      requestApiKey: apiKey,
      requestApiVersion: version,
      correlationId: correlation++,
      clientId: "herd-test",
    }, body);
    const out = w.written();
    for (let off = 0; off < out.length;) off += await conn.write(out.subarray(off));
    const frame = await readFrame(conn);
    return readResponse(new KafkaReader(frame), entry, version).body as Res;
  } finally {
    conn.close();
  }
}

async function readFrame(conn: Deno.Conn): Promise<Uint8Array> {
  const size = await readN(conn, 4);
  return await readN(conn, new DataView(size.buffer).getInt32(0));
}

async function readN(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const k = await conn.read(out.subarray(got));
    if (k === null) throw new Error(`connection closed after ${got} of ${n} bytes`);
    got += k;
  }
  return out;
}
