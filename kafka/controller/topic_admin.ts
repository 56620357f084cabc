/**
 * Topic administration as Apache Kafka 2.8.2's broker does it for CreateTopics, DeleteTopics and
 * CreatePartitions (KafkaApis + ZkAdminManager + AdminZkClient): the same checks in the same
 * order with the same error codes and messages (recorded from Apache 2.8.2 on this machine, see
 * README.md), the same ZooKeeper writes, and the same wait: a request answers once the controller
 * has given every new partition a leader (or the topics are gone), or with REQUEST_TIMED_OUT after
 * its timeout_ms (at once when that is 0, the writes made all the same).
 *
 * @module
 */
import type { BrokerState } from "../server/broker_state.ts";
import { ZERO_UUID } from "../protocol/uuid.ts";
import { resolveApiVersion } from "../config/broker_config_defs.ts";
import { TopicConfigError, validateTopicConfig } from "../config/topic_config.ts";
import { AdminError, type ApiResult, ErrorCode, OK, resultOf } from "./admin_errors.ts";
import { AdminZk } from "./admin_zk.ts";
import type { TopicAdminSettings } from "./admin_settings.ts";
import type { KafkaController } from "./controller.ts";
import {
  AssignmentError,
  assignReplicas,
  startIndexForAddedPartitions,
} from "./replica_assignment.ts";
import { topicConfigEntries, type TopicConfigEntry } from "./topic_config_entries.ts";
import { collidingTopics, topicNameProblem } from "./topic_name.ts";
import { newClusterId } from "./zk_bootstrap.ts";

/** A topic to create, as CreateTopics carries it (-1: the broker's default). */
export interface CreateTopicSpec {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments: readonly { partitionIndex: number; brokerIds: readonly number[] }[];
  readonly configs: readonly { name: string; value: string | null }[];
}

/** What became of one topic of a CreateTopics. */
export interface CreateTopicOutcome {
  readonly name: string;
  readonly result: ApiResult;
  /** ZERO_UUID unless the topic was created. */
  readonly topicId: string;
  /** -1 unless the topic was (or would be) created. */
  readonly numPartitions: number;
  readonly replicationFactor: number;
  /** Its configs (v5+), empty unless the topic was (or would be) created. */
  readonly configs: TopicConfigEntry[];
}

/** How a request runs. */
export interface AdminRequestOptions {
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

/** A topic to delete: by name (topicId ZERO_UUID), or by id (name null, v6). */
export interface DeleteTopicSpec {
  readonly name: string | null;
  readonly topicId: string;
}

/** What became of one topic of a DeleteTopics. */
export interface DeleteTopicOutcome {
  readonly name: string | null;
  readonly topicId: string;
  readonly result: ApiResult;
}

/** A CreatePartitions entry. */
export interface CreatePartitionsSpec {
  readonly name: string;
  readonly count: number;
  readonly assignments: readonly { brokerIds: readonly number[] }[] | null;
}

/** Extras for tests. */
export interface TopicAdminOptions {
  /** Kafka's two random draws of replica assignment (see replica_assignment.ts). */
  readonly nextInt?: (n: number) => number;
  /** New topic ids (default: random). */
  readonly newTopicId?: () => string;
}

const NONE = (name: string): CreateTopicOutcome => ({
  name,
  result: OK,
  topicId: ZERO_UUID,
  numPartitions: -1,
  replicationFactor: -1,
  configs: [],
});

const failed = (name: string, result: ApiResult): CreateTopicOutcome => ({ ...NONE(name), result });

const TIMED_OUT: ApiResult = { code: ErrorCode.REQUEST_TIMED_OUT, message: null };

/** The broker's topic administration, over the controller's session and view. */
export class TopicAdmin {
  constructor(
    private readonly controller: KafkaController,
    private readonly state: BrokerState,
    readonly settings: TopicAdminSettings,
    private readonly options: TopicAdminOptions = {},
  ) {}

  /** The broker's view this admin reads (topics, live brokers). */
  get controllerState(): BrokerState {
    return this.state;
  }

  #admin(): AdminZk {
    return new AdminZk(this.controller.zk);
  }

