/**
 * A Java exception as ConsumerGroupCommand lets it reach its catch-all: the class name and message
 * it prints (`Executing consumer group command failed due to <message>` on stdout, then
 * printStackTrace's first line and its `Caused by:` on stderr), and the usage error
 * (IllegalArgumentException, printUsageAndDie, exit code 1).
 *
 * @module
 */

/** An exception with its Java class and, when Apache's has one, its cause's first line. */
export class JavaError extends Error {
  override name = "JavaError";
  constructor(
    readonly javaClass: string,
    message: string,
    readonly causeLine?: string,
  ) {
    super(message);
  }

  /** What Throwable.toString gives: `class: message` (or the class alone without a message). */
  override toString(): string {
    return this.message === "" ? this.javaClass : `${this.javaClass}: ${this.message}`;
  }
}

/** A usage error: the message, the usage table, exit code 1 (CommandLineUtils.printUsageAndDie). */
export class UsageError extends Error {
  override name = "UsageError";
}
