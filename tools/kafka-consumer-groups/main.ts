/**
 * kafka-consumer-groups: herd's kafka-consumer-groups.sh, Kafka 2.8.2's ConsumerGroupCommand with
 * the same options, tables, messages and exit codes for --list [--state], --describe (--offsets,
 * --members [--verbose], --state), --delete and --reset-offsets (--to-earliest, --to-latest,
 * --to-offset, --to-current, --shift-by; --dry-run or --execute). Rows come in the order Apache
 * prints them (see order.ts); the options it has that herd does not (--delete-offsets,
 * --from-file, --export, --to-datetime, --by-duration) are refused with a clear error.
 *
 * @module
 */
import "../task_cwd.ts";
import { KafkaClient } from "../../kafka/client/client.ts";
import {
  err,
  KAFKA_VERSION_LINE,
  logLine,
  OptionError,
  out,
  type ParsedOptions,
  parseOptions,
  printUncaught,
  printUsage,
} from "../_kafka_cli.ts";
import { javaHashMapOrder, scalaMapOrder, type TP } from "./order.ts";
import {
  commitOffsets,
  committedOffsets,
  deleteGroups,
  describeGroup,
  type GroupDescription,
  listGroups,
  listOffsets,
  partitionsFor,
} from "./service.ts";
import { javaException } from "../../kafka/client/error_names.ts";
import { KafkaError } from "../../kafka/client/client.ts";

const HERE = new URL(".", import.meta.url);

const SPEC = {
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

const SCENARIOS = [
  "by-duration",
  "to-offset",
  "from-file",
  "to-datetime",
  "to-earliest",
  "to-current",
  "shift-by",
  "to-latest",
];
const VALID_STATES = ["PreparingRebalance", "CompletingRebalance", "Stable", "Dead", "Empty"];
const DASH = "-";

class UsageError extends Error {}

const pad = (s: string | number, w: number) => String(s).padEnd(w);

/** ConsumerGroupCommandOptions.checkArgs, the checks this tool has, in Apache's order. */
function checkArgs(o: ParsedOptions): void {
  const actions = ["list", "describe", "delete", "reset-offsets", "delete-offsets"]
    .filter((a) => o.has(a));
  if (actions.length !== 1) {
    throw new UsageError(
      "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, " +
        "--delete-offsets",
    );
  }
  if (!o.has("bootstrap-server")) {
    throw new UsageError('Missing required argument "[bootstrap-server]"');
  }
  const hasGroups = o.has("group") || o.has("all-groups");
  if (o.has("describe")) {
    if (!hasGroups) {
      throw new UsageError("Option [describe] takes one of these options: [group], [all-groups]");
    }
    if (["members", "offsets", "state"].filter((x) => o.has(x)).length > 1) {
      throw new UsageError(
        "Option [describe] takes at most one of these options: [members], [offsets], [state]",
      );
    }
  }
  if (o.has("list") && o.has("group")) {
    throw new UsageError('Option "[group]" can\'t be used with option "[list]"');
  }
  if (o.has("delete") && !hasGroups) {
    throw new UsageError("Option [delete] takes one of these options: [group], [all-groups]");
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
      throw new UsageError(
        "Option [reset-offsets] takes one of these options: [group], [all-groups]",
      );
    }
    const given = SCENARIOS.filter((s) => o.has(s));
    if (given.length === 0) {
      throw new UsageError(
        "Option '[reset-offsets]' requires one of the following scenarios: Set([by-duration], " +
          "[to-offset], [from-file], [to-datetime], [to-earliest], [to-current], [shift-by], " +
          "[to-latest])",
      );
    }
    if (given.length > 1) {
      const order = [
        "to-offset",
        "to-datetime",
        "by-duration",
        "to-earliest",
        "to-latest",
        "to-current",
        "shift-by",
        "from-file",
      ];
      const [a, b] = given.sort((x, y) => order.indexOf(x) - order.indexOf(y));
      throw new UsageError(`Option "[${a}]" can't be used with option "[${b}]"`);
    }
  }
}

/** `\nError: msg` on stdout, as ConsumerGroupCommand.printError. */
function printError(msg: string): void {
  out(`\nError: ${msg}\n`);
}

/** shouldPrintMemberState: says why nothing (or a warning) is printed; true to print the table. */
function shouldPrint(group: string, state: string, rows: number): boolean {
  if (state === "Dead") {
    printError(`Consumer group '${group}' does not exist.`);
    return false;
  }
  if (state === "Empty") err(`\nConsumer group '${group}' has no active members.\n`);
  else if (state === "PreparingRebalance" || state === "CompletingRebalance") {
    err(`\nWarning: Consumer group '${group}' is rebalancing.\n`);
  }
  return rows > 0;
}

