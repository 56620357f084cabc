/**
 * Levels per logger name, as log4j's hierarchy keeps them: a named logger has a level of its own
 * or none, and one without inherits from its nearest existing ancestor (`kafka.log` for
 * `kafka.log.LogManager`, then `kafka`), else from the root. A {@link Logger} given one filters
 * each line by the level of the name it logs under (its `where`), the root being the Logger's own
 * `level`. This is what lets Kafka's BROKER_LOGGER configs change one class's logging at runtime.
 *
 * @module
 */

/** A level a logger can be set to (log4j's, but ALL and OFF, which Kafka refuses). */
export type Threshold = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";

/** Thresholds, lowest first. */
export const THRESHOLD_RANK: Readonly<Record<Threshold, number>> = {
  TRACE: 0,
  DEBUG: 1,
  INFO: 2,
  WARN: 3,
  ERROR: 4,
  FATAL: 5,
};

/**
 * The named loggers of a process and their own levels (null: inherits).
 *
 * @example
 * ```ts
 * import { LoggerLevels } from "./logger_levels.ts";
 * const levels = new LoggerLevels([["kafka", "INFO"], ["kafka.log.LogManager", null]]);
 * levels.set("kafka", "WARN");
 * levels.resolved("kafka.log.LogManager"); // "WARN", from `kafka`
 * levels.resolved("other.Name"); // undefined: the root's level applies
 * ```
 */
export class LoggerLevels {
  readonly #own = new Map<string, Threshold | null>();
  /** Each name's inherited level once looked up (undefined: the root's); cleared on a change. */
  #resolved = new Map<string, Threshold | undefined>();

  constructor(loggers: Iterable<readonly [string, Threshold | null]> = []) {
    for (const [name, level] of loggers) this.#own.set(name, level);
  }

  /** Whether `name` is a logger here (log4j's LogManager.exists). */
  has(name: string): boolean {
    return this.#own.has(name);
  }

  /** The named loggers, in the order they came to exist. */
  names(): IterableIterator<string> {
    return this.#own.keys();
  }

  /** Gives `name` a level of its own, or none (null); creates the logger if it did not exist. */
  set(name: string, level: Threshold | null): void {
    this.#own.set(name, level);
    this.#resolved = new Map();
  }

  /**
   * The level that applies to lines logged under `name`: its own, else its nearest existing
   * ancestor's; undefined when neither has one (then the root's applies). Looking a new name up
   * creates its logger, as log4j's getLogger does for a class's first line.
   */
  resolved(name: string): Threshold | undefined {
    const cached = this.#resolved.get(name);
    if (cached !== undefined || this.#resolved.has(name)) return cached;
    if (!this.#own.has(name)) this.#own.set(name, null);
    let level: Threshold | undefined = undefined;
    for (let n = name; level === undefined;) {
      const own = this.#own.get(n);
      if (own !== undefined && own !== null) level = own;
      const dot = n.lastIndexOf(".");
      if (dot <= 0) break;
      n = n.substring(0, dot);
    }
    this.#resolved.set(name, level);
    return level;
  }
}
