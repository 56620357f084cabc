/** Where a setting came from: a zoo.cfg line, or the JVM flags (no line). */
export interface ConfigLocation {
  /** The zoo.cfg path as given, or {@link JVM_FLAGS_SOURCE}. */
  file: string;
  /** 1-based line of the key; absent for JVM flags and for settings that are missing. */
  line?: number;
}

/** The label used for settings that came from `-D` flags in SERVER_JVMFLAGS / JVMFLAGS. */
export const JVM_FLAGS_SOURCE = "SERVER_JVMFLAGS/JVMFLAGS";

/** Formats a location the way every config message starts: `zoo.cfg line 3` or `zoo.cfg`. */
export function formatLocation(at: ConfigLocation): string {
  return at.line === undefined ? at.file : `${at.file} line ${at.line}`;
}

/**
 * A zoo.cfg, myid or JVM flag value that ZooKeeper would refuse, or that herd cannot honour.
 * The message names the file, the line and the key, e.g.
 * `zoo.cfg line 3: tickTime: "abc" is not a number`.
 *
 * @example
 * ```ts
 * import { ConfigError, parseZooCfg } from "./mod.ts";
 * try {
 *   parseZooCfg("dataDir=/tmp/zk\ntickTime=abc\n", "zoo.cfg");
 * } catch (e) {
 *   if (!(e instanceof ConfigError)) throw e;
 *   console.log(e.message); // zoo.cfg line 2: tickTime: "abc" is not a number
 * }
 * ```
 */
export class ConfigError extends Error {
  /** The file (or {@link JVM_FLAGS_SOURCE}) the bad setting is in. */
  readonly file: string;
  /** Its 1-based line, when it has one. */
  readonly line?: number;
  /** The key as the user wrote it (`tickTime`, `-Dzookeeper.snapCount`), when there is one. */
  readonly key?: string;

  /** `detail` already starts with the key, if any; the location is prefixed here. */
  constructor(at: ConfigLocation, detail: string, key?: string) {
    super(`${formatLocation(at)}: ${detail}`);
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