  #aliveBrokers(): number[] {
    return this.state.brokers.map((b) => b.id);
  }

  /** True when every partition of `name` has a leader in the broker's view. */
  #hasLeaders(name: string, partitions: number): boolean {
    const t = this.state.topics.get(name);
    return t !== undefined && t.partitions.length >= partitions &&
      t.partitions.every((p) => p.leader >= 0);
  }

  // ---- CreateTopics --------------------------------------------------------------------------------

  /**
   * CreateTopics: results in request order (a name given twice is refused on each entry). With
   * `includeConfigs` (v5+) created or validated topics carry their count, factor and configs.
   */
  async createTopics(
    specs: readonly CreateTopicSpec[],
    opts: AdminRequestOptions,
    includeConfigs = true,
  ): Promise<CreateTopicOutcome[]> {
    if (!this.controller.isActive) {
      return specs.map((s) => failed(s.name, { code: ErrorCode.NOT_CONTROLLER, message: null }));
    }
    const counts = new Map<string, number>();
    for (const s of specs) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
    const out: CreateTopicOutcome[] = [];
    const created: { index: number; partitions: number }[] = [];
    for (const spec of specs) {
      if (counts.get(spec.name)! > 1) {
        out.push(failed(spec.name, {
          code: ErrorCode.INVALID_REQUEST,
          message: "Found multiple entries for this topic.",
        }));
        continue;
      }
      try {
        const outcome = await this.#createOne(spec, opts.validateOnly, includeConfigs);
        if (!opts.validateOnly) created.push({ index: out.length, partitions: outcome.partitions });
        out.push(outcome.outcome);
      } catch (e) {
        out.push(failed(spec.name, resultOf(e)));
      }
    }
    if (created.length === 0) return out;
    // Wait for the controller to give every new partition a leader (DelayedCreatePartitions).
    const done = (c: { index: number; partitions: number }) =>
      this.#hasLeaders(out[c.index].name, c.partitions);
    await this.controller.waitFor(() => created.every(done), opts.timeoutMs);
    for (const c of created) {
      if (opts.timeoutMs > 0 && done(c)) continue;
      out[c.index] = {
        ...NONE(out[c.index].name),
        topicId: out[c.index].topicId,
        result: TIMED_OUT,
      };
    }
    return out;
  }

  async #createOne(
    spec: CreateTopicSpec,
    validateOnly: boolean,
    includeConfigs: boolean,
  ): Promise<{ outcome: CreateTopicOutcome; partitions: number }> {
    const { name } = spec;
    if (this.state.topics.has(name)) {
      throw new AdminError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    }
    const nulls = spec.configs.filter((c) => c.value === null).map((c) => c.name);
    if (nulls.length > 0) {
      throw new AdminError(
        ErrorCode.INVALID_REQUEST,
        `Null value not supported for topic configs : ${nulls.join(",")}`,
      );
    }
    if (
      (spec.numPartitions !== -1 || spec.replicationFactor !== -1) && spec.assignments.length > 0
    ) {
      throw new AdminError(
        ErrorCode.INVALID_REQUEST,
        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.",
      );
    }
    const assignment = spec.assignments.length > 0
      ? new Map(spec.assignments.map((a) => [a.partitionIndex, [...a.brokerIds]]))
      : this.#assign(
        spec.numPartitions === -1 ? this.settings.numPartitions : spec.numPartitions,
        spec.replicationFactor === -1
          ? this.settings.defaultReplicationFactor
          : spec.replicationFactor,
      );
    const config = new Map(spec.configs.map((c) => [c.name, c.value!]));
    await this.#validateCreate(name, assignment, config);
    const first = assignment.get(0) ?? assignment.values().next().value ?? [];
    const outcome: CreateTopicOutcome = {
      ...NONE(name),
      numPartitions: includeConfigs ? assignment.size : -1,
      replicationFactor: includeConfigs ? first.length : -1,
      configs: includeConfigs
        ? topicConfigEntries(config, this.settings.topicDefaults, this.settings.explicitBrokerKeys)
        : [],
    };
    if (validateOnly) return { outcome, partitions: assignment.size };
    const topicId = (this.options.newTopicId ?? newClusterId)();
    await this.#admin().createTopic(name, config, assignment, topicId);
    return { outcome: { ...outcome, topicId }, partitions: assignment.size };
  }

  /** AdminUtils.assignReplicasToBrokers over the live brokers, its errors as Kafka's codes. */
  #assign(partitions: number, replicationFactor: number, opts = {}): Map<number, number[]> {
    try {
      return assignReplicas(this.#aliveBrokers(), partitions, replicationFactor, {
        nextInt: this.options.nextInt,
        ...opts,
      });
    } catch (e) {
      if (!(e instanceof AssignmentError)) throw e;
      const code = e.message.startsWith("Number of partitions")
        ? ErrorCode.INVALID_PARTITIONS
        : ErrorCode.INVALID_REPLICATION_FACTOR;
      throw new AdminError(code, e.message);
    }
  }

  /** AdminZkClient.validateTopicCreate, in its order. */
  async #validateCreate(
    name: string,
    assignment: Map<number, number[]>,
    config: ReadonlyMap<string, string>,
  ): Promise<void> {
    const bad = topicNameProblem(name);
    if (bad !== null) throw new AdminError(ErrorCode.INVALID_TOPIC_EXCEPTION, bad);
    const admin = this.#admin();
    if (await admin.isMarkedForDeletion(name)) {
      throw new AdminError(
        ErrorCode.TOPIC_ALREADY_EXISTS,
        `Topic '${name}' is marked for deletion.`,
      );
    }
    if (await admin.topicExists(name)) {
      throw new AdminError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    }
    const colliding = collidingTopics(name, name.match(/[._]/) ? await admin.allTopics() : []);
    if (colliding.length > 0) {
      throw new AdminError(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `Topic '${name}' collides with existing topics: ${colliding.join(", ")}`,
      );
    }
    const invalid = (m: string) => new AdminError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, m);
    if (new Set([...assignment.values()].map((r) => r.length)).size > 1) {
      throw invalid("All partitions should have the same number of replicas");
    }
    for (const replicas of assignment.values()) {
      if (new Set(replicas).size !== replicas.length) {
        const body = [...assignment].map(([p, r]) => `${p} -> ArrayBuffer(${r.join(", ")})`);
        throw invalid(`Duplicate replica assignment found: Map(${body.join(", ")})`);
      }
    }
    const n = assignment.size;
    const sum = [...assignment.keys()].filter((p) => p >= 0).reduce((a, b) => a + b, 0);
    if (sum !== (n * (n - 1)) / 2) {
      throw invalid("partitions should be a consecutive 0-based integer sequence");
    }
    for (const [k, v] of config) validateConfig(k, v);
  }

  // ---- DeleteTopics --------------------------------------------------------------------------------

  /** DeleteTopics: marks the topics for deletion, then waits for the controller to remove them. */
  async deleteTopics(
    specs: readonly DeleteTopicSpec[],
    timeoutMs: number,
    apiVersion: number,
  ): Promise<DeleteTopicOutcome[]> {
    const all = (result: ApiResult) => specs.map((s) => ({ ...s, result }));
    if (!this.controller.isActive) return all({ code: ErrorCode.NOT_CONTROLLER, message: null });
    if (!this.settings.deleteTopicEnable) {
      const code = apiVersion < 3 ? ErrorCode.INVALID_REQUEST : ErrorCode.TOPIC_DELETION_DISABLED;
      return all({ code, message: null });
    }
    const out: DeleteTopicOutcome[] = [];
    const marked: { index: number; name: string }[] = [];
    for (const s of specs) {
      const fail = (code: number) => out.push({ ...s, result: { code, message: null } });
      if (s.name !== null && s.topicId !== ZERO_UUID) {
        fail(ErrorCode.INVALID_REQUEST);
        continue;
      }
      let name = s.name;
      if (name === null) {
        name = [...this.state.topics.values()].find((t) => t.topicId === s.topicId)?.name ?? null;
        if (name === null || s.topicId === ZERO_UUID) {
          fail(ErrorCode.UNKNOWN_TOPIC_ID);
          continue;
        }
      } else if (!this.state.topics.has(name)) {
        fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        continue;
      }
      try {
        await this.#admin().markForDeletion(name);
        marked.push({ index: out.length, name });
        out.push({ name, topicId: s.topicId, result: OK });
      } catch (e) {
        out.push({ ...s, result: resultOf(e) });
      }
    }
    if (marked.length === 0) return out;
    const gone = (name: string) => !this.state.topics.has(name);
    await this.controller.waitFor(() => marked.every((m) => gone(m.name)), timeoutMs);
    for (const m of marked) {
      if (timeoutMs <= 0 || !gone(m.name)) out[m.index] = { ...out[m.index], result: TIMED_OUT };
    }
    return out;
  }

  // ---- CreatePartitions ----------------------------------------------------------------------------

  /** CreatePartitions: one result per distinct topic, in request order. */
  async createPartitions(
    specs: readonly CreatePartitionsSpec[],
    opts: AdminRequestOptions,
  ): Promise<{ name: string; result: ApiResult }[]> {
    const counts = new Map<string, number>();
    for (const s of specs) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
    const out: { name: string; result: ApiResult }[] = [];
    const grown: { index: number; partitions: number }[] = [];
    const seen = new Set<string>();
    for (const spec of specs) {
      if (seen.has(spec.name)) continue;
      seen.add(spec.name);
      const push = (result: ApiResult) => out.push({ name: spec.name, result });
      if (!this.controller.isActive) {
        push({ code: ErrorCode.NOT_CONTROLLER, message: null });
      } else if (counts.get(spec.name)! > 1) {
        push({ code: ErrorCode.INVALID_REQUEST, message: "Duplicate topic in request." });
      } else if (this.controller.isQueuedForDeletion(spec.name)) {
        push({
          code: ErrorCode.INVALID_TOPIC_EXCEPTION,
          message: "The topic is queued for deletion.",
        });
      } else {
        try {
          const partitions = await this.#addPartitions(spec, opts.validateOnly);
          if (!opts.validateOnly) grown.push({ index: out.length, partitions });
          push(OK);
        } catch (e) {
          push(resultOf(e));
        }
      }
    }
    if (grown.length === 0) return out;
    const done = (g: { index: number; partitions: number }) =>
      this.#hasLeaders(out[g.index].name, g.partitions);
    await this.controller.waitFor(() => grown.every(done), opts.timeoutMs);
    for (const g of grown) {
      if (opts.timeoutMs <= 0 || !done(g)) out[g.index] = { ...out[g.index], result: TIMED_OUT };
    }
    return out;
  }

  /** ZkAdminManager.createPartitions for one topic: the new partition count. */
  async #addPartitions(spec: CreatePartitionsSpec, validateOnly: boolean): Promise<number> {
    const admin = this.#admin();
    const existing = await admin.readTopic(spec.name);
    if (existing === null || existing.partitions.size === 0) {
      throw new AdminError(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `The topic '${spec.name}' does not exist.`,
      );
    }
    const old = existing.partitions.size;
    const increment = spec.count - old;
    if (increment < 0) {
      throw new AdminError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${old} partitions, which is higher than the requested ${spec.count}.`,
      );
    }
    if (increment === 0) {
      throw new AdminError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${old} partitions.`);
    }
    const alive = this.#aliveBrokers();
    const p0 = existing.partitions.get(0) ?? [];
    const invalid = (m: string) => new AdminError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, m);
    let added: Map<number, number[]>;
    if (spec.assignments !== null) {
      const given = spec.assignments.map((a) => [...a.brokerIds]);
      const unknown = [...new Set(given.flat())].filter((b) => !alive.includes(b));
      if (unknown.length > 0) {
        throw invalid(`Unknown broker(s) in replica assignment: ${unknown.join(", ")}.`);
      }
      if (given.length !== increment) {
        throw invalid(
          `Increasing the number of partitions by ${increment} but ${given.length} assignments provided.`,
        );
      }
      added = new Map(given.map((r, i) => [old + i, r]));
      validateAddedAssignment(added, p0.length);
    } else {
      added = this.#assign(increment, p0.length, {
        fixedStartIndex: startIndexForAddedPartitions(alive, p0[0]),
        startPartitionId: old,
      });
    }
    if (!validateOnly) {
      const partitions = new Map([...existing.partitions, ...added]);
      await admin.writeAssignment(spec.name, { ...existing, partitions });
    }
    return spec.count;
  }
}

