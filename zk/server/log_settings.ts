/**
 * Where the server's log goes, read as Apache's start scripts and logging config hand it over:
 *
 * - `ZOO_LOG4J_PROP` (`INFO,ROLLINGFILE`, the seed's 日志滚动 section): the root level and the
 *   appenders, which zkServer.sh up to 3.7 passes as `-Dzookeeper.root.logger` (zkEnv.sh's default
 *   `INFO,CONSOLE`). 3.8's zkServer.sh no longer passes it (its logback.xml logs to CONSOLE only
 *   and keeps ROLLINGFILE commented out); herd keeps honouring it, as users of the seed's recipe
 *   expect.
 * - `ZOO_LOG_DIR` and `ZOO_LOG_FILE`, which zkServer.sh passes as `-Dzookeeper.log.dir` and
 *   `-Dzookeeper.log.file` (default `zookeeper-$USER-server-$HOSTNAME.log`).
 * - `-D` flags in SERVER_JVMFLAGS / JVMFLAGS: `zookeeper.root.logger`, `zookeeper.log.dir`,
 *   `zookeeper.log.file`, `zookeeper.log.threshold` (ROLLINGFILE's, default INFO),
 *   `zookeeper.console.threshold` (CONSOLE's, default INFO), `zookeeper.log.maxfilesize` (256MB)
 *   and `zookeeper.log.maxbackupindex` (20), with Apache's defaults from its log4j.properties
 *   (3.5–3.7) and logback.xml (3.8). zkServer.sh puts `$JVMFLAGS` after its own `-D`s, so a flag
 *   wins over the variable.
 *
 * Logging starts before zoo.cfg is read, in Apache as here, so zoo.cfg keys do not change it.
 *
 * @module
 */
import { parseJvmFlags } from "../../internal/jvm_flags.ts";
import { type Level, type LogSink, setLogDefaults, stdoutSink } from "../../internal/log.ts";
import { RollingFileAppender } from "../../internal/rolling_file.ts";

/** log4j's levels, lowest first; herd logs DEBUG to ERROR. */
const RANK = { ALL: 0, TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6, OFF: 7 } as const;
/** A log4j level name. */
export type LevelName = keyof typeof RANK;

/** The logging settings of one server process. */
export interface LogSettings {
  /** The root logger's level: nothing below it is logged anywhere. */
  rootLevel: LevelName;
  /** The CONSOLE appender (stdout, the `.out` file under `zk-server start`), with its threshold. */
  console: LevelName | null;
  /** The ROLLINGFILE appender, with its threshold. */
  rollingFile: LevelName | null;
  /** `${zookeeper.log.dir}/${zookeeper.log.file}`. */
  file: string;
  /** `zookeeper.log.maxfilesize` in bytes. */
  maxFileSize: number;
  /** `zookeeper.log.maxbackupindex`. */
  maxBackupIndex: number;
  /** Values that were not understood, each with what is used instead. */
  warnings: string[];
}

const DEFAULT_MAX_FILE_SIZE = "256MB";
const DEFAULT_MAX_BACKUP_INDEX = 20;

/**
 * Reads the settings from the environment: ZOO_LOG4J_PROP, ZOO_LOG_DIR, ZOO_LOG_FILE, USER, and
 * the `-D` flags of SERVER_JVMFLAGS and JVMFLAGS. `hostname` names the default file.
 *
 * @example
 * ```ts
 * const env: Record<string, string> = { ZOO_LOG4J_PROP: "INFO,ROLLINGFILE", ZOO_LOG_DIR: "/var/log/zk", USER: "zk" };
 * const s = readLogSettings((k) => env[k], "node1");
 * // s.file === "/var/log/zk/zookeeper-zk-server-node1.log", s.rollingFile === "INFO", s.console === null
 * ```
 */
export function readLogSettings(
  env: (name: string) => string | undefined,
  hostname: string,
): LogSettings {
  const flags = parseJvmFlags(`${env("SERVER_JVMFLAGS") ?? ""} ${env("JVMFLAGS") ?? ""}`);
  const warnings: string[] = [];
  const prop = (name: string, variable?: string): string | undefined =>
    flags.get(name) ?? (variable === undefined ? undefined : env(variable) || undefined);

  const rootSpec = prop("zookeeper.root.logger", "ZOO_LOG4J_PROP") ?? "INFO,CONSOLE";
  const source = flags.has("zookeeper.root.logger") ? "zookeeper.root.logger" : "ZOO_LOG4J_PROP";
  const [levelWord = "", ...names] = rootSpec.split(",").map((t) => t.trim());
  let rootLevel: LevelName = "INFO";
  if (levelWord !== "") rootLevel = levelName(levelWord, source, "INFO", warnings);
  const appenders = new Set<string>();
  for (const name of names.filter((n) => n !== "")) {
    if (name === "CONSOLE" || name === "ROLLINGFILE") appenders.add(name);
    else warnings.push(`${source}: "${name}" is not an appender herd has (CONSOLE, ROLLINGFILE)`);
  }
  if (appenders.size === 0) {
    warnings.push(`${source}: "${rootSpec}" names no appender herd has; logging to CONSOLE`);
    appenders.add("CONSOLE");
  }
  const threshold = (name: string) =>
    levelName(prop(name) ?? "INFO", `-D${name}`, "INFO", warnings);

  const dir = prop("zookeeper.log.dir", "ZOO_LOG_DIR") ?? ".";
  const file = prop("zookeeper.log.file", "ZOO_LOG_FILE") ??
    `zookeeper-${env("USER") ?? ""}-server-${hostname}.log`;
  return {
    rootLevel,
    console: appenders.has("CONSOLE") ? threshold("zookeeper.console.threshold") : null,
    rollingFile: appenders.has("ROLLINGFILE") ? threshold("zookeeper.log.threshold") : null,
    file: `${dir}/${file}`,
    maxFileSize: fileSize(prop("zookeeper.log.maxfilesize"), warnings),
    maxBackupIndex: backupIndex(prop("zookeeper.log.maxbackupindex"), warnings),
    warnings,
  };
}

