/**
 * Test helpers: herd's ZooKeeper in-process on a free port, a LocalReplicas that records what it
 * is told, a broker registration, and a controller with its session on that ZooKeeper.
 *
 * @module
 */
import { Logger } from "../../internal/mod.ts";
import { kafkaLayout } from "../../internal/log.ts";
import { ZkServer } from "../../zk/server/server.ts";
import type { ZkClient } from "../../zk/client/mod.ts";
import { staticBrokerState } from "../server/broker_state.ts";
import type { BrokerState } from "../server/broker_state.ts";
import { KafkaController, type LeaderPartition, type LocalReplicas } from "./controller.ts";
import { KafkaZkSession } from "./zk_session.ts";
import type { BrokerRegistration } from "./znodes.ts";

/** Runs `body` against a fresh in-process ZooKeeper. */
export async function withZk(body: (connect: string) => Promise<void>): Promise<void> {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  try {
    await body(`127.0.0.1:${server.port}`);
  } finally {
    await server.stop();
  }
}

/** A LocalReplicas that records calls. */
export class RecordingReplicas implements LocalReplicas {
  readonly led: LeaderPartition[] = [];
  readonly deleted: { topic: string; partition: number }[] = [];
  becomeLeader(parts: LeaderPartition[]): Promise<void> {
    this.led.push(...parts);
    return Promise.resolve();
  }
  deletePartitions(parts: { topic: string; partition: number }[]): Promise<void> {
    this.deleted.push(...parts);
    return Promise.resolve();
  }
}

/** broker `id`'s registration on 127.0.0.1:`port`. */
export function registration(port: number): BrokerRegistration {
  return {
    endpoints: [`PLAINTEXT://127.0.0.1:${port}`],
    securityProtocolMap: [["PLAINTEXT", "PLAINTEXT"]],
    jmxPort: -1,
    timestamp: 1765000000000,
  };
}

/** A started broker's ZooKeeper side: its state, controller, session and recorded replicas. */
export interface TestBroker {
  state: BrokerState;
  controller: KafkaController;
  session: KafkaZkSession;
  replicas: RecordingReplicas;
  log: string[];
  zk: ZkClient;
}

/** Starts broker `id`'s session and controller on `connect`. */
export async function startBroker(
  connect: string,
  id = 1,
  opts: { deleteTopicEnable?: boolean; port?: number; state?: BrokerState } = {},
): Promise<TestBroker> {
  const state = opts.state ?? staticBrokerState({ brokerId: id, host: "127.0.0.1", port: 0 });
  state.brokers = [];
  state.controllerId = -1;
  state.clusterId = null;
  const replicas = new RecordingReplicas();
  const log: string[] = [];
  const logger = new Logger("", "INFO", (line) => log.push(line), kafkaLayout);
  const controller = new KafkaController({
    brokerId: id,
    state,
    local: replicas,
    deleteTopicEnable: opts.deleteTopicEnable,
    log: logger,
  });
  const session = await KafkaZkSession.start({
    connect,
    brokerId: id,
    registration: () => registration(opts.port ?? 9092),
    controller,
    onClusterId: (c) => state.clusterId = c,
    log: logger,
  });
  return { state, controller, session, replicas, log, zk: session.zk };
}

/** Polls `probe` until true (re-checking every 20 ms), failing after `ms`. */
export async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A znode's data as text (null for null data) and its dataVersion. */
export async function znode(zk: ZkClient, path: string): Promise<[string | null, number]> {
  const r = await zk.getData(path);
  return [r.data === null ? null : new TextDecoder().decode(r.data), r.stat.version];
}
