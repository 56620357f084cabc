/**
 * Micro-benchmarks of the two hot codecs: a broker decodes Produce requests and encodes Fetch
 * responses. Run: `deno bench kafka/protocol/codecs_bench.ts`.
 */
import { API_CODECS } from "./messages/apis.ts";
import type { ProduceRequest } from "./messages/produce.ts";
import type { FetchResponse } from "./messages/fetch.ts";
import { KafkaReader } from "./reader.ts";
import { KafkaWriter } from "./writer.ts";

function records(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = i * 31;
  return b;
}

function produce(topics: number, partitions: number, batch: number): Uint8Array {
  const msg: ProduceRequest = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30000,
    topicData: Array.from({ length: topics }, (_, t) => ({
      name: `topic-${t}`,
      partitionData: Array.from({ length: partitions }, (_, p) => ({
        index: p,
        records: records(batch),
      })),
    })),
  };
  const w = new KafkaWriter();
  API_CODECS[0].encodeRequest(w, msg, 9);
  return w.written().slice();
}

function fetch(topics: number, partitions: number, batch: number): FetchResponse {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 123,
    responses: Array.from({ length: topics }, (_, t) => ({
      topic: `topic-${t}`,
      partitions: Array.from({ length: partitions }, (_, p) => ({
        partitionIndex: p,
        errorCode: 0,
        highWatermark: 1_000_000 + p,
        lastStableOffset: 1_000_000 + p,
        logStartOffset: 0,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: records(batch),
      })),
    })),
  };
}

const reader = new KafkaReader();
const writer = new KafkaWriter(1 << 20);

for (const [topics, partitions, batch] of [[1, 1, 16384], [1, 1, 1024], [5, 10, 1024]]) {
  const frame = produce(topics, partitions, batch);
  Deno.bench(`Produce v9 request decode: ${topics}×${partitions} partitions × ${batch} B`, {
    group: "produce",
  }, () => {
    reader.reset(frame);
    API_CODECS[0].decodeRequest(reader, 9);
  });
}

for (const [topics, partitions, batch] of [[1, 1, 1 << 20], [1, 1, 1024], [10, 10, 4096]]) {
  const msg = fetch(topics, partitions, batch);
  Deno.bench(`Fetch v12 response encode: ${topics}×${partitions} partitions × ${batch} B`, {
    group: "fetch",
  }, () => {
    writer.reset();
    API_CODECS[1].encodeResponse(writer, msg, 12);
  });
  Deno.bench(`Fetch v11 response encode: ${topics}×${partitions} partitions × ${batch} B`, {
    group: "fetch",
  }, () => {
    writer.reset();
    API_CODECS[1].encodeResponse(writer, msg, 11);
  });
}
