/**
 * A consumer for herd's tools, as Kafka 2.8's Java consumer behaves where a user can see it:
 * `subscribe` joins a group (consumer_group.ts) and starts each assigned partition at the
 * group's committed offset, else at auto.offset.reset; `assign` reads partitions without
 * joining; `poll` fetches from each partition's leader (full fetches, no fetch session) and
 * skips control batches and, under read_committed, aborted transactions; offsets are
 * auto-committed every auto.commit.interval.ms, before a rejoin, and on close.
 *
 * @module
 */
import type { FetchResponse, PartitionData } from "../protocol/messages/fetch.ts";
import type { ListOffsetsResponse } from "../protocol/messages/list_offsets.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import { scanEntries } from "../protocol/records/entries.ts";
import { RecordBatch } from "../protocol/records/record_batch.ts";
import { isControl, isTransactional, lastOffset } from "../protocol/records/batch_header.ts";
import { timestampTypeOf } from "../protocol/records/attributes.ts";
import { readControlKey } from "../protocol/records/control.ts";
import { legacyDeepMessages } from "../protocol/records/legacy.ts";
import type { RecordHeader } from "../protocol/records/record.ts";
import { isRetriable, type KafkaClient } from "./client.ts";
import { GroupMember, type GroupOptions, tpKey } from "./consumer_group.ts";

const FETCH = 1;
const LIST_OFFSETS = 2;

/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1;
/** ListOffsets' special timestamps. */
export const EARLIEST_TIMESTAMP = -2;

/** Consumer settings (Java names and 2.8 defaults in comments). */
export interface ConsumerOptions {
  /** group.id; undefined: no group (assign only). */
  groupId?: string;
  /** auto.offset.reset: latest */
  autoOffsetReset: "earliest" | "latest" | "none";
  /** enable.auto.commit: true */
  enableAutoCommit: boolean;
  /** auto.commit.interval.ms: 5000 */
  autoCommitIntervalMs: number;
  /** isolation.level: 0 read_uncommitted, 1 read_committed */
  isolationLevel: number;
  /** fetch.max.wait.ms: 500 */
  fetchMaxWaitMs: number;
  /** fetch.min.bytes: 1 */
  fetchMinBytes: number;
  /** fetch.max.bytes: 52428800 */
  fetchMaxBytes: number;
  /** max.partition.fetch.bytes: 1048576 */
  maxPartitionFetchBytes: number;
  /** session.timeout.ms, heartbeat.interval.ms, max.poll.interval.ms, retry.backoff.ms */
  group: Omit<GroupOptions, "groupId">;
  /** metadata.max.age.ms: 300000 (how often a pattern subscription looks for new topics) */
  metadataMaxAgeMs?: number;
}

/** The Java consumer's defaults. */
export const CONSUMER_DEFAULTS: ConsumerOptions = {
  autoOffsetReset: "latest",
  enableAutoCommit: true,
  autoCommitIntervalMs: 5000,
  isolationLevel: 0,
  fetchMaxWaitMs: 500,
  fetchMinBytes: 1,
  fetchMaxBytes: 52428800,
  maxPartitionFetchBytes: 1048576,
  group: {
    sessionTimeoutMs: 10000,
    heartbeatIntervalMs: 3000,
    rebalanceTimeoutMs: 300000,
    retryBackoffMs: 100,
  },
};

/** A record as poll returns it. */
export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: "CreateTime" | "LogAppendTime" | "NoTimestampType";
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: RecordHeader[];
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** undefined: to be looked up (committed offset, else the reset policy). */
  position: number | undefined;
  /** Where to reset to when there is no committed offset (or -1/-2 asked by seek). */
  resetTo: number | undefined;
}

/** No offset and auto.offset.reset=none (Java's NoOffsetForPartitionException). */
export class NoOffsetError extends Error {
  override name = "NoOffsetForPartitionException";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The consumer.
 *
 * @example
 * ```ts ignore
 * const c = new Consumer(new KafkaClient("127.0.0.1:9092", "consumer-g-1"), { ...CONSUMER_DEFAULTS, groupId: "g" });
 * c.subscribe(["t"]);
 * const records = await c.poll(1000);
 * await c.close();
 * ```
 */
export class Consumer {
  private readonly assigned = new Map<string, PartitionState>();
  private readonly leaders = new Map<string, number>();
  private subscription: string[] | undefined;
  private pattern: { matches: (topic: string) => boolean; excludeInternal: boolean } | undefined;
  private nextPatternCheck = 0;
  readonly member: GroupMember | undefined;
  private nextAutoCommit = 0;

