/**
 * The group API handlers replayed against what Apache Kafka 2.8.2 answered: every group request
 * recorded in kafka/group/testdata/apache-2.8.2/requests.jsonl (a kafka-python group of two, a
 * Java console consumer, kafka-consumer-groups) goes through herd's codecs and handlers in the
 * order the requests reached Apache, and every field of Apache's answer must match (member ids
 * mapped: they are random). The records herd appends must match the segment Apache wrote.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../internal/clock.ts";
import { GroupCoordinator } from "../group/coordinator.ts";
import { MemoryOffsetsTopicLog } from "../group/offsets_topic_log.ts";
import { decodeOffsetsTopicRecord, type OffsetsTopicRecord } from "../group/records.ts";
import { API_CODECS } from "../protocol/messages/apis.ts";
import type { ApiCodec } from "../protocol/codec.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { staticBrokerState } from "../server/broker_state.ts";
import { offsetCommitHandler } from "./08_offset_commit.ts";
import { offsetFetchHandler } from "./09_offset_fetch.ts";
import { findCoordinatorHandler } from "./10_find_coordinator.ts";
import { joinGroupHandler } from "./11_join_group.ts";
import { heartbeatHandler } from "./12_heartbeat.ts";
import { leaveGroupHandler } from "./13_leave_group.ts";
import { syncGroupHandler } from "./14_sync_group.ts";
import { describeGroupsHandler } from "./15_describe_groups.ts";
import { listGroupsHandler } from "./16_list_groups.ts";
import { deleteGroupsHandler } from "./42_delete_groups.ts";
import { offsetDeleteHandler } from "./47_offset_delete.ts";
import type { Handler } from "./handler.ts";

const FIXTURE = new URL("../group/testdata/apache-2.8.2/", import.meta.url);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Line {
  requestHeader: { requestApiKey: number; requestApiVersion: number; clientId: string };
  request: { [k: string]: Json };
  response: { [k: string]: Json };
}

const lines: Line[] = Deno.readTextFileSync(new URL("requests.jsonl", FIXTURE)).trim().split("\n")
  .map((l) => JSON.parse(l));

/** Apache logs completions; these JoinGroups arrived before the lines listed before them. */
function arrivalOrder(): number[] {
  const order = lines.map((_, i) => i);
  // member-b's JoinGroup (8) came before member-a's heartbeat that was told to rejoin (6).
  order.splice(order.indexOf(8), 1);
  order.splice(order.indexOf(6), 0, 8);
  return order;
}

function b64(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function unb64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/** Apache's request JSON as herd's codec types: bytes from base64, renamed fields. */
function toRequest(key: number, j: Json, ids: Map<string, string>): unknown {
  const walk = (v: Json, k: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, k));
    if (v !== null && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [f, x] of Object.entries(v)) {
        o[key === 8 && f === "generationId" ? "generationIdOrMemberEpoch" : f] = walk(x, f);
      }
      return o;
    }
    if (typeof v === "string" && (k === "metadata" || k === "assignment")) return unb64(v);
    if (typeof v === "string" && k === "memberId") return ids.get(v) ?? v;
    return v;
  };
  return walk(j, "");
}

/** A decoded response as JSON (bytes as base64), for comparing with Apache's. */
function toJson(v: unknown): Json {
  if (v instanceof Uint8Array) return b64(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === "object") {
    const o: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toJson(x);
    return o;
  }
  return v as Json;
}

/** Learns Apache id → herd id from answers, then checks `ours` has every field `apache` has. */
function compare(apache: Json, ours: Json, ids: Map<string, string>, path: string): void {
  if (Array.isArray(apache)) {
    assert.ok(Array.isArray(ours), `${path}: not an array`);
    assert.equal(ours.length, apache.length, `${path}: length`);
    const sorted = (a: Json[]) =>
      [...a].sort((x, y) => sortKey(x, ids).localeCompare(sortKey(y, ids)));
    const [a, o] = [sorted(apache), sorted(ours)];
    a.forEach((x, i) => compare(x, o[i], ids, `${path}[${i}]`));
    return;
  }
  if (apache !== null && typeof apache === "object") {
    assert.ok(ours !== null && typeof ours === "object" && !Array.isArray(ours), `${path}: object`);
    for (const [k, x] of Object.entries(apache)) compare(x, ours[k], ids, `${path}.${k}`);
    return;
  }
  if (typeof apache === "string" && /-[0-9a-f]{8}-[0-9a-f]{4}-/.test(apache)) {
    if (!ids.has(apache)) ids.set(apache, ours as string);
    assert.equal(ours, ids.get(apache), `${path}: member id`);
    return;
  }
  assert.deepEqual(ours, apache, path);
}

/** Lists whose order is a Java hash map's in Apache are compared sorted. */
function sortKey(x: Json, ids: Map<string, string>): string {
  if (x !== null && typeof x === "object" && !Array.isArray(x)) {
    const id = x.memberId ?? x.partitionIndex;
    if (typeof id === "string") return ids.get(id) ?? id;
    if (typeof id === "number") return String(id).padStart(10, "0");
  }
  return "";
}