/** LogConfig.validate for one override, as INVALID_CONFIG with Kafka's message. */
function validateConfig(name: string, value: string): void {
  try {
    validateTopicConfig(name, value);
  } catch (e) {
    if (e instanceof TopicConfigError) throw new AdminError(ErrorCode.INVALID_CONFIG, e.message);
    throw e;
  }
  if (name === "message.format.version" && resolveApiVersion(value.trim()) === undefined) {
    throw new AdminError(
      ErrorCode.INVALID_CONFIG,
      `Invalid value ${value} for configuration ${name}: Version \`${value}\` is not a valid version`,
    );
  }
}

/** AdminZkClient.validateReplicaAssignment for the new partitions of CreatePartitions. */
function validateAddedAssignment(added: Map<number, number[]>, replicationFactor: number): void {
  const invalid = (m: string) => new AdminError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, m);
  for (const [p, replicas] of added) {
    if (replicas.length === 0) {
      throw invalid(`Cannot have replication factor of 0 for partition id ${p}.`);
    }
    if (new Set(replicas).size !== replicas.length) {
      throw invalid(
        `Duplicate brokers not allowed in replica assignment: ${
          replicas.join(", ")
        } for partition id ${p}.`,
      );
    }
  }
  const bad = [...added].filter(([, r]) => r.length !== replicationFactor);
  if (bad.length > 0) {
    throw invalid(
      `Inconsistent replication factor between partitions, partition 0 has ${replicationFactor} while partitions [${
        bad.map(([p]) => p).join(", ")
      }] have replication factors [${bad.map(([, r]) => r.length).join(", ")}], respectively.`,
    );
  }
}
