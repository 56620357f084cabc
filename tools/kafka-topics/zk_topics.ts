/**
 * kafka-topics.sh's ZooKeeper mode (`--zookeeper`, TopicCommand.ZookeeperTopicService and
 * AdminZkClient in Kafka 2.8): every action is znode reads and writes, exactly the ones Kafka's
 * tool makes (zk-layout.md §2.3-§2.6), so a Kafka broker (Apache's or herd's) picks them up.
 *
 * @module
 */
import { type ZkClient, ZkError } from "../../zk/client/mod.ts";
import {
  AssignmentError,
  assignReplicas,
  decodePartitionState,
  decodeTopic,
  encodeTopic,
  startIndexForAddedPartitions,
} from "../../kafka/controller/mod.ts";
import { TopicConfigError, validateTopicConfig } from "../../kafka/config/mod.ts";
import { javaPropertiesOrder } from "../../internal/java_hash.ts";
import { describeTopics, type TopicView } from "./describe.ts";
import {
  hasCollisionChars,
  INTERNAL_TOPICS,
  topicNameProblem,
  unifyCollisionChars,
} from "./topic_name.ts";

const NONODE = -101;
const NODEEXISTS = -110;
const decoder = new TextDecoder();

/** An error the tool reports as `Error while executing topic command : …`, with Kafka's class. */
export class TopicCommandError extends Error {
  override name = "TopicCommandError";
  constructor(message: string, readonly javaClass: string) {
    super(message);
  }
}

const notFound = (topic: string) =>
  new TopicCommandError(
    `Topic '${topic}' does not exist as expected`,
    "java.lang.IllegalArgumentException",
  );

/** What an action needs from the command line. */
export interface TopicRequest {
  topic?: string;
  partitions?: number;
  replicationFactor?: number;
  configs: string[];
  ifExists: boolean;
  ifNotExists: boolean;
  excludeInternal: boolean;
  topicsWithOverrides: boolean;
  underReplicated: boolean;
  unavailable: boolean;
}

/** One tool run's session on ZooKeeper; `out` receives what the tool prints on stdout. */
export class ZkTopicService {
  constructor(private readonly zk: ZkClient, private readonly out: (text: string) => void) {}