function describe(r: OffsetsTopicRecord, ids: (s: string) => string): string {
  if (r.type === "offset") {
    return `offset ${r.group} ${r.topic}-${r.partition} ${r.value === null ? "-" : r.value.offset}`;
  }
  const v = r.value;
  if (v === null) return `group ${r.group} -`;
  const members = v.members.map((m) =>
    `${ids(m.memberId)}:${m.groupInstanceId}:${m.clientId}:${m.clientHost}:${m.sessionTimeoutMs}:` +
    `${m.rebalanceTimeoutMs}:${b64(m.subscription)}:${b64(m.assignment)}`
  ).sort().join(",");
  return `group ${r.group} ${v.protocolType} ${v.generation} ${v.protocol} ${
    v.leader === null ? null : ids(v.leader)
  } [${members}]`;
}

function batchesOf(bytes: Uint8Array[]): OffsetsTopicRecord[][] {
  const out: OffsetsTopicRecord[][] = [];
  for (const b of bytes) {
    for (const e of scanEntries(b).entries) {
      const batch = new RecordBatch(b.subarray(e.position, e.position + e.sizeInBytes));
      out.push(batch.records().map((r) => decodeOffsetsTopicRecord(r.key!, r.value)));
    }
  }
  return out;
}

Deno.test("group handlers answer Apache 2.8.2's recorded requests as Apache did", async () => {
  const clock = new ManualClock(1_796_692_791_000);
  const log = new MemoryOffsetsTopicLog(1);
  let n = 0;
  let ensured = 0;
  const groups = new GroupCoordinator({
    log,
    clock,
    timers: null,
    config: { groupInitialRebalanceDelayMs: 0 },
    newUuid: () => `herd-uuid-${++n}`,
    // The first FindCoordinator found no __consumer_offsets yet (Apache created it then).
    ensureOffsetsTopic: () => Promise.resolve(++ensured > 1),
  });
  await groups.start();
  const port = lines[1].response.port as number;
  const broker = staticBrokerState({
    brokerId: 1,
    host: "127.0.0.1",
    port,
    topics: { "my.topic": 2 },
  });
  const handlers: Record<number, Handler> = {
    8: offsetCommitHandler(groups) as Handler,
    9: offsetFetchHandler(groups) as Handler,
    10: findCoordinatorHandler(groups) as Handler,
    11: joinGroupHandler(groups) as Handler,
    12: heartbeatHandler(groups) as Handler,
    13: leaveGroupHandler(groups) as Handler,
    14: syncGroupHandler(groups) as Handler,
    15: describeGroupsHandler(groups) as Handler,
    16: listGroupsHandler(groups) as Handler,
    42: deleteGroupsHandler(groups) as Handler,
    47: offsetDeleteHandler(groups) as Handler,
  };
  const ids = new Map<string, string>();
  const answers = new Map<number, Promise<Json>>();
  for (const i of arrivalOrder()) {
    const { requestHeader: h, request } = lines[i];
    const key = h.requestApiKey as keyof typeof API_CODECS;
    const codec = API_CODECS[key] as unknown as ApiCodec<unknown, unknown>;
    const v = h.requestApiVersion;
    const w = new KafkaWriter();
    codec.encodeRequest(w, toRequest(key, request, ids), v);
    const req = codec.decodeRequest(new KafkaReader(w.written().slice()), v);
    const header = {
      requestApiKey: key,
      requestApiVersion: v,
      correlationId: i,
      clientId: h.clientId,
    };
    const ctx = { apiVersion: v, header, broker, clientHost: "/127.0.0.1" };
    const answer = Promise.resolve(handlers[key](req, ctx)).then((res) => {
      const out = new KafkaWriter();
      codec.encodeResponse(out, res, v);
      return toJson(codec.decodeResponse(new KafkaReader(out.written().slice()), v));
    });
    answers.set(i, answer);
    // Let what can complete complete (appends), as the next request came later in real time.
    await new Promise((r) => setTimeout(r, 0));
    // Map member ids as soon as an answer reveals them, so later requests can use them.
    const done = await Promise.race([
      answer,
      new Promise<null>((r) => setTimeout(() => r(null), 0)),
    ]);
    if (done !== null) compare(lines[i].response, done, ids, `line ${i} ${h.requestApiKey}`);
  }
  for (const [i, a] of answers) {
    compare(lines[i].response, await a, ids, `line ${i} (${lines[i].requestHeader.requestApiKey})`);
  }
  // The same records, batch by batch, as Apache wrote (member ids mapped; order inside a batch
  // of tombstones is a hash map's in Apache).
  const apache = batchesOf([Deno.readFileSync(new URL("__consumer_offsets-0.log", FIXTURE))]);
  const ours = batchesOf(log.batches[0]);
  const map = (s: string) => ids.get(s) ?? s;
  assert.deepEqual(
    ours.map((b) => b.map((r) => describe(r, (s) => s)).sort()),
    apache.map((b) => b.map((r) => describe(r, map)).sort()),
  );
  groups.stop();
});