interface OffsetRow {
  topic: string;
  partition: number;
  offset: number | undefined;
  logEnd: number | undefined;
  consumerId: string;
  host: string;
  clientId: string;
}

async function describeOffsets(client: KafkaClient, g: GroupDescription): Promise<void> {
  const committed = await committedOffsets(client, g.groupId);
  const byTp = new Map(committed.map((c) => [`${c.topic}:${c.partition}`, c.offset]));
  const assigned = new Set<string>();
  const rows: OffsetRow[] = [];
  // Members with the most partitions first (a stable sort), each member's partitions by number.
  const members = g.members.filter((m) => m.assignment.length > 0)
    .map((m, i) => ({ m, i }))
    .sort((a, b) => b.m.assignment.length - a.m.assignment.length || a.i - b.i)
    .map((x) => x.m);
  const all: TP[] = [];
  for (const m of members) {
    const tps = scalaMapOrder(
      javaHashSetOrder(m.assignment).sort((a, b) => a.partition - b.partition),
    );
    for (const tp of tps) {
      assigned.add(`${tp.topic}:${tp.partition}`);
      all.push(tp);
      rows.push({
        ...tp,
        offset: byTp.get(`${tp.topic}:${tp.partition}`),
        logEnd: undefined,
        consumerId: m.consumerId,
        host: m.host,
        clientId: m.clientId,
      });
    }
  }
  const unassigned = javaHashMapOrder(committed).filter((c) =>
    !assigned.has(`${c.topic}:${c.partition}`)
  );
  for (const c of scalaMapOrder(unassigned)) {
    all.push(c);
    rows.push({
      topic: c.topic,
      partition: c.partition,
      offset: c.offset,
      logEnd: undefined,
      consumerId: DASH,
      host: DASH,
      clientId: DASH,
    });
  }
  const ends = await listOffsets(client, all, -1);
  for (const r of rows) r.logEnd = ends.get(`${r.topic}:${r.partition}`);
  if (!shouldPrint(g.groupId, g.state, rows.length)) return;
  const w = { g: 15, t: 15, c: 15, h: 15 };
  for (const r of rows) {
    w.g = Math.max(w.g, g.groupId.length);
    w.t = Math.max(w.t, r.topic.length);
    w.c = Math.max(w.c, r.consumerId.length);
    w.h = Math.max(w.h, r.host.length);
  }
  const line = (c: (string | number)[]) =>
    `${pad(c[0], w.g)} ${pad(c[1], w.t)} ${pad(c[2], 10)} ${pad(c[3], 15)} ${pad(c[4], 15)} ${
      pad(c[5], 15)
    } ${pad(c[6], w.c)} ${pad(c[7], w.h)} ${c[8]}\n`;
  let text = "\n" +
    line([
      "GROUP",
      "TOPIC",
      "PARTITION",
      "CURRENT-OFFSET",
      "LOG-END-OFFSET",
      "LAG",
      "CONSUMER-ID",
      "HOST",
      "CLIENT-ID",
    ]);
  for (const r of rows) {
    const lag = r.offset !== undefined && r.offset !== -1 && r.logEnd !== undefined
      ? r.logEnd - r.offset
      : DASH;
    text += line([
      g.groupId,
      r.topic,
      r.partition,
      r.offset ?? DASH,
      r.logEnd ?? DASH,
      lag,
      r.consumerId,
      r.host,
      r.clientId,
    ]);
  }
  out(text);
}

/** A java.util.HashSet<TopicPartition> built from `tps`: the admin client's member assignment. */
function javaHashSetOrder(tps: TP[]): TP[] {
  return javaHashMapOrder(tps);
}

function describeMembers(g: GroupDescription, verbose: boolean): void {
  if (!shouldPrint(g.groupId, g.state, g.members.length)) return;
  const w = { g: 15, c: 15, h: 15, cl: 15 };
  for (const m of g.members) {
    w.g = Math.max(w.g, g.groupId.length);
    w.c = Math.max(w.c, m.consumerId.length);
    w.h = Math.max(w.h, m.host.length);
    w.cl = Math.max(w.cl, m.clientId.length);
  }
  const cols = (c: (string | number)[]) =>
    `${pad(c[0], w.g)} ${pad(c[1], w.c)} ${pad(c[2], w.h)} ${pad(c[3], w.cl)} ${pad(c[4], 15)} `;
  let text = `\n${cols(["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"])}${
    verbose ? "ASSIGNMENT" : ""
  }\n`;
  for (const m of g.members) {
    text += cols([g.groupId, m.consumerId, m.host, m.clientId, m.assignment.length]);
    if (verbose) {
      const byTopic = new Map<string, number[]>();
      for (const tp of m.assignment) {
        byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
      }
      text += m.assignment.length === 0
        ? DASH
        : [...byTopic].map(([t, ps]) => `${t}(${ps.sort((a, b) => a - b).join(",")})`).sort().join(
          ", ",
        );
    }
    text += "\n";
  }
  out(text);
}

