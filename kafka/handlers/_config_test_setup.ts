/**
 * Test setup for the config handlers: herd's ZooKeeper in process, a broker's config state from
 * a server.properties text, the repository on a zk/client session, and the three handlers, with
 * topic `t` created as CreateTopics creates it (`/config/topics/t` then `/brokers/topics/t`).
 *
 * @module
 */
import { Logger } from "../../internal/mod.ts";
import { kafkaLayout } from "../../internal/log.ts";
import { ZkClient } from "../../zk/client/mod.ts";
import { ZkServer } from "../../zk/server/server.ts";
import {
  BrokerConfigState,
  BrokerLoggers,
  ConfigAdmin,
  ConfigRepository,
  parseServerProperties,
} from "../config/mod.ts";
import { alterConfigsHandler } from "./33_alter_configs.ts";
import { describeConfigsHandler } from "./32_describe_configs.ts";
import { incrementalAlterConfigsHandler } from "./44_incremental_alter_configs.ts";
import { HandlerRegistry } from "./registry.ts";

/** What a test gets. */
export interface ConfigWorld {
  zk: ZkClient;
  zkAddress: string;
  state: BrokerConfigState;
  repo: ConfigRepository;
  handlers: HandlerRegistry;
  topicChanges: [string, Map<string, string>][];
  brokerChanges: [string, Map<string, string>][];
  /** The broker's loggers (BROKER_LOGGER), on a Logger whose lines go to `logLines`. */
  loggers: BrokerLoggers;
  logLines: string[];
}

/** Runs `body` against a fresh ZooKeeper and a broker configured by `serverProperties`. */
export async function withConfigWorld(
  serverProperties: string,
  body: (w: ConfigWorld) => Promise<void>,
): Promise<void> {
  const server = new ZkServer({
    settings: { clientPort: 0, clientPortAddress: "127.0.0.1" },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  const zkAddress = `127.0.0.1:${server.port}`;
  const zk = await ZkClient.connect(zkAddress);
  const topicChanges: [string, Map<string, string>][] = [];
  const brokerChanges: [string, Map<string, string>][] = [];
  const { config } = parseServerProperties(serverProperties, "server.properties");
  const state = new BrokerConfigState(config);
  const repo = new ConfigRepository({
    zk,
    state,
    onTopicConfigChange: (t, c) => topicChanges.push([t, c]),
    onBrokerConfigChange: (e, c) => brokerChanges.push([e, c]),
  });
  try {
    for (const p of ["/config", "/config/changes", "/config/topics", "/config/brokers"]) {
      await zk.create(p, null);
    }
    await zk.create("/brokers", null);
    await zk.create("/brokers/topics", null);
    await zk.create("/config/topics/t", `{"version":1,"config":{}}`);
    await zk.create("/brokers/topics/t", `{"partitions":{"0":[0]},"version":3}`);
    await repo.start();
    const topicExists = async (t: string) => (await zk.exists(`/brokers/topics/${t}`)) !== null;
    const logLines: string[] = [];
    const loggers = new BrokerLoggers(
      new Logger("", "INFO", (line) => void logLines.push(line), kafkaLayout),
    );
    const admin = new ConfigAdmin({ state, repo, topicExists, loggers });
    const topicConfig = (t: string) => repo.topicConfig(t);
    const handlers = new HandlerRegistry()
      .register(32, describeConfigsHandler({ state, topicConfig, topicExists, loggers }))
      .register(33, alterConfigsHandler(admin))
      .register(44, incrementalAlterConfigsHandler(admin));
    await body({
      zk,
      zkAddress,
      state,
      repo,
      handlers,
      topicChanges,
      brokerChanges,
      loggers,
      logLines,
    });
  } finally {
    repo.stop();
    await zk.close();
    await server.stop();
  }
}

/** Polls `probe` every 20 ms until true; throws naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
