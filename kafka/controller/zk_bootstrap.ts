/**
 * What a Kafka 2.8 broker writes to ZooKeeper as it starts, in its order and with its exact
 * operations (zk-layout.md §2.1, §2.2, §2.10): the persistent top-level paths with null data,
 * the cluster id, the broker's registration (a multi of create-with-null-data and setData, so the
 * znode is at dataVersion 1 and its czxid is the broker epoch), a producer-id block, and the
 * controller election (a multi of the ephemeral /controller and /controller_epoch + 1 at the
 * version read), then /feature. Through zk/client, as any external client would.
 *
 * @module
 */
import { CreateMode, type ZkClient, ZkError, ZkMultiError } from "../../zk/client/mod.ts";
import {
  type BrokerRegistration,
  decodeClusterId,
  decodeController,
  decodeControllerEpoch,
  decodeProducerIdBlock,
  encodeBroker,
  encodeClusterId,
  encodeController,
  encodeProducerIdBlock,
  FEATURE_ZNODE,
  type ProducerIdBlock,
} from "./znodes.ts";

const NONODE = -101;
const NODEEXISTS = -110;
const BADVERSION = -103;
const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s);

/** The persistent paths a 2.8 broker creates at start, in its order (null data). */
export const BROKER_PATHS: readonly string[] = [
  "/consumers",
  "/brokers/ids",
  "/brokers/topics",
  "/config/changes",
  "/admin/delete_topics",
  "/brokers/seqid",
  "/isr_change_notification",
  "/latest_producer_id_block",
  "/log_dir_event_notification",
  "/config/topics",
  "/config/clients",
  "/config/users",
  "/config/brokers",
  "/config/ips",
];

/** Producer ids are handed out in blocks of 1000 (ProducerIdManager). */
export const PRODUCER_ID_BLOCK_SIZE = 1000n;

/** Another live session holds this broker id (Kafka refuses to start). */
export class BrokerIdInUseError extends Error {
  override name = "BrokerIdInUseError";
}

const isCode = (e: unknown, code: number) => e instanceof ZkError && e.code === code;