  constructor(readonly client: KafkaClient, readonly options: ConsumerOptions) {
    if (options.groupId !== undefined) {
      this.member = new GroupMember(client, { groupId: options.groupId, ...options.group });
    }
  }

  /** Join the group for `topics` (at the next poll). */
  subscribe(topics: string[]): void {
    if (!this.member) throw new Error("subscribe needs a group.id");
    this.subscription = topics;
  }

  /**
   * Join the group for every topic whose name `matches` (KafkaConsumer.subscribe(Pattern)): the
   * topics are listed at the next poll and again every metadata.max.age.ms, and a change of
   * the matching set rejoins the group. Internal topics count only with `excludeInternal`
   * false (exclude.internal.topics).
   */
  subscribePattern(matches: (topic: string) => boolean, excludeInternal = true): void {
    if (!this.member) throw new Error("subscribe needs a group.id");
    this.pattern = { matches, excludeInternal };
    this.subscription = [];
    this.nextPatternCheck = 0;
  }

  /** A pattern subscription's topics, listed again when due; rejoin when they changed. */
  private async checkPattern(): Promise<void> {
    const pattern = this.pattern;
    if (!pattern || !this.member || Date.now() < this.nextPatternCheck) return;
    this.nextPatternCheck = Date.now() + (this.options.metadataMaxAgeMs ?? 300000);
    const md = await this.client.metadata(null);
    const topics = md.topics
      .filter((t) => !(t.isInternal && pattern.excludeInternal) && pattern.matches(t.name))
      .map((t) => t.name)
      .sort();
    const before = this.subscription ?? [];
    if (topics.length !== before.length || topics.some((t, i) => t !== before[i])) {
      this.subscription = topics;
      this.member.needsRejoin = true;
    }
  }

  /** Read these partitions, without a group's assignment. */
  assign(partitions: { topic: string; partition: number }[]): void {
    this.assigned.clear();
    for (const p of partitions) {
      this.assigned.set(tpKey(p.topic, p.partition), {
        ...p,
        position: undefined,
        resetTo: undefined,
      });
    }
  }

  /** Start `partition` at `offset` (or EARLIEST_TIMESTAMP / LATEST_TIMESTAMP). */
  seek(topic: string, partition: number, offset: number): void {
    const s = this.assigned.get(tpKey(topic, partition));
    if (!s) throw new Error(`No current assignment for partition ${topic}-${partition}`);
    if (offset < 0) {
      s.position = undefined;
      s.resetTo = offset;
    } else s.position = offset;
  }

  /** The partitions currently assigned. */
  assignment(): { topic: string; partition: number }[] {
    return [...this.assigned.values()].map((s) => ({ topic: s.topic, partition: s.partition }));
  }

