/**
 * ConsumerGroupCommandOptions: the options kafka-consumer-groups accepts, the ones joptsimple
 * makes available only beside another (`availableIf`: --members, --offsets, --verbose with
 * --describe; --state with --describe or --list), and checkArgs' refusals, in Apache 2.8.2's
 * order and words.
 *
 * @module
 */
import { err, OptionError, type ParsedOptions } from "../_kafka_cli.ts";
import { UsageError } from "./java_error.ts";

/** Every option, with how it takes its argument. */
export const SPEC = {
  "all-groups": "flag",
  "all-topics": "flag",
  "bootstrap-server": "required",
  "by-duration": "required",
  "command-config": "required",
  "delete": "flag",
  "delete-offsets": "flag",
  "describe": "flag",
  "dry-run": "flag",
  "execute": "flag",
  "export": "flag",
  "from-file": "required",
  "group": "required",
  "help": "flag",
  "list": "flag",
  "members": "flag",
  "offsets": "flag",
  "reset-offsets": "flag",
  "shift-by": "required",
  "state": "optional",
  "timeout": "required",
  "to-current": "flag",
  "to-datetime": "required",
  "to-earliest": "flag",
  "to-latest": "flag",
  "to-offset": "required",
  "topic": "required",
  "verbose": "flag",
  "version": "flag",
} as const;

const AVAILABLE_IF: Record<string, string[]> = {
  members: ["describe"],
  offsets: ["describe"],
  state: ["describe", "list"],
  verbose: ["describe"],
};

/** joptsimple's ensureAllowedOptions, run as it parses: the options given without their peers. */
export function checkAvailable(o: ParsedOptions): void {
  const missing = Object.keys(AVAILABLE_IF).filter((x) =>
    o.has(x) && !AVAILABLE_IF[x].some((peer) => o.has(peer))
  ).sort();
  if (missing.length > 0) {
    throw new OptionError(
      `Option(s) [${missing.join(", ")}] are unavailable given other options on the command line`,
      "joptsimple.UnavailableOptionException",
    );
  }
}

/** The reset scenarios in the order checkArgs compares them. */
const SCENARIO_CHECKS = [
  "to-offset",
  "to-datetime",
  "by-duration",
  "to-earliest",
  "to-latest",
  "to-current",
  "shift-by",
  "from-file",
];
/** Each scenario's peers as the Scala Set (`all - it`) iterates them (a hash set of 7). */
const SCENARIO_SET = [
  "by-duration",
  "to-offset",
  "from-file",
  "to-datetime",
  "to-earliest",
  "to-current",
  "shift-by",
  "to-latest",
];

const GROUP_SCOPE = "[group], [all-groups]";

/** checkArgs, then the one-action check main makes after it. */
export function checkArgs(o: ParsedOptions): void {
  if (!o.has("bootstrap-server")) {
    throw new UsageError('Missing required argument "[bootstrap-server]"');
  }
  const hasGroups = o.has("group") || o.has("all-groups");
  if (o.has("describe")) {
    if (!hasGroups) {
      throw new UsageError(`Option [describe] takes one of these options: ${GROUP_SCOPE}`);
    }
    if (["members", "offsets", "state"].filter((x) => o.has(x)).length > 1) {
      throw new UsageError(
        "Option [describe] takes at most one of these options: [members], [offsets], [state]",
      );
    }
    if (o.has("state") && o.valueOf("state") !== null) {
      throw new UsageError("Option [describe] does not take a value for [state]");
    }
  }
  if (o.has("delete")) {
    if (!hasGroups) {
      throw new UsageError(`Option [delete] takes one of these options: ${GROUP_SCOPE}`);
    }
    if (o.has("topic")) {
      throw new UsageError(
        "The consumer does not support topic-specific offset deletion from a consumer group.",
      );
    }
  }
  if (o.has("delete-offsets") && (!o.has("group") || !o.has("topic"))) {
    throw new UsageError("Option [delete-offsets] takes the following options: [group], [topic]");
  }
  if (o.has("reset-offsets")) {
    if (o.has("dry-run") && o.has("execute")) {
      throw new UsageError("Option [reset-offsets] only accepts one of [execute] and [dry-run]");
    }
    if (!o.has("dry-run") && !o.has("execute")) {
      err(
        "WARN: No action will be performed as the --execute option is missing.In a future major " +
          "release, the default behavior of this command will be to prompt the user before " +
          "executing the reset rather than doing a dry run. You should add the --dry-run option " +
          "explicitly if you are scripting this command and want to keep the current default " +
          "behavior without prompting.\n",
      );
    }
    if (!hasGroups) {
      throw new UsageError(`Option [reset-offsets] takes one of these options: ${GROUP_SCOPE}`);
    }
    for (const used of SCENARIO_CHECKS) {
      if (!o.has(used)) continue;
      const other = SCENARIO_SET.find((s) => s !== used && o.has(s));
      if (other) throw new UsageError(`Option "[${used}]" can't be used with option "[${other}]"`);
    }
  }
  if (o.has("group") && o.has("all-groups")) {
    throw new UsageError('Option "[group]" can\'t be used with option "[all-groups]"');
  }
  if (o.has("group") && o.has("list")) {
    throw new UsageError('Option "[group]" can\'t be used with option "[list]"');
  }
  if (o.has("topic")) {
    const bad = ["list", "describe"].find((x) => o.has(x));
    if (bad) throw new UsageError(`Option "[topic]" can't be used with option "[${bad}]"`);
  }
}

/** The action check main makes after printing help (exactly one action). */
export function checkOneAction(o: ParsedOptions): void {
  const actions = ["list", "describe", "delete", "reset-offsets", "delete-offsets"]
    .filter((a) => o.has(a));
  if (actions.length !== 1) {
    throw new UsageError(
      "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, " +
        "--delete-offsets",
    );
  }
}
