/**
 * kafka-configs: herd's kafka-configs.sh, Kafka 2.8.2's ConfigCommand with the same options,
 * output and exit codes. `--zookeeper` writes the config znodes and change notifications any
 * Kafka 2.8 broker (Apache's or herd's) applies (zk_configs.ts); `--bootstrap-server` sends the
 * AdminClient's requests to a broker (admin_resources.ts, admin_quotas.ts).
 *
 * @module
 */
import "../task_cwd.ts";
import { ZkClient } from "../../zk/client/mod.ts";
import { KafkaClient } from "../../kafka/client/mod.ts";
import {
  err,
  KAFKA_VERSION_LINE,
  OptionError,
  out,
  printUsage,
  readProperties,
} from "../_kafka_cli.ts";
import { checkConfigOptions, type ConfigOptions, parseConfigOptions } from "./options.ts";
import { ConfigCommandError, UsageError } from "./errors.ts";
import { ZkConfigService } from "./zk_configs.ts";
import { ResourceConfigs, type ResourceKind } from "./admin_resources.ts";
import { IP_QUOTA_KEYS, QuotaConfigs } from "./admin_quotas.ts";
import { configsToBeAdded, configsToBeDeleted } from "./add_config.ts";

const HELP =
  "This tool helps to manipulate and describe entity config for a topic, client, user, broker or ip";

async function withZk(o: ConfigOptions): Promise<void> {
  let zk: ZkClient;
  try {
    zk = await ZkClient.connect(o.valueOf("zookeeper")!, {
      sessionTimeout: 30000,
      connectTimeout: 30000,
    });
  } catch {
    throw new ConfigCommandError(
      "Timed out waiting for connection while in state: CONNECTING",
      "kafka.zookeeper.ZooKeeperClientTimeoutException",
    );
  }
  try {
    const service = new ZkConfigService(zk, out);
    if (o.has("alter")) await service.alter(o);
    else await service.describe(o);
  } finally {
    await zk.close();
  }
}

function loadCommandConfig(o: ConfigOptions): void {
  const file = o.valueOf("command-config");
  if (file === undefined) return;
  try {
    // Read for its errors only: herd's client takes no security or client settings.
    readProperties(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ConfigCommandError(file, "java.nio.file.NoSuchFileException");
    }
    throw e;
  }
}

async function withBroker(o: ConfigOptions): Promise<void> {
  loadCommandConfig(o);
  const client = new KafkaClient(o.valueOf("bootstrap-server")!, "adminclient-1");
  try {
    const types = o.entityTypes, names = o.entityNames;
    if (o.has("alter") && types.length !== names.length) {
      throw new ConfigCommandError(
        "An entity name must be specified for every entity type",
        "java.lang.IllegalArgumentException",
      );
    }
    const resources = new ResourceConfigs(client, out);
    const quotas = new QuotaConfigs(client, out);
    const type = types[0];
    if (o.has("describe")) {
      if (type === "topics" || type === "brokers" || type === "broker-loggers") {
        await resources.describe(type as ResourceKind, names[0], o.has("all"));
      } else if (type === "users" || type === "clients") {
        await quotas.describeUsersAndClients(types, names);
      } else await quotas.describeQuotas(types, names);
      return;
    }
    const { configs: added, warning } = configsToBeAdded(o);
    out(warning);
    const deleted = configsToBeDeleted(o);
    const name = names[0];
    if (type === "topics" || type === "broker-loggers") {
      await resources.alterIncremental(type, name, added, deleted);
    } else if (type === "brokers") await resources.alterBroker(name, added, deleted);
    else if (type === "users" || type === "clients") {
      await quotas.alterUsersAndClients(types, names, added, deleted);
    } else {
      const unknown = [...added.keys(), ...deleted].filter((k) => !IP_QUOTA_KEYS.includes(k));
      if (unknown.length > 0) {
        throw new ConfigCommandError(
          `Only connection quota configs can be added for 'ips' using --bootstrap-server. Unexpected config names: ${
            unknown.join(",")
          }`,
          "java.lang.IllegalArgumentException",
        );
      }
      await quotas.alterQuotas(types, names, added, deleted);
    }
    out(
      name !== ""
        ? `Completed updating config for ${type.slice(0, -1)} ${name}.\n`
        : `Completed updating default config for ${type} in the cluster.\n`,
    );
  } finally {
    await client.close();
  }
}

/** Runs the tool; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const toolDir = new URL("./", import.meta.url);
  try {
    const o = parseConfigOptions(args);
    if (args.length === 0 || o.has("help")) return printUsage(toolDir, HELP);
    if (o.has("version")) {
      out(`${KAFKA_VERSION_LINE}\n`);
      return 0;
    }
    checkConfigOptions(o);
    if (o.has("zookeeper")) {
      out("Warning: --zookeeper is deprecated and will be removed in a future version of Kafka.\n");
      out("Use --bootstrap-server instead to specify a broker to connect to.\n");
      await withZk(o);
    } else await withBroker(o);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return printUsage(toolDir, e.message);
    if (e instanceof OptionError || (e instanceof ConfigCommandError && e.plain)) {
      err(`${e.message}\n`);
      return 1;
    }
    const failure = e instanceof ConfigCommandError ? e : new ConfigCommandError(
      (e as Error)?.message ?? String(e),
      "org.apache.kafka.common.KafkaException",
    );
    err(`Error while executing config command with args '${args.join(" ")}'\n${failure.trace()}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
