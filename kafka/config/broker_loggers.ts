/**
 * The BROKER_LOGGER config resource (type 8): the broker's loggers and their levels, as Kafka
 * 2.8.2's Log4jController shows and changes them through DescribeConfigs and
 * IncrementalAlterConfigs. Apache lists log4j's live loggers (one per loaded class, and those its
 * config/log4j.properties names) with `root`; herd lists the names its broker logs under, and
 * the levels Apache's config/log4j.properties gives (`kafka` above them at INFO,
 * `kafka.controller` at TRACE, `kafka.log.LogCleaner` and `state.change.logger` at INFO of their
 * own), so that a describe shows the same level for a class on both brokers and a logger whose
 * level is removed inherits as on Apache's. A level set here changes what the broker's
 * {@link Logger} writes.
 *
 * @module
 */
import type { Logger } from "../../internal/log.ts";
import { LoggerLevels, type Threshold } from "../../internal/logger_levels.ts";
import { scala212HashMapOrder } from "../controller/_scala_map_order.ts";

/** Log4jController.ROOT_LOGGER. */
export const ROOT_LOGGER = "root";

/**
 * The loggers herd's broker writes under (each is the `(logger)` at the end of its lines), with
 * their own levels: null inherits. Names logged under later are added as they first log.
 */
export const BROKER_LOGGER_NAMES: readonly (readonly [string, Threshold | null])[] = [
  ["kafka", "INFO"],
  ["kafka.controller", "TRACE"],
  ["kafka.Kafka$", null],
  ["kafka.server.KafkaConfig", null],
  ["kafka.server.KafkaServer", null],
  ["kafka.server.DynamicConfigManager", null],
  ["kafka.server.ZkAdminManager", null],
  ["kafka.network.Acceptor", null],
  ["kafka.network.Processor", null],
  ["kafka.log.LogManager", null],
  ["kafka.log.Log", null],
  ["kafka.log.LogCleaner", "INFO"],
  ["kafka.log.LogCleanerManager", null],
  ["kafka.controller.KafkaController", null],
  ["kafka.coordinator.transaction.TransactionCoordinator", null],
  ["kafka.zk.KafkaZkClient", null],
  ["kafka.zookeeper.ZooKeeperClient", null],
  ["state.change.logger", "INFO"],
];

/**
 * LogLevelConfig.VALID_LOG_LEVELS, in the order Kafka prints them (its Java HashSet's, recorded
 * from 2.8.2's error message).
 */
export const VALID_LOG_LEVELS: readonly Threshold[] = [
  "TRACE",
  "ERROR",
  "INFO",
  "FATAL",
  "DEBUG",
  "WARN",
];

/** Whether `level` is one a logger can be set to (case-sensitive, as Kafka checks it). */
export function isValidLogLevel(level: string): level is Threshold {
  return (VALID_LOG_LEVELS as readonly string[]).includes(level);
}

/**
 * The loggers of one broker over its {@link Logger}: installs herd's logger names on it (if it
 * has none yet) and reads and changes their levels, the root's being the Logger's own.
 *
 * @example
 * ```ts
 * import { Logger } from "../../internal/log.ts";
 * import { BrokerLoggers } from "./broker_loggers.ts";
 * const loggers = new BrokerLoggers(new Logger("", "INFO"));
 * loggers.set("kafka.server.KafkaServer", "DEBUG");
 * loggers.levelOf("kafka.server.KafkaServer"); // "DEBUG"
 * loggers.set("kafka.server.KafkaServer", null);
 * loggers.levelOf("kafka.server.KafkaServer"); // "INFO", from `kafka`
 * ```
 */
export class BrokerLoggers {
  readonly #levels: LoggerLevels;

  constructor(readonly log: Logger) {
    this.#levels = log.levels ??= new LoggerLevels(BROKER_LOGGER_NAMES);
  }

  /** Log4jController.loggerExists: `root`, or a named logger. */
  exists(name: string): boolean {
    return name === ROOT_LOGGER || this.#levels.has(name);
  }

  /** The level that applies to `name` (resolveLevel): its own, an ancestor's, or the root's. */
  levelOf(name: string): Threshold {
    if (name === ROOT_LOGGER) return this.log.level;
    return this.#levels.resolved(name) ?? this.log.level;
  }

  /**
   * Every logger with its level, in the order Kafka lists them: the iteration order of the Scala
   * mutable.HashMap Log4jController.loggers fills, `root` first.
   */
  all(): { name: string; level: Threshold }[] {
    return scala212HashMapOrder([ROOT_LOGGER, ...this.#levels.names()]).map((name) => ({
      name,
      level: this.levelOf(name),
    }));
  }

  /** Sets `name`'s own level, or removes it (null; not for `root`). `name` must exist. */
  set(name: string, level: Threshold | null): void {
    if (name === ROOT_LOGGER) {
      if (level !== null) this.log.level = level;
    } else this.#levels.set(name, level);
  }
}