  private async createRecursive(path: string, data: Uint8Array | null): Promise<void> {
    try {
      await this.zk.create(path, data);
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== NONODE) throw e;
      const parts = path.split("/").slice(1, -1);
      for (let i = 1; i <= parts.length; i++) {
        await this.zk.create(`/${parts.slice(0, i).join("/")}`, null).catch((err) => {
          if (!(err instanceof ZkError) || err.code !== NODEEXISTS) throw err;
        });
      }
      await this.zk.create(path, data);
    }
  }

  private async children(path: string): Promise<string[]> {
    try {
      return await this.zk.getChildren(path);
    } catch (e) {
      if (e instanceof ZkError && e.code === NONODE) return [];
      throw e;
    }
  }

  private async data(path: string): Promise<Uint8Array | null | undefined> {
    try {
      return (await this.zk.getData(path)).data;
    } catch (e) {
      if (e instanceof ZkError && e.code === NONODE) return undefined;
      throw e;
    }
  }

  private async brokers(): Promise<number[]> {
    return (await this.children("/brokers/ids")).map(Number).sort((a, b) => a - b);
  }

  private async allTopics(excludeInternal = false): Promise<string[]> {
    const all = (await this.children("/brokers/topics")).sort();
    return excludeInternal ? all.filter((t) => !INTERNAL_TOPICS.includes(t)) : all;
  }

  /** The topics `--topic` (a whole-name Java regex, `,` for `|`) names, or all of them. */
  private async matching(r: TopicRequest): Promise<string[]> {
    const all = await this.allTopics(r.excludeInternal);
    if (r.topic === undefined) return all;
    const re = new RegExp(`^(?:${r.topic.replaceAll(",", "|")})$`);
    return all.filter((t) => re.test(t));
  }

  private async configsOf(topic: string): Promise<Map<string, string>> {
    const d = await this.data(`/config/topics/${topic}`);
    if (!d) return new Map();
    const o = JSON.parse(decoder.decode(d)) as { config?: Record<string, string> };
    return new Map(Object.entries(o.config ?? {}));
  }

  async create(r: TopicRequest): Promise<void> {
    const topic = r.topic!;
    if (hasCollisionChars(topic)) {
      this.out(
        "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n",
      );
    }
    const configs = parseConfigs(r.configs);
    let assignment: Map<number, number[]>;
    try {
      assignment = assignReplicas(await this.brokers(), r.partitions!, r.replicationFactor!);
    } catch (e) {
      if (!(e instanceof AssignmentError)) throw e;
      const cls = e.message.startsWith("Replication")
        ? "InvalidReplicationFactorException"
        : "InvalidPartitionsException";
      throw new TopicCommandError(e.message, `org.apache.kafka.common.errors.${cls}`);
    }
    const bad = topicNameProblem(topic);
    if (bad !== null) {
      throw new TopicCommandError(bad, "org.apache.kafka.common.errors.InvalidTopicException");
    }
    const exists = () =>
      new TopicCommandError(
        `Topic '${topic}' already exists.`,
        "org.apache.kafka.common.errors.TopicExistsException",
      );
    if (await this.zk.exists(`/brokers/topics/${topic}`)) {
      if (r.ifNotExists) return;
      throw exists();
    }
    if (hasCollisionChars(topic)) {
      const collides = (await this.allTopics())
        .filter((t) => unifyCollisionChars(t) === unifyCollisionChars(topic));
      if (collides.length > 0) {
        throw new TopicCommandError(
          `Topic '${topic}' collides with existing topics: ${collides.join(", ")}`,
          "org.apache.kafka.common.errors.InvalidTopicException",
        );
      }
    }
    for (const [k, v] of configs) {
      try {
        validateTopicConfig(k, v);
      } catch (e) {
        if (!(e instanceof TopicConfigError)) throw e;
        const pkg = e.kind === "ConfigException" ? "config" : "errors";
        throw new TopicCommandError(e.message, `org.apache.kafka.common.${pkg}.${e.kind}`);
      }
    }
    // The config znode is written even without --config, as {"version":1,"config":{}}.
    const config = encodeTopicConfig(configs);
    try {
      await this.zk.setData(`/config/topics/${topic}`, config, -1);
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== NONODE) throw e;
      await this.createRecursive(`/config/topics/${topic}`, config);
    }
    try {
      await this.createRecursive(
        `/brokers/topics/${topic}`,
        new TextEncoder().encode(encodeTopic({ partitions: assignment })),
      );
    } catch (e) {
      if (e instanceof ZkError && e.code === NODEEXISTS) {
        if (r.ifNotExists) return;
        throw exists();
      }
      throw e;
    }
    this.out(`Created topic ${topic}.\n`);
  }

  async list(r: TopicRequest): Promise<void> {
    for (const t of await this.matching(r)) {
      const marked = await this.zk.exists(`/admin/delete_topics/${t}`);
      this.out(marked ? `${t} - marked for deletion\n` : `${t}\n`);
    }
  }

  async describe(r: TopicRequest): Promise<void> {
    const topics = await this.matching(r);
    if (r.topic !== undefined && topics.length === 0 && !r.ifExists) throw notFound(r.topic);
    const views: TopicView[] = [];
    for (const name of topics) {
      const d = await this.data(`/brokers/topics/${name}`);
      if (!d) continue;
      const t = decodeTopic(`/brokers/topics/${name}`, d);
      const partitions = [];
      for (const [partition, replicas] of t.partitions) {
        const s = await this.data(`/brokers/topics/${name}/partitions/${partition}/state`);
        const state = s ? decodePartitionState(`…/${partition}/state`, s) : null;
        partitions.push({
          partition,
          replicas,
          leader: state?.leader ?? null,
          isr: state?.isr ?? [],
        });
      }
      // ReplicationFactor comes from the first entry of the decoded map: the znode's first key.
      const first = jsonKeyOrder(decoder.decode(d));
      partitions.sort((a, b) =>
        first.indexOf(String(a.partition)) - first.indexOf(String(b.partition))
      );
      views.push({
        name,
        topicId: t.topicId,
        partitionsInZnodeOrder: partitions,
        configs: await this.configsOf(name),
        markedForDeletion: (await this.zk.exists(`/admin/delete_topics/${name}`)) !== null,
      });
    }
    this.out(describeTopics(views, {
      topicsWithOverrides: r.topicsWithOverrides,
      underReplicated: r.underReplicated,
      unavailable: r.unavailable,
      liveBrokers: new Set(await this.brokers()),
    }));
  }

  async alter(r: TopicRequest): Promise<void> {
    const topics = await this.matching(r);
    if (topics.length === 0) {
      if (r.ifExists) return;
      throw notFound(r.topic!);
    }
    if (r.configs.length > 0) {
      throw new TopicCommandError(
        "herd's kafka-topics does not alter topic configs; use kafka-configs.sh",
        "java.lang.IllegalArgumentException",
      );
    }
    if (r.partitions === undefined) return;
    this.out(
      "WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\n",
    );
    for (const topic of topics) {
      const path = `/brokers/topics/${topic}`;
      const t = decodeTopic(path, (await this.data(path))!);
      const existing = t.partitions.size;
      if (r.partitions <= existing) {
        throw new TopicCommandError(
          `The number of partitions for a topic can only be increased. Topic ${topic} currently has ${existing} partitions, ${r.partitions} would not be an increase.`,
          "org.apache.kafka.common.errors.InvalidPartitionsException",
        );
      }
      const brokers = await this.brokers();
      const rf = t.partitions.get(0)?.length ?? 1;
      const added = assignReplicas(brokers, r.partitions - existing, rf, {
        fixedStartIndex: startIndexForAddedPartitions(brokers, t.partitions.get(0)?.[0]),
        startPartitionId: existing,
      });
      for (const [p, replicas] of added) t.partitions.set(p, replicas);
      await this.zk.setData(path, new TextEncoder().encode(encodeTopic(t)), -1);
      this.out("Adding partitions succeeded!\n");
    }
  }

  async delete(r: TopicRequest): Promise<void> {
    const topics = await this.matching(r);
    if (topics.length === 0) {
      if (r.ifExists) return;
      throw notFound(r.topic!);
    }
    for (const topic of topics) {
      if (INTERNAL_TOPICS.includes(topic)) {
        throw new TopicCommandError(
          `Topic ${topic} is a kafka internal topic and is not allowed to be marked for deletion.`,
          "kafka.admin.AdminOperationException",
        );
      }
      try {
        await this.createRecursive(`/admin/delete_topics/${topic}`, null);
        this.out(
          `Topic ${topic} is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n`,
        );
      } catch (e) {
        if (!(e instanceof ZkError) || e.code !== NODEEXISTS) throw e;
        this.out(`Topic ${topic} is already marked for deletion.\n`);
      }
    }
  }
}

/** `--config k=v` values as Kafka splits them (on `=` with spaces around it). */
export function parseConfigs(raw: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of raw) {
    const parts = c.split(/\s*=\s*/);
    if (parts.length !== 2) {
      throw new TopicCommandError(
        'Invalid topic config: all configs to be added must be in the format "key=val".',
        "java.lang.IllegalArgumentException",
      );
    }
    out.set(parts[0].trim(), parts[1].trim());
  }
  return out;
}

/**
 * `/config/topics/<t>`: `{"version":1,"config":{…}}`, the config a java.util.Properties whose
 * table (a ConcurrentHashMap of 16 buckets on Java 9+) iterates like a HashMap's.
 */
export function encodeTopicConfig(configs: Map<string, string>): Uint8Array {
  const keys = javaPropertiesOrder([...configs.keys()]);
  const body = keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(configs.get(k))}`);
  return new TextEncoder().encode(`{"version":1,"config":{${body.join(",")}}}`);
}

/** The keys of a JSON object's `partitions` member, in the order they are written. */
function jsonKeyOrder(json: string): string[] {
  const m = /"partitions":\{([^}]*)\}/.exec(json);
  return m ? [...m[1].matchAll(/"(\d+)":/g)].map((x) => x[1]) : [];
}
