/**
 * kafka-consumer-groups: herd's kafka-consumer-groups.sh, Kafka 2.8.2's ConsumerGroupCommand with
 * the same options, tables, messages and exit codes for --list [--state], --describe (--offsets,
 * --members [--verbose], --state), --delete, --delete-offsets (delete_offsets.ts) and
 * --reset-offsets with every scenario, --dry-run/--execute and --export (reset.ts). Rows come in
 * the order Apache prints them (see order.ts); options and their checks are in options.ts.
 *
 * @module
 */
import "../task_cwd.ts";
import { KafkaClient } from "../../kafka/client/client.ts";
import {
  err,
  KAFKA_VERSION_LINE,
  OptionError,
  out,
  type ParsedOptions,
  parseOptions,
  printException,
  printUncaught,
  printUsage,
} from "../_kafka_cli.ts";
import {
  javaHashMapCopyOrder,
  javaHashMapOrder,
  scalaMapOrder,
  scalaMutableHashMapOrder,
  type TP,
} from "./order.ts";
import {
  committedOffsets,
  deleteGroups,
  describeGroup,
  type GroupDescription,
  listGroups,
  listOffsets,
} from "./service.ts";
import { javaException } from "../../kafka/client/error_names.ts";
import { KafkaError } from "../../kafka/client/client.ts";
import { JavaError, UsageError } from "./java_error.ts";
import { checkArgs, checkAvailable, checkOneAction, SPEC } from "./options.ts";
import { executionException, longOption, Resetter } from "./reset.ts";
import { runDeleteOffsets } from "./delete_offsets.ts";

const HERE = new URL(".", import.meta.url);

const VALID_STATES = ["PreparingRebalance", "CompletingRebalance", "Stable", "Dead", "Empty"];
const DASH = "-";

const pad = (s: string | number, w: number) => String(s).padEnd(w);

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
  // `committedOffsets.filter` on the Java map's Scala wrapper builds another java.util.HashMap:
  // the unassigned rows keep the HashMap's order (measured with 9 partitions on 2.8.2).
  for (const c of unassigned) {
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
  const w = { g: 15, c: 15, i: 17, h: 15, cl: 15 };
  // Static members (group.instance.id) add a GROUP-INSTANCE-ID column.
  let instances = false;
  for (const m of g.members) {
    w.g = Math.max(w.g, g.groupId.length);
    w.c = Math.max(w.c, m.consumerId.length);
    w.i = Math.max(w.i, m.groupInstanceId.length);
    w.h = Math.max(w.h, m.host.length);
    w.cl = Math.max(w.cl, m.clientId.length);
    instances ||= m.groupInstanceId.length > 0;
  }
  const cols = (c: (string | number)[]) =>
    `${pad(c[0], w.g)} ${pad(c[1], w.c)} ${instances ? `${pad(c[2], w.i)} ` : ""}${
      pad(c[3], w.h)
    } ${pad(c[4], w.cl)} ${pad(c[5], 15)} `;
  let text = `\n${
    cols(["GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS"])
  }${verbose ? "ASSIGNMENT" : ""}\n`;
  for (const m of g.members) {
    text += cols([
      g.groupId,
      m.consumerId,
      m.groupInstanceId,
      m.host,
      m.clientId,
      m.assignment.length,
    ]);
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
    // ConsumerGroupState.parse is case-sensitive in 2.8.2 (its help's "stable,empty" fails).
    const matched = asked.map((s) => VALID_STATES.find((v) => v === s));
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
  // The admin client's HashMap of futures, mapped into a Scala mutable.HashMap, then split by
  // `.partition` into two more: that is the order Apache lists groups in.
  const order = scalaMutableHashMapOrder(javaHashMapCopyOrder(ids), 2);
  const ok = order.filter((g) => results.get(g) === 0).map((g) => `'${g}'`);
  const failed = order.filter((g) => results.get(g) !== 0);
  if (failed.length === 0) {
    out(`Deletion of requested consumer groups (${ok.join(", ")}) was successful.\n`);
    return;
  }
  printError("Deletion of some consumer groups failed:");
  for (const g of failed) {
    const ex = javaException(results.get(g)!);
    out(
      `* Group '${g}' could not be deleted due to: java.util.concurrent.ExecutionException: ${ex.className}: ${ex.message}\n`,
    );
  }
  if (ok.length > 0) out(`\nThese consumer groups were deleted successfully: ${ok.join(", ")}\n`);
}

/** Runs the tool; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let o: ParsedOptions;
  try {
    o = parseOptions(SPEC, args);
    checkAvailable(o);
  } catch (e) {
    if (e instanceof OptionError) return printUncaught(e);
    throw e;
  }
  try {
    checkArgs(o);
    if (args.length === 0 || o.has("help")) {
      throw new UsageError(
        "This tool helps to list all consumer groups, describe a consumer group, delete consumer " +
          "group info, or reset consumer group offsets.",
      );
    }
    if (o.has("version")) {
      out(`${KAFKA_VERSION_LINE}\n`);
      return 0;
    }
    checkOneAction(o);
  } catch (e) {
    if (e instanceof UsageError) return printUsage(HERE, e.message);
    throw e;
  }
  const client = new KafkaClient(o.valueOf("bootstrap-server")!, "adminclient-1");
  try {
    if (o.has("timeout")) longOption(o, "timeout");
    if (o.has("list")) await list(client, o);
    else if (o.has("describe")) await describe(client, o);
    else if (o.has("delete")) await remove(client, o);
    else if (o.has("reset-offsets")) await new Resetter(client, o).run();
    else await runDeleteOffsets(client, o);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return printUsage(HERE, e.message);
    // Apache prints this and the exception's stack trace, and still exits 0.
    const ex = e instanceof JavaError
      ? e
      : e instanceof KafkaError && e.name.includes(".")
      ? executionException(e.code)
      : new JavaError(
        "org.apache.kafka.common.KafkaException",
        e instanceof Error ? e.message : String(e),
      );
    printError(`Executing consumer group command failed due to ${ex.message}`);
    printException(ex.javaClass, ex.message, ex.causeLine);
    return 0;
  } finally {
    await client.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
