/**
 * Test helpers for kafka/group: a coordinator on a ManualClock and an in-memory log, and the
 * requests a consumer sends.
 *
 * @module
 */
import { ManualClock } from "../../internal/clock.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import type { GroupCoordinatorConfig } from "./config.ts";
import { GroupCoordinator } from "./coordinator.ts";
import type { JoinInput } from "./membership.ts";
import { MemoryOffsetsTopicLog } from "./offsets_topic_log.ts";
import { decodeOffsetsTopicRecord, type OffsetsTopicRecord } from "./records.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";

/** A coordinator whose timers run only when the test moves the clock. */
export interface Rig {
  clock: ManualClock;
  log: MemoryOffsetsTopicLog;
  groups: GroupCoordinator;
  /** Moves the clock and fires what is due. */
  advance(ms: number): void;
  /** Every record appended so far, decoded, in order (all partitions). */
  records(): OffsetsTopicRecord[];
}

/** A started coordinator (initial rebalance delay 0 unless configured). */
export async function rig(
  config: Partial<GroupCoordinatorConfig> = {},
  log = new MemoryOffsetsTopicLog(4),
  clock = new ManualClock(1_700_000_000_000),
): Promise<Rig> {
  let n = 0;
  const groups = new GroupCoordinator({
    log,
    clock,
    timers: null,
    config: { groupInitialRebalanceDelayMs: 0, ...config },
    newUuid: () => `uuid-${++n}`,
  });
  await groups.start();
  return {
    clock,
    log,
    groups,
    advance(ms) {
      clock.advance(ms);
      groups.runTimers();
    },
    records() {
      const out: OffsetsTopicRecord[] = [];
      for (const part of log.batches) {
        for (const b of part) {
          for (const r of new RecordBatch(b).records()) {
            out.push(decodeOffsetsTopicRecord(r.key!, r.value));
          }
        }
      }
      return out;
    },
  };
}

/** A consumer's subscription (ConsumerProtocolSubscription v0, no user data). */
export function subscription(topics: string[]): Uint8Array {
  const w = new KafkaWriter();
  w.int16(0);
  w.int32(topics.length);
  for (const t of topics) w.string(t);
  w.nullableBytes(null);
  return w.written().slice();
}

/** A JoinGroup as kafka-python 2.0.2 sends it (v2: no MEMBER_ID_REQUIRED). */
export function joinReq(clientId: string, o: Partial<JoinInput> = {}): JoinInput {
  return {
    groupId: "my.group",
    memberId: "",
    groupInstanceId: null,
    clientId,
    clientHost: "/127.0.0.1",
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 300_000,
    protocolType: "consumer",
    protocols: [
      { name: "range", metadata: subscription(["my.topic"]) },
      { name: "roundrobin", metadata: subscription(["my.topic"]) },
    ],
    requireKnownMemberId: false,
    ...o,
  };
}

/** A promise that records whether it has settled. */
export function tracked<T>(p: Promise<T>): { p: Promise<T>; done: () => boolean } {
  let settled = false;
  p.then(() => settled = true, () => settled = true);
  return { p, done: () => settled };
}

/** Lets promise callbacks (appends completing) run. */
export function flush(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}