/** A random cluster id as Kafka makes one: a UUID in url-safe base64 without padding. */
export function newClusterId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // IETF variant
  return btoa(String.fromCharCode(...b)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Kafka's ZooKeeper writes for one broker, over one session. */
export class KafkaZkBootstrap {
  constructor(private readonly zk: ZkClient) {}

  /** createRecursive: parents created top-down with null data, NODEEXISTS tolerated there. */
  async createRecursive(path: string, data: string | null, ignoreExists = true): Promise<void> {
    const create = () => this.zk.create(path, data === null ? null : bytes(data));
    try {
      await create();
      return;
    } catch (e) {
      if (isCode(e, NODEEXISTS) && ignoreExists) return;
      if (!isCode(e, NONODE)) throw e;
    }
    const parts = path.split("/").slice(1, -1);
    for (let i = 1; i <= parts.length; i++) {
      await this.zk.create(`/${parts.slice(0, i).join("/")}`, null).catch((e) => {
        if (!isCode(e, NODEEXISTS)) throw e;
      });
    }
    await create().catch((e) => {
      if (!(isCode(e, NODEEXISTS) && ignoreExists)) throw e;
    });
  }

  /** Step 2: the top-level paths. */
  async ensurePaths(): Promise<void> {
    for (const p of BROKER_PATHS) await this.createRecursive(p, null);
  }

  /** Step 4: the cluster id, made by the first broker to start and read by every other. */
  async clusterId(generate: () => string = newClusterId): Promise<string> {
    try {
      return decodeClusterId("/cluster/id", (await this.zk.getData("/cluster/id")).data!);
    } catch (e) {
      if (!isCode(e, NONODE)) throw e;
    }
    const id = generate();
    try {
      await this.createRecursive("/cluster/id", encodeClusterId(id), false);
      return id;
    } catch (e) {
      if (!isCode(e, NODEEXISTS)) throw e;
      return decodeClusterId("/cluster/id", (await this.zk.getData("/cluster/id")).data!);
    }
  }

  /**
   * Step 10: `/brokers/ids/<id>` as a checked ephemeral; the broker epoch (the znode's czxid).
   * A znode this session already owns is accepted; another live session's is refused.
   */
  async registerBroker(id: number, reg: BrokerRegistration): Promise<number> {
    const path = `/brokers/ids/${id}`;
    try {
      const [, set] = await this.zk.multi([
        { type: "create", path, data: null, mode: CreateMode.EPHEMERAL },
        { type: "setData", path, data: bytes(encodeBroker(reg)), version: 0 },
      ]);
      return set.stat!.czxid;
    } catch (e) {
      if (!(e instanceof ZkMultiError) || e.code !== NODEEXISTS) throw e;
    }
    const { stat } = await this.zk.getData(path);
    if (stat.ephemeralOwner === this.zk.sessionId) return stat.czxid;
    throw new BrokerIdInUseError(
      `Error while creating ephemeral at ${path}, node already exists and owner '${stat.ephemeralOwner}' does not match current session '${this.zk.sessionId}'`,
    );
  }

  /** §2.10: the next block of 1000 producer ids, claimed with a conditional setData. */
  async claimProducerIdBlock(brokerId: number): Promise<ProducerIdBlock> {
    for (;;) {
      const { data, stat } = await this.zk.getData("/latest_producer_id_block");
      const last = data === null || data.length === 0
        ? null
        : decodeProducerIdBlock("/latest_producer_id_block", data);
      const start = last === null ? 0n : last.end + 1n;
      const block = { brokerId, start, end: start + PRODUCER_ID_BLOCK_SIZE - 1n };
      try {
        await this.zk.setData(
          "/latest_producer_id_block",
          bytes(encodeProducerIdBlock(block)),
          stat.version,
        );
        return block;
      } catch (e) {
        if (!isCode(e, BADVERSION)) throw e; // another broker won this block: read again
      }
    }
  }

  /**
   * §2.2: try to become controller. On a win, the new epoch and /controller_epoch's zkVersion
   * (every later controller write is fenced on it); otherwise the controller's id.
   */
  async electController(
    brokerId: number,
    now = Date.now(),
  ): Promise<
    { won: true; epoch: number; epochZkVersion: number } | { won: false; controller: number }
  > {
    const current = await this.controllerId();
    if (current !== null) return { won: false, controller: current };
    let epoch: number;
    let version: number;
    try {
      const r = await this.zk.getData("/controller_epoch");
      epoch = decodeControllerEpoch("/controller_epoch", r.data!);
      version = r.stat.version;
    } catch (e) {
      if (!isCode(e, NONODE)) throw e;
      await this.zk.create("/controller_epoch", bytes("0")).catch((err) => {
        if (!isCode(err, NODEEXISTS)) throw err;
      });
      const r = await this.zk.getData("/controller_epoch");
      epoch = decodeControllerEpoch("/controller_epoch", r.data!);
      version = r.stat.version;
    }
    try {
      const [, set] = await this.zk.multi([
        {
          type: "create",
          path: "/controller",
          data: bytes(encodeController(brokerId, now)),
          mode: CreateMode.EPHEMERAL,
        },
        { type: "setData", path: "/controller_epoch", data: bytes(String(epoch + 1)), version },
      ]);
      return {
        won: true,
        epoch: epoch + 1,
        epochZkVersion: set.stat!.version,
      };
    } catch (e) {
      if (!(e instanceof ZkMultiError) || (e.code !== NODEEXISTS && e.code !== BADVERSION)) {
        throw e;
      }
      return { won: false, controller: (await this.controllerId()) ?? -1 };
    }
  }

  /** The controller's broker id, or null when there is none. */
  async controllerId(): Promise<number | null> {
    try {
      return decodeController("/controller", (await this.zk.getData("/controller")).data!);
    } catch (e) {
      if (isCode(e, NONODE)) return null;
      throw e;
    }
  }

  /** §2.2 step 6: /feature as 2.8's controller creates it, if absent (not fenced). */
  async ensureFeature(): Promise<void> {
    await this.zk.create("/feature", bytes(FEATURE_ZNODE)).catch((e) => {
      if (!isCode(e, NODEEXISTS)) throw e;
    });
  }
}