  /** Records fetched within `timeoutMs` (none if nothing came). */
  async poll(timeoutMs: number): Promise<ConsumerRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.checkPattern();
      if (this.member && this.subscription && this.member.needsRejoin) {
        if (this.options.enableAutoCommit && this.member.generationId >= 0) {
          await this.commitSync().catch(() => {});
        }
        const parts = await this.member.join(this.subscription);
        const keep = new Map(this.assigned);
        this.assigned.clear();
        for (const tp of parts) {
          for (const p of tp.partitions) {
            const k = tpKey(tp.topic, p);
            this.assigned.set(
              k,
              keep.get(k) ?? {
                topic: tp.topic,
                partition: p,
                position: undefined,
                resetTo: undefined,
              },
            );
          }
        }
        this.nextAutoCommit = Date.now() + this.options.autoCommitIntervalMs;
      }
      await this.updatePositions();
      await this.maybeAutoCommit();
      const left = deadline - Date.now();
      const records = await this.fetchOnce(
        Math.max(0, Math.min(left, this.options.fetchMaxWaitMs)),
      );
      if (records.length > 0 || Date.now() >= deadline) return records;
      if (this.assigned.size === 0) await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
    }
  }

  /** Commits every assigned partition's position (the group's, synchronously). */
  async commitSync(): Promise<void> {
    if (!this.member) return;
    const offsets = new Map<string, Map<number, number>>();
    for (const s of this.assigned.values()) {
      if (s.position === undefined) continue;
      const m = offsets.get(s.topic) ?? new Map<number, number>();
      m.set(s.partition, s.position);
      offsets.set(s.topic, m);
    }
    await this.member.commit(offsets);
  }

  private async maybeAutoCommit(): Promise<void> {
    if (!this.member || !this.options.enableAutoCommit || Date.now() < this.nextAutoCommit) return;
    this.nextAutoCommit = Date.now() + this.options.autoCommitIntervalMs;
    await this.commitSync().catch(() => {});
  }

  /** Commits (with auto commit on) and leaves the group, then closes the connections. */
  async close(): Promise<void> {
    try {
      if (this.member) {
        if (this.options.enableAutoCommit && this.member.generationId >= 0) {
          await this.commitSync().catch(() => {});
        }
        await this.member.leave();
      }
    } finally {
      await this.client.close();
    }
  }

  private async refreshLeaders(): Promise<void> {
    const topics = [...new Set([...this.assigned.values()].map((s) => s.topic))];
    if (topics.length === 0) return;
    const md = await this.client.metadata(topics);
    for (const t of md.topics) {
      for (const p of t.partitions) this.leaders.set(tpKey(t.name, p.partitionIndex), p.leaderId);
    }
  }

  private async leaderOf(s: PartitionState): Promise<number> {
    let id = this.leaders.get(tpKey(s.topic, s.partition));
    if (id === undefined || id < 0) {
      await this.refreshLeaders();
      id = this.leaders.get(tpKey(s.topic, s.partition)) ?? -1;
    }
    return id;
  }

  /** Committed offsets first (with a group), then the reset policy, for partitions without one. */
  private async updatePositions(): Promise<void> {
    const missing = [...this.assigned.values()].filter((s) => s.position === undefined);
    if (missing.length === 0) return;
    if (this.member && this.options.groupId !== undefined) {
      const need = missing.filter((s) => s.resetTo === undefined);
      if (need.length > 0) {
        const byTopic = new Map<string, number[]>();
        for (const s of need) byTopic.set(s.topic, [...(byTopic.get(s.topic) ?? []), s.partition]);
        const committed = await this.member.fetchOffsets(
          [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
        );
        for (const s of need) {
          const c = committed.get(tpKey(s.topic, s.partition));
          if (c && c.offset >= 0) s.position = c.offset;
        }
      }
    }
    for (const s of missing) {
      if (s.position !== undefined) continue;
      const policy = s.resetTo ?? this.policyTimestamp(s);
      s.position = await this.listOffset(s, policy);
      s.resetTo = undefined;
    }
  }

  private policyTimestamp(s: PartitionState): number {
    if (this.options.autoOffsetReset === "none") {
      throw new NoOffsetError(
        `Undefined offset with no reset policy for partitions: [${s.topic}-${s.partition}]`,
      );
    }
    return this.options.autoOffsetReset === "earliest" ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
  }

  /** The offset ListOffsets gives for `timestamp` on `s`'s leader, retrying what Java retries. */
  async listOffset(s: { topic: string; partition: number }, timestamp: number): Promise<number> {
    for (let attempt = 0;; attempt++) {
      const state = this.assigned.get(tpKey(s.topic, s.partition)) ??
        { ...s, position: undefined, resetTo: undefined };
      const leader = await this.leaderOf(state);
      if (leader >= 0) {
        const c = await this.client.broker(leader);
        const r = await c.send<ListOffsetsResponse>(LIST_OFFSETS, {
          replicaId: -1,
          isolationLevel: this.options.isolationLevel,
          topics: [{
            name: s.topic,
            partitions: [{
              partitionIndex: s.partition,
              currentLeaderEpoch: -1,
              timestamp,
              maxNumOffsets: 1,
            }],
          }],
        });
        const p = r.topics[0]?.partitions[0];
        const code = p?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
        if (code === ErrorCode.NONE) return p!.offset ?? p!.oldStyleOffsets?.[0] ?? -1;
        if (!isRetriable(code) && code !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || attempt > 50) {
          throw new Error(`ListOffsets for ${s.topic}-${s.partition} failed with error ${code}`);
        }
      }
      this.leaders.delete(tpKey(s.topic, s.partition));
      await sleep(this.options.group.retryBackoffMs);
    }
  }

  /** One fetch from every leader of assigned partitions, in parallel. */
  private async fetchOnce(maxWaitMs: number): Promise<ConsumerRecord[]> {
    const byLeader = new Map<number, PartitionState[]>();
    for (const s of this.assigned.values()) {
      if (s.position === undefined) continue;
      const l = await this.leaderOf(s);
      if (l < 0) continue;
      byLeader.set(l, [...(byLeader.get(l) ?? []), s]);
    }
    if (byLeader.size === 0) return [];
    const answers = await Promise.all(
      [...byLeader].map(([leader, parts]) => this.fetchFrom(leader, parts, maxWaitMs)),
    );
    return answers.flat();
  }

  private async fetchFrom(
    leader: number,
    parts: PartitionState[],
    maxWaitMs: number,
  ): Promise<ConsumerRecord[]> {
    const o = this.options;
    const byTopic = new Map<string, PartitionState[]>();
    for (const s of parts) byTopic.set(s.topic, [...(byTopic.get(s.topic) ?? []), s]);
    let r: FetchResponse;
    try {
      const c = await this.client.broker(leader);
      r = await c.send<FetchResponse>(FETCH, {
        replicaId: -1,
        maxWaitMs,
        minBytes: o.fetchMinBytes,
        maxBytes: o.fetchMaxBytes,
        isolationLevel: o.isolationLevel,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [...byTopic].map(([topic, ps]) => ({
          topic,
          partitions: ps.map((s) => ({
            partition: s.partition,
            currentLeaderEpoch: -1,
            fetchOffset: s.position!,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes: o.maxPartitionFetchBytes,
          })),
        })),
        forgottenTopicsData: [],
        rackId: "",
      });
    } catch {
      for (const s of parts) this.leaders.delete(tpKey(s.topic, s.partition));
      await sleep(o.group.retryBackoffMs);
      return [];
    }
    const out: ConsumerRecord[] = [];
    for (const t of r.responses) {
      for (const p of t.partitions) {
        const s = this.assigned.get(tpKey(t.topic, p.partitionIndex));
        if (!s || s.position === undefined) continue;
        if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          s.position = undefined;
          s.resetTo = this.policyTimestamp(s);
          continue;
        }
        if (p.errorCode !== ErrorCode.NONE) {
          this.leaders.delete(tpKey(s.topic, s.partition));
          continue;
        }
        this.decode(s, p, out);
      }
    }
    return out;
  }

  /** Appends the partition's records from its position on, and moves the position past them. */
  private decode(s: PartitionState, p: PartitionData, out: ConsumerRecord[]): void {
    const bytes = p.records;
    if (!bytes || bytes.length === 0) return;
    const readCommitted = this.options.isolationLevel === 1;
    const aborted = [...(p.abortedTransactions ?? [])].sort((a, b) =>
      a.firstOffset - b.firstOffset
    );
    const abortedPids = new Set<number>();
    for (const e of scanEntries(bytes).entries) {
      if (e.magic < 2) {
        for (const m of legacyDeepMessages(bytes, e.position)) {
          if (m.offset < s.position!) continue;
          out.push({
            topic: s.topic,
            partition: s.partition,
            offset: m.offset,
            timestamp: m.timestamp,
            timestampType: m.timestampType,
            key: m.key,
            value: m.value,
            headers: [],
          });
          s.position = m.offset + 1;
        }
        continue;
      }
      const batch = new RecordBatch(bytes.subarray(e.position, e.position + e.sizeInBytes));
      const h = batch.header;
      const last = lastOffset(h);
      if (last < s.position!) continue;
      if (readCommitted) {
        while (aborted.length > 0 && aborted[0].firstOffset <= last) {
          abortedPids.add(aborted.shift()!.producerId);
        }
      }
      if (isControl(h)) {
        if (readCommitted) {
          const rec = batch.records()[0];
          if (rec && readControlKey(rec.key) === "ABORT") abortedPids.delete(h.producerId);
        }
        s.position = last + 1;
        continue;
      }
      if (readCommitted && isTransactional(h) && abortedPids.has(h.producerId)) {
        s.position = last + 1;
        continue;
      }
      const type = timestampTypeOf(h.attributes);
      for (const rec of batch.records()) {
        if (rec.offset < s.position!) continue;
        out.push({
          topic: s.topic,
          partition: s.partition,
          offset: rec.offset,
          timestamp: rec.timestamp,
          timestampType: type,
          key: rec.key,
          value: rec.value,
          headers: rec.headers,
        });
      }
      s.position = last + 1;
    }
  }
}