function levelName(word: string, source: string, fallback: LevelName, warnings: string[]) {
  const up = word.toUpperCase();
  if (up in RANK) return up as LevelName;
  warnings.push(
    `${source}: "${word}" is not a level (${Object.keys(RANK).join(", ")}); using ${fallback}`,
  );
  return fallback;
}

/** A size as log4j and logback write it: `10MB`, `512kb`, `1GB`, or a number of bytes. */
export function parseFileSize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(kb|mb|gb)?s?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { "": 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? "").toLowerCase()] ?? 1;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : undefined;
}

function fileSize(text: string | undefined, warnings: string[]): number {
  const n = parseFileSize(text ?? DEFAULT_MAX_FILE_SIZE);
  if (n !== undefined) return n;
  warnings.push(
    `-Dzookeeper.log.maxfilesize: "${text}" is not a size (like 10MB); using ${DEFAULT_MAX_FILE_SIZE}`,
  );
  return parseFileSize(DEFAULT_MAX_FILE_SIZE)!;
}

function backupIndex(text: string | undefined, warnings: string[]): number {
  if (text === undefined) return DEFAULT_MAX_BACKUP_INDEX;
  if (/^\s*\d{1,9}\s*$/.test(text)) return Number(text);
  warnings.push(
    `-Dzookeeper.log.maxbackupindex: "${text}" is not a count of files; using ${DEFAULT_MAX_BACKUP_INDEX}`,
  );
  return DEFAULT_MAX_BACKUP_INDEX;
}

/** What configureLogging set up. */
export interface ConfiguredLogging {
  /** The rolling file, when ROLLINGFILE is on and its file could be opened. */
  file: RollingFileAppender | null;
  /** Problems to report (log4j prints its own on stderr as `log4j:WARN …`). */
  warnings: string[];
}

const herdLevels: readonly Level[] = ["DEBUG", "INFO", "WARN", "ERROR"];

/**
 * Makes `settings` the process's logging: the defaults every Logger created from now on uses
 * (setLogDefaults). A file that cannot be opened is reported and its lines go to CONSOLE instead,
 * so that asking for a log file never means logging nowhere.
 *
 * @example
 * ```ts ignore
 * const { warnings } = configureLogging(readLogSettings((k) => Deno.env.get(k), Deno.hostname()));
 * for (const w of warnings) console.error(`log4j:WARN ${w}`);
 * ```
 */
export function configureLogging(settings: LogSettings): ConfiguredLogging {
  const warnings = [...settings.warnings];
  let file: RollingFileAppender | null = null;
  let consoleAt = settings.console;
  if (settings.rollingFile !== null) {
    try {
      file = new RollingFileAppender({
        path: settings.file,
        maxFileSize: settings.maxFileSize,
        maxBackupIndex: settings.maxBackupIndex,
        onError: (message) => console.error(`log4j:ERROR ${message}`),
      });
    } catch (e) {
      warnings.push(
        `cannot open the log file ${settings.file}: ${(e as Error).message}; ` +
          "logging to CONSOLE instead",
      );
      consoleAt ??= settings.rollingFile;
    }
  }
  const root = RANK[settings.rootLevel];
  const toConsole = consoleAt === null ? Infinity : Math.max(root, RANK[consoleAt]);
  const toFile = file === null ? Infinity : Math.max(root, RANK[settings.rollingFile ?? "OFF"]);
  const fileSink = file?.sink;
  const sink: LogSink = (line, level) => {
    const rank = RANK[level];
    if (rank >= toConsole) stdoutSink(line, level);
    if (rank >= toFile) fileSink!(line, level);
  };
  // Loggers drop lines below this themselves, before formatting them.
  const lowest = Math.min(toConsole, toFile);
  setLogDefaults(herdLevels.find((l) => RANK[l] >= lowest) ?? "ERROR", sink);
  return { file, warnings };
}

/**
 * configureLogging from this process's environment, printing what it could not understand on
 * stderr as log4j prints its own configuration problems (`log4j:WARN …`).
 *
 * @example
 * ```ts ignore
 * loggingFromEnv(); // before the first Logger
 * const log = new Logger();
 * ```
 */
export function loggingFromEnv(): ConfiguredLogging {
  let host = "localhost";
  try {
    host = Deno.hostname();
  } catch { /* no --allow-sys: the name only labels the file */ }
  const configured = configureLogging(readLogSettings((k) => Deno.env.get(k), host));
  for (const w of configured.warnings) console.error(`log4j:WARN ${w}`);
  return configured;
}
