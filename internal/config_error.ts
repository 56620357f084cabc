/**
 * Errors in a configuration file (zoo.cfg, server.properties, myid) or in JVM flags, worded so
 * the operator finds the setting at once: the file, the line and the key.
 *
 * @module
 */

/** Where a setting came from: a file's line, or a source with no lines (JVM flags). */
export interface ConfigLocation {
  /** The file's path as given, or a label for a source without lines. */
  file: string;
  /** 1-based line of the key; absent for JVM flags and for settings that are missing. */
  line?: number;
}

/** Formats a location the way every config message starts: `zoo.cfg line 3` or `zoo.cfg`. */
export function formatLocation(at: ConfigLocation): string {
  return at.line === undefined ? at.file : `${at.file} line ${at.line}`;
}

/**
 * A configuration value the server would refuse, or that herd cannot honour. The message names
 * the file, the line and the key, e.g. `zoo.cfg line 3: tickTime: "abc" is not a number`.
 *
 * @example
 * ```ts
 * import { ConfigError } from "./config_error.ts";
 * const e = new ConfigError({ file: "server.properties", line: 7 }, `num.partitions: "x" is not a number`, "num.partitions");
 * e.message; // server.properties line 7: num.partitions: "x" is not a number
 * ```
 */
export class ConfigError extends Error {
  /** The file (or the label of a source without lines) the bad setting is in. */
  readonly file: string;
  /** Its 1-based line, when it has one. */
  readonly line?: number;
  /** The key as the user wrote it (`tickTime`, `-Dzookeeper.snapCount`), when there is one. */
  readonly key?: string;
  /** The message without its location, for callers that word the location their own way. */
  readonly detail: string;

  /** `detail` already starts with the key, if any; the location is prefixed here. */
  constructor(at: ConfigLocation, detail: string, key?: string) {
    super(`${formatLocation(at)}: ${detail}`);
    this.detail = detail;
    this.name = "ConfigError";
    this.file = at.file;
    this.line = at.line;
    this.key = key;
  }
}

/** Builds the usual `<key>: <detail>` error. */
export function keyError(at: ConfigLocation, key: string, detail: string): ConfigError {
  return new ConfigError(at, `${key}: ${detail}`, key);
}
