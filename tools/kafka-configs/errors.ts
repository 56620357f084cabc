/**
 * How ConfigCommand 2.8.2 fails. Its main catches IllegalArgumentException,
 * InvalidConfigurationException and joptsimple's OptionException and prints only the message on
 * stderr; anything else gets `Error while executing config command with args '…'` and the
 * exception's stack trace (herd prints the exception line and its `Caused by:` line, no frames).
 * CommandLineUtils.printUsageAndDie prints a message and the option table.
 *
 * @module
 */

/** The exception classes main prints as a bare message. */
const PLAIN = new Set([
  "java.lang.IllegalArgumentException",
  "org.apache.kafka.common.errors.InvalidConfigurationException",
]);

/** A Java exception the tool lets reach main: its class, message and (optional) cause. */
export class ConfigCommandError extends Error {
  override name = "ConfigCommandError";
  constructor(
    message: string,
    readonly javaClass: string,
    readonly javaCause?: { javaClass: string; message: string },
    /** A Java exception without a message (`java.util.concurrent.TimeoutException`). */
    readonly noMessage = false,
  ) {
    super(message);
  }

  /** Whether main prints only the message (IllegalArgumentException and kin). */
  get plain(): boolean {
    return PLAIN.has(this.javaClass);
  }

  /** The exception's lines as printStackTrace prints them, frames left out. */
  trace(): string {
    // Throwable.toString: an empty message still gets its ": " (Kafka's errors often have one).
    const head = this.noMessage ? this.javaClass : `${this.javaClass}: ${this.message}`;
    const c = this.javaCause;
    return `${head}\n${c === undefined ? "" : `Caused by: ${c.javaClass}: ${c.message}\n`}`;
  }
}

/**
 * An error a broker answered, as the AdminClient's future throws it: an ExecutionException
 * whose cause is the Kafka exception (both printed).
 */
export function executionError(javaClass: string, message: string): ConfigCommandError {
  return new ConfigCommandError(
    `${javaClass}: ${message}`,
    "java.util.concurrent.ExecutionException",
    {
      javaClass,
      message,
    },
  );
}

/** printUsageAndDie: the message, then the option table, exit 1. */
export class UsageError extends Error {
  override name = "UsageError";
}