function describeState(g: GroupDescription): void {
  if (!shouldPrint(g.groupId, g.state, 1)) return;
  const coordinator = `${g.coordinator.host}:${g.coordinator.port} (${g.coordinator.id})`;
  const w = Math.max(25, coordinator.length);
  const row = (c: (string | number)[]) =>
    `\n${pad(c[0], w)} ${pad(c[1], 25)} ${pad(c[2], 20)} ${pad(c[3], 15)} ${c[4]}`;
  out(
    row(["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"]) +
      row([g.groupId, coordinator, g.assignmentStrategy, g.state, g.members.length]) + "\n",
  );
}

async function groupIds(client: KafkaClient, o: ParsedOptions): Promise<string[]> {
  if (o.has("all-groups")) return (await listGroups(client)).map((g) => g.groupId);
  return o.valuesOf("group");
}

async function list(client: KafkaClient, o: ParsedOptions): Promise<void> {
  if (!o.has("state")) {
    out((await listGroups(client)).map((g) => `${g.groupId}\n`).join(""));
    return;
  }
  const arg = o.valueOf("state");
  let states: string[] = [];
  if (arg) {
    const asked = arg.split(",").map((s) => s.trim());
    const matched = asked.map((s) => VALID_STATES.find((v) => v.toLowerCase() === s.toLowerCase()));
    if (matched.some((m) => m === undefined)) {
      throw new UsageError(
        `Invalid state list '${arg}'. Valid states are: ${VALID_STATES.join(", ")}`,
      );
    }
    states = matched as string[];
  }
  const groups = await listGroups(client, states);
  const w = Math.max(15, ...groups.map((g) => g.groupId.length));
  out(
    `${pad("GROUP", w)} STATE\n` + groups.map((g) => `${pad(g.groupId, w)} ${g.state}\n`).join(""),
  );
}

async function describe(client: KafkaClient, o: ParsedOptions): Promise<void> {
  const ids = [...new Set(await groupIds(client, o))].sort();
  for (const id of ids) {
    const g = await describeGroup(client, id);
    if (o.has("members")) describeMembers(g, o.has("verbose"));
    else if (o.has("state")) describeState(g);
    else await describeOffsets(client, g);
  }
}

async function remove(client: KafkaClient, o: ParsedOptions): Promise<void> {
  const ids = await groupIds(client, o);
  const results = await deleteGroups(client, ids);
  const failed = [...results].filter(([, code]) => code !== 0);
  if (failed.length === 0) {
    out(
      `Deletion of requested consumer groups (${
        ids.map((g) => `'${g}'`).join(", ")
      }) was successful.\n`,
    );
    return;
  }
  const ok = [...results].filter(([, code]) => code === 0).map(([g]) => `'${g}'`);
  if (ok.length > 0) {
    out(`These consumer groups were deleted successfully: ${ok.join(", ")}\n`);
  }
  printError(
    "Deletion of some consumer groups failed:\n" + failed.map(([g, code]) => {
      const ex = javaException(code);
      return `* Group '${g}' could not be deleted due to: java.util.concurrent.ExecutionException: ${ex.className}: ${ex.message}`;
    }).join("\n"),
  );
}

async function reset(client: KafkaClient, o: ParsedOptions): Promise<void> {
  const unsupported = ["from-file", "to-datetime", "by-duration", "export"].find((x) => o.has(x));
  if (unsupported) {
    throw new Error(`herd's kafka-consumer-groups does not support --${unsupported} yet`);
  }
  const ids = await groupIds(client, o);
  const plans: {
    group: string;
    offsets: { topic: string; partition: number; offset: number }[];
  }[] = [];
  for (const id of ids) {
    const g = await describeGroup(client, id);
    if (g.state !== "Empty" && g.state !== "Dead") {
      printError(
        `Assignments can only be reset if the group '${id}' is inactive, but the current state is ${g.state}.`,
      );
      plans.push({ group: id, offsets: [] });
      continue;
    }
    const committed = await committedOffsets(client, id);
    let tps: TP[];
    if (o.has("all-topics")) tps = javaHashMapOrder(committed);
    else if (o.has("topic")) {
      tps = [];
      for (const arg of o.valuesOf("topic")) {
        const i = arg.indexOf(":");
        if (i >= 0) {
          for (const p of arg.slice(i + 1).split(",")) {
            tps.push({ topic: arg.slice(0, i), partition: Number(p) });
          }
        } else tps.push(...await partitionsFor(client, arg));
      }
    } else {throw new UsageError(
        "One of the reset scopes should be defined: --all-topics, --topic.",
      );}
    const planned = await prepare(client, o, tps, committed);
    if (o.has("execute")) await commitOffsets(client, id, planned);
    plans.push({ group: id, offsets: scalaMapOrder(planned) });
  }
  if (plans.length === 0) return;
  let text = `\n${pad("GROUP", 30)} ${pad("TOPIC", 30)} ${pad("PARTITION", 10)} ${
    pad("NEW-OFFSET", 15)
  }\n`;
  for (const p of plans) {
    for (const r of p.offsets) {
      text += `${pad(p.group, 30)} ${pad(r.topic, 30)} ${pad(r.partition, 10)} ${
        pad(r.offset, 15)
      }\n`;
    }
  }
  out(text);
}

