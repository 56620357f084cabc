/**
 * The ZooKeeper side of topic administration as Kafka 2.8.2's AdminZkClient does it on a broker
 * (zk-layout.md §2.3-§2.6): a new topic writes `/config/topics/<t>` first (setData, falling back
 * to createRecursive) and then `/brokers/topics/<t>` with createRecursive; adding partitions
 * rewrites the topic znode at version -1 keeping its topic id; deleting creates
 * `/admin/delete_topics/<t>`. These writes are not fenced: tools make them too, and the controller
 * does the rest when its watches fire.
 *
 * @module
 */
import type { ZkClient } from "../../zk/client/mod.ts";
import { AdminError, ErrorCode } from "./admin_errors.ts";
import { isZkCode, ZkCode } from "./fenced_zk.ts";
import { KafkaZkBootstrap } from "./zk_bootstrap.ts";
import {
  decodeEntityConfig,
  decodeTopic,
  encodeEntityConfig,
  encodeTopic,
  type TopicAssignment,
} from "./znodes.ts";

const encoder = new TextEncoder();

/** AdminZkClient's reads and writes, over one ZooKeeper session. */
export class AdminZk {
  readonly #boot: KafkaZkBootstrap;

  constructor(readonly zk: ZkClient) {
    this.#boot = new KafkaZkBootstrap(zk);
  }

  /** Every topic with a `/brokers/topics` znode. */
  allTopics(): Promise<string[]> {
    return this.zk.getChildren("/brokers/topics").catch((e) => {
      if (isZkCode(e, ZkCode.NONODE)) return [];
      throw e;
    });
  }

  async topicExists(topic: string): Promise<boolean> {
    return (await this.zk.exists(`/brokers/topics/${topic}`)) !== null;
  }

  async isMarkedForDeletion(topic: string): Promise<boolean> {
    return (await this.zk.exists(`/admin/delete_topics/${topic}`)) !== null;
  }

  /** The topic's assignment and topic id, or null when it does not exist. */
  async readTopic(topic: string): Promise<TopicAssignment | null> {
    const path = `/brokers/topics/${topic}`;
    try {
      return decodeTopic(path, (await this.zk.getData(path)).data ?? "{}");
    } catch (e) {
      if (isZkCode(e, ZkCode.NONODE)) return null;
      throw e;
    }
  }

  /** `/config/topics/<t>`'s map (empty when the znode is missing). */
  async topicConfig(topic: string): Promise<Map<string, string>> {
    const path = `/config/topics/${topic}`;
    try {
      const { data } = await this.zk.getData(path);
      return data === null ? new Map() : decodeEntityConfig(path, data);
    } catch (e) {
      if (isZkCode(e, ZkCode.NONODE)) return new Map();
      throw e;
    }
  }

  /**
   * KafkaZkClient.setOrCreateEntityConfigs for a topic: setData at version -1; on NONODE
   * createRecursive; on NODEEXISTS (a racing create) setData again.
   */
  async writeTopicConfig(topic: string, config: ReadonlyMap<string, string>): Promise<void> {
    const path = `/config/topics/${topic}`;
    const json = encodeEntityConfig(config);
    try {
      await this.zk.setData(path, encoder.encode(json), -1);
      return;
    } catch (e) {
      if (!isZkCode(e, ZkCode.NONODE)) throw e;
    }
    try {
      await this.#boot.createRecursive(path, json, false);
    } catch (e) {
      if (!isZkCode(e, ZkCode.NODEEXISTS)) throw e;
      await this.zk.setData(path, encoder.encode(json), -1);
    }
  }

  /**
   * AdminZkClient.createTopicWithAssignment's writes: the config znode, then the topic znode
   * (with the topic id when given, as a broker at IBP 2.8 writes it). An existing topic znode is
   * TOPIC_ALREADY_EXISTS.
   */
  async createTopic(
    topic: string,
    config: ReadonlyMap<string, string>,
    partitions: Map<number, number[]>,
    topicId?: string,
  ): Promise<void> {
    await this.writeTopicConfig(topic, config);
    const json = encodeTopic({ partitions, ...(topicId === undefined ? {} : { topicId }) });
    try {
      await this.#boot.createRecursive(`/brokers/topics/${topic}`, json, false);
    } catch (e) {
      if (isZkCode(e, ZkCode.NODEEXISTS)) {
        throw new AdminError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic}' already exists.`);
      }
      throw e;
    }
  }

  /** Adding partitions: the whole assignment written back at version -1, topic id kept. */
  async writeAssignment(topic: string, assignment: TopicAssignment): Promise<void> {
    await this.zk.setData(`/brokers/topics/${topic}`, encoder.encode(encodeTopic(assignment)), -1);
  }

  /** `/admin/delete_topics/<t>` (null data); an existing one is fine (already marked). */
  async markForDeletion(topic: string): Promise<void> {
    await this.#boot.createRecursive(`/admin/delete_topics/${topic}`, null, true);
  }
}
