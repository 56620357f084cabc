/**
 * How zkCli reports failures. A command fails with a {@linkcode CliError} (Apache's
 * CliException): its message goes to stderr and the exit code is remembered. A server error
 * becomes the message of Apache's CliWrapperException; a bad path the message of
 * MalformedPathException. A few of zkCli's own bugs let a Java exception escape and kill the JVM
 * (`set -v abc`): that is a {@linkcode JavaCrash}, which ends the process with exit code 1.
 *
 * @module
 */
import { Err, InvalidPathError, ZkError } from "../../zk/client/mod.ts";
import { NumberFormatError } from "./java.ts";

/** A command failed: print `message` on stderr, exit code `exitCode` (Apache's CliException). */
export class CliError extends Error {
  override name = "CliError";
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** An exception zkCli does not catch: the JVM prints it and exits with 1. */
export class JavaCrash extends Error {
  override name = "JavaCrash";
  /** The first line the JVM prints, `Exception in thread "main" <class>: <message>`. */
  get line(): string {
    return `Exception in thread "main" ${this.message}`;
  }
}

/** Turns a NumberFormatError into the crash zkCli has when it does not catch one. */
export function crashOnNumber<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof NumberFormatError) {
      throw new JavaCrash(`java.lang.NumberFormatException: ${e.message}`);
    }
    throw e;
  }
}

/** KeeperException.Code → the text of `KeeperException.getCodeMessage`. */
const CODE_MESSAGES: Record<number, string> = {
  [Err.OK]: "ok",
  [Err.SYSTEMERROR]: "SystemError",
  [Err.RUNTIMEINCONSISTENCY]: "RuntimeInconsistency",
  [Err.DATAINCONSISTENCY]: "DataInconsistency",
  [Err.CONNECTIONLOSS]: "ConnectionLoss",
  [Err.MARSHALLINGERROR]: "MarshallingError",
  [Err.UNIMPLEMENTED]: "Unimplemented",
  [Err.OPERATIONTIMEOUT]: "OperationTimeout",
  [Err.BADARGUMENTS]: "BadArguments",
  [Err.NEWCONFIGNOQUORUM]: "NewConfigNoQuorum",
  [Err.RECONFIGINPROGRESS]: "ReconfigInProgress",
  [Err.APIERROR]: "APIError",
  [Err.NONODE]: "NoNode",
  [Err.NOAUTH]: "NoAuth",
  [Err.BADVERSION]: "BadVersion",
  [Err.NOCHILDRENFOREPHEMERALS]: "NoChildrenForEphemerals",
  [Err.NODEEXISTS]: "NodeExists",
  [Err.INVALIDACL]: "InvalidACL",
  [Err.AUTHFAILED]: "AuthFailed",
  [Err.NOTEMPTY]: "Directory not empty",
  [Err.SESSIONEXPIRED]: "Session expired",
  [Err.INVALIDCALLBACK]: "Invalid callback",
  [Err.SESSIONMOVED]: "Session moved",
  [Err.NOTREADONLY]: "Not a read-only call",
  [Err.EPHEMERALONLOCALSESSION]: "Ephemeral node on local session",
  [Err.NOWATCHER]: "No such watcher",
  [Err.RECONFIGDISABLED]: "Reconfig is disabled",
  [Err.SESSIONCLOSEDREQUIRESASLAUTH]: "Session closed because client failed to authenticate",
  [Err.QUOTAEXCEEDED]: "Quota has exceeded",
  [Err.THROTTLEDOP]: "Op throttled due to high load",
};

const CODE_NAMES: Record<number, string> = {
  [Err.UNKNOWNSESSION]: "UNKNOWNSESSION",
  [Err.REQUESTTIMEOUT]: "REQUESTTIMEOUT",
};

/**
 * `KeeperException.getMessage()`: "KeeperErrorCode = NoNode for /a".
 *
 * @example
 * ```ts
 * keeperMessage(-121, "/w"); // "KeeperErrorCode = No such watcher for /w"
 * ```
 */
export function keeperMessage(code: number, path?: string): string {
  const text = CODE_MESSAGES[code] ?? `Unknown error ${CODE_NAMES[code] ?? code}`;
  return path ? `KeeperErrorCode = ${text} for ${path}` : `KeeperErrorCode = ${text}`;
}

/** The path Apache's exception would carry (`null` when it had none). */
function pathOf(e: ZkError): string {
  return e.path === undefined ? "null" : e.path;
}

/**
 * What Apache's CliWrapperException says for a server error: its friendlier text for the common
 * codes, else the KeeperException message.
 *
 * @example
 * ```ts
 * wrapperMessage(new ZkError(-101, "/a")); // "Node does not exist: /a"
 * ```
 */
export function wrapperMessage(e: ZkError): string {
  switch (e.code) {
    case Err.NONODE:
      return `Node does not exist: ${pathOf(e)}`;
    case Err.NOCHILDRENFOREPHEMERALS:
      return `Ephemerals cannot have children: ${pathOf(e)}`;
    case Err.NODEEXISTS:
      return `Node already exists: ${pathOf(e)}`;
    case Err.NOTEMPTY:
      return `Node not empty: ${pathOf(e)}`;
    case Err.NOTREADONLY:
      return `Not a read-only call: ${pathOf(e)}`;
    case Err.INVALIDACL:
      return `Acl is not valid : ${pathOf(e)}`;
    case Err.NOAUTH:
      return `Insufficient permission : ${pathOf(e)}`;
    case Err.BADARGUMENTS:
      return `Arguments are not valid : ${pathOf(e)}`;
    case Err.BADVERSION:
      return `version No is not valid : ${pathOf(e)}`;
    case Err.RECONFIGINPROGRESS:
      return "Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)";
    case Err.NEWCONFIGNOQUORUM:
      return "No quorum of new config is connected and up-to-date with the leader of last " +
        "committed config - try invoking reconfiguration after new servers are connected and synced";
    case Err.QUOTAEXCEEDED:
      return `Quota has exceeded : ${pathOf(e)}`;
    default:
      return keeperMessage(e.code, e.path);
  }
}

const BARE_REASONS = new Set([
  "Path length must be > 0",
  "Path must start with / character",
  "Path must not end with / character",
]);

/**
 * What PathUtils.validatePath's IllegalArgumentException says: the first three rules bare, the
 * others as `Invalid path string "…" caused by …`.
 */
export function pathMessage(e: InvalidPathError): string {
  return BARE_REASONS.has(e.reason) ? e.reason : e.message;
}

/**
 * The CliError a command's failure becomes, as Apache's commands map them: server errors through
 * CliWrapperException, invalid paths through MalformedPathException. Anything else is rethrown.
 */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof ZkError) return new CliError(wrapperMessage(e));
  if (e instanceof InvalidPathError) return new CliError(pathMessage(e));
  throw e;
}