async function prepare(
  client: KafkaClient,
  o: ParsedOptions,
  tps: TP[],
  committed: { topic: string; partition: number; offset: number }[],
): Promise<{ topic: string; partition: number; offset: number }[]> {
  const key = (tp: TP) => `${tp.topic}:${tp.partition}`;
  if (o.has("to-earliest") || o.has("to-latest")) {
    const offs = await listOffsets(client, tps, o.has("to-earliest") ? -2 : -1);
    return tps.map((tp) => {
      const offset = offs.get(key(tp));
      if (offset === undefined) {
        throw new UsageError(
          `Error getting ${
            o.has("to-earliest") ? "starting" : "ending"
          } offset of topic partition: ${tp.topic}-${tp.partition}`,
        );
      }
      return { ...tp, offset };
    });
  }
  const current = new Map(committed.map((c) => [key(c), c.offset]));
  let wanted: Map<string, number>;
  if (o.has("to-offset")) {
    const n = Number(o.valueOf("to-offset"));
    wanted = new Map(tps.map((tp) => [key(tp), n]));
  } else {
    const shift = o.has("shift-by") ? Number(o.valueOf("shift-by")) : 0;
    const latest = await listOffsets(client, tps, -1);
    wanted = new Map(
      tps.map((tp) => [key(tp), (current.get(key(tp)) ?? latest.get(key(tp)) ?? 0) + shift]),
    );
  }
  // checkOffsetsRange: clamp into [log start, log end], warning as Apache does.
  const starts = await listOffsets(client, tps, -2);
  const ends = await listOffsets(client, tps, -1);
  return tps.map((tp) => {
    let offset = wanted.get(key(tp))!;
    const end = ends.get(key(tp));
    const start = starts.get(key(tp));
    if (end !== undefined && offset > end) {
      logLine(
        "WARN",
        "kafka.admin.ConsumerGroupCommand$",
        `New offset (${offset}) is higher than latest offset for topic partition ${tp.topic}-${tp.partition}. Value will be set to ${end}`,
      );
      offset = end;
    } else if (start !== undefined && offset < start) {
      logLine(
        "WARN",
        "kafka.admin.ConsumerGroupCommand$",
        `New offset (${offset}) is lower than earliest offset for topic partition ${tp.topic}-${tp.partition}. Value will be set to ${start}`,
      );
      offset = start;
    }
    return { ...tp, offset };
  });
}

/** Runs the tool; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let o: ParsedOptions;
  try {
    o = parseOptions(SPEC, args);
  } catch (e) {
    if (e instanceof OptionError) return printUncaught(e);
    throw e;
  }
  if (args.length === 0) return printUsage(HERE, 'Missing required argument "[bootstrap-server]"');
  if (o.has("help")) {
    return printUsage(
      HERE,
      "This tool helps to list all consumer groups, describe a consumer group, delete consumer " +
        "group info, or reset consumer group offsets.",
    );
  }
  if (o.has("version")) {
    out(`${KAFKA_VERSION_LINE}\n`);
    return 0;
  }
  try {
    checkArgs(o);
  } catch (e) {
    if (e instanceof UsageError) return printUsage(HERE, e.message);
    throw e;
  }
  const client = new KafkaClient(o.valueOf("bootstrap-server")!, "adminclient-1");
  try {
    if (o.has("list")) await list(client, o);
    else if (o.has("describe")) await describe(client, o);
    else if (o.has("delete")) await remove(client, o);
    else if (o.has("reset-offsets")) await reset(client, o);
    else throw new Error("herd's kafka-consumer-groups does not support --delete-offsets yet");
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return printUsage(HERE, e.message);
    const what = e instanceof KafkaError
      ? `${e.name.includes(".") ? e.name : "org.apache.kafka.common.KafkaException"}: ${e.message}`
      : e instanceof Error
      ? e.message
      : String(e);
    // Apache prints this (and a stack trace) and still exits 0.
    printError(`Executing consumer group command failed due to ${what}`);
    return 0;
  } finally {
    await client.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
