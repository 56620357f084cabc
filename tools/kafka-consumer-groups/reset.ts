/**
 * `--reset-offsets`, as Kafka 2.8.2's ConsumerGroupService.resetOffsets: for each group (in the
 * order the admin client's HashMap hands them over) that is Empty or Dead, the partitions in scope
 * (`--topic t`, `--topic t:0,1`, `--all-topics`, or the file's for `--from-file`), the new offsets
 * of the one scenario given (`--to-offset`, `--to-earliest`, `--to-latest`, `--shift-by`,
 * `--to-datetime`, `--by-duration`, `--from-file`, `--to-current`), clamped into the log's range
 * with Apache's WARN lines where it clamps, committed with `--execute`; then the plan as the
 * NEW-OFFSET table or, with `--export`, as CSV. Rows come in Scala's map order (order.ts).
 *
 * @module
 */
import type { KafkaClient } from "../../kafka/client/client.ts";
import { logLine, out, type ParsedOptions } from "../_kafka_cli.ts";
import { csvRows, readResetPlan } from "./csv.ts";
import { JavaError, UsageError } from "./java_error.ts";
import { getDateTime, minusDuration, parseDuration } from "./java_time.ts";
import {
  javaHashMapCopyOrder,
  javaHashMapOrder,
  scalaMapOrder,
  scalaStringMapOrder,
  type TP,
} from "./order.ts";
import {
  commitOffsets,
  committedOffsets,
  describeGroup,
  describeTopic,
  listGroups,
  listOffsets,
} from "./service.ts";
import { javaException } from "../../kafka/client/error_names.ts";

const LOGGER = "kafka.admin.ConsumerGroupCommand$";
/** The scenarios as Apache's Set prints them (joptsimple's OptionSpec hash order). */
const SCENARIOS_TEXT = "Set([by-duration], [to-offset], [from-file], [to-datetime], " +
  "[to-earliest], [to-current], [shift-by], [to-latest])";

/** A partition and its new offset. */
export interface Planned extends TP {
  offset: number;
}

const key = (tp: TP) => `${tp.topic}:${tp.partition}`;
const name = (tp: TP) => `${tp.topic}-${tp.partition}`;

/** `tps` without repeats, first position kept (what building a Scala Map from them keeps). */
function distinct<T extends TP>(tps: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const tp of tps) if (!seen.has(key(tp))) seen.set(key(tp), tp);
  return [...seen.values()];
}

/** A failed admin-client future as `.get()` throws it: ExecutionException around the cause. */
export function executionException(code: number): JavaError {
  const ex = javaException(code);
  const cause = `${ex.className}: ${ex.message}`;
  return new JavaError("java.util.concurrent.ExecutionException", cause, cause);
}

/** A joptsimple Long option's value (its conversion error when it is not one). */
export function longOption(o: ParsedOptions, option: string): number {
  const v = o.valueOf(option) ?? "";
  if (!/^[+-]?\d+$/.test(v) || BigInt(v) > 2n ** 63n - 1n || BigInt(v) < -(2n ** 63n)) {
    const nfe = `java.lang.NumberFormatException: For input string: "${v}"`;
    throw new JavaError(
      "joptsimple.OptionArgumentConversionException",
      `Cannot parse argument '${v}' of option ${option}`,
      `joptsimple.internal.ReflectionException: ${nfe}\nCaused by: ${nfe}`,
    );
  }
  return Number(v);
}

/**
 * Offsets of `tps` at `timestamp` (-1 latest, -2 earliest) as the admin client's listOffsets
 * `.all().get()`: the first partition that has no leader or answers an error fails the whole.
 */
async function offsetsOrFail(
  client: KafkaClient,
  tps: readonly TP[],
  timestamp: number,
): Promise<Map<string, number>> {
  const topics = [...new Set(tps.map((tp) => tp.topic))];
  if (topics.length > 0) {
    const md = await client.metadata(topics);
    for (const tp of tps) {
      const t = md.topics.find((x) => x.name === tp.topic);
      if (!t || t.errorCode !== 0) throw executionException(t?.errorCode ?? 3);
      const p = t.partitions.find((x) => x.partitionIndex === tp.partition);
      if (!p || p.leaderId < 0) throw executionException(5);
    }
  }
  const got = await listOffsets(client, tps, timestamp);
  for (const tp of tps) if (!got.has(key(tp))) throw executionException(-1);
  return got;
}

/** checkOffsetsRange: each requested offset moved into [log start, log end], with a WARN. */
async function checkRange(client: KafkaClient, requested: Planned[]): Promise<Planned[]> {
  const starts = await offsetsOrFail(client, requested, -2);
  const ends = await offsetsOrFail(client, requested, -1);
  return requested.map((r) => {
    const end = ends.get(key(r))!;
    const start = starts.get(key(r))!;
    let offset = r.offset;
    if (offset > end) {
      logLine(
        "WARN",
        LOGGER,
        `New offset (${offset}) is higher than latest offset for topic partition ${
          name(r)
        }. Value will be set to ${end}`,
      );
      offset = end;
    } else if (offset < start) {
      logLine(
        "WARN",
        LOGGER,
        `New offset (${offset}) is lower than earliest offset for topic partition ${
          name(r)
        }. Value will be set to ${start}`,
      );
      offset = start;
    }
    return { topic: r.topic, partition: r.partition, offset };
  });
}

/** One command's reset: groups, the lazily read --from-file plan, the options. */
export class Resetter {
  #plan: Map<string, Planned[]> | undefined;

  constructor(private readonly client: KafkaClient, private readonly o: ParsedOptions) {}

  /** resetOffsets and the printing after it. */
  async run(): Promise<void> {
    const o = this.o;
    const ids = o.has("all-groups")
      ? (await listGroups(this.client)).map((g) => g.groupId)
      : o.valuesOf("group");
    const result = new Map<string, Planned[]>();
    for (const id of javaHashMapCopyOrder(ids)) {
      const g = await describeGroup(this.client, id);
      if (g.state !== "Empty" && g.state !== "Dead") {
        out(
          `\nError: Assignments can only be reset if the group '${id}' is inactive, but the ` +
            `current state is ${g.state}.\n`,
        );
        result.set(id, []);
        continue;
      }
      const planned = await this.prepare(id, await this.scope(id));
      if (o.has("execute") && !o.has("dry-run")) {
        await commitOffsets(this.client, id, planned);
      }
      result.set(id, planned);
    }
    const groups = scalaStringMapOrder([...result.keys()]);
    if (o.has("export")) {
      const single = o.valuesOf("group").length === 1;
      out(
        groups.map((g) => csvRows(result.get(g)!.map((p) => ({ group: g, ...p })), !single)).join(
          "",
        ) + "\n",
      );
      return;
    }
    if (groups.length === 0) return;
    const pad = (s: string | number, w: number) => String(s).padEnd(w);
    let text = `\n${pad("GROUP", 30)} ${pad("TOPIC", 30)} ${pad("PARTITION", 10)} ${
      pad("NEW-OFFSET", 15)
    }\n`;
    for (const g of groups) {
      for (const r of result.get(g)!) {
        text += `${pad(g, 30)} ${pad(r.topic, 30)} ${pad(r.partition, 10)} ${pad(r.offset, 15)}\n`;
      }
    }
    out(text);
  }

  /** getPartitionsToReset. */
  private async scope(id: string): Promise<TP[]> {
    const o = this.o;
    if (o.has("all-topics")) return javaHashMapOrder(await committedOffsets(this.client, id));
    if (o.has("topic")) {
      const tps: TP[] = [];
      for (const arg of o.valuesOf("topic")) {
        const i = arg.indexOf(":");
        if (i >= 0) {
          for (const p of arg.slice(i + 1).split(",")) {
            if (!/^[+-]?\d+$/.test(p)) {
              throw new JavaError("java.lang.NumberFormatException", `For input string: "${p}"`);
            }
            tps.push({ topic: arg.slice(0, i), partition: Number(p) });
          }
        } else {
          const found = await describeTopic(this.client, arg);
          if (typeof found === "number") throw executionException(found);
          tps.push(...found);
        }
      }
      return tps;
    }
    if (o.has("from-file")) return [];
    throw new UsageError("One of the reset scopes should be defined: --all-topics, --topic.");
  }

  /** prepareOffsetsToReset, the scenarios in Apache's order of checking. */
  private async prepare(id: string, scope: TP[]): Promise<Planned[]> {
    const o = this.o;
    const tps = distinct(scope);
    if (o.has("to-offset")) {
      const n = longOption(o, "to-offset");
      return await checkRange(this.client, scalaMapOrder(tps.map((tp) => ({ ...tp, offset: n }))));
    }
    if (o.has("to-earliest") || o.has("to-latest")) {
      const earliest = o.has("to-earliest");
      const got = await offsetsOrFail(this.client, tps, earliest ? -2 : -1);
      return scalaMapOrder(tps.map((tp) => {
        const offset = got.get(key(tp));
        if (offset === undefined) {
          throw new UsageError(
            `Error getting ${earliest ? "starting" : "ending"} offset of topic partition: ${
              name(tp)
            }`,
          );
        }
        return { ...tp, offset };
      }));
    }
    if (o.has("shift-by")) {
      const shift = longOption(o, "shift-by");
      const current = new Map(
        (await committedOffsets(this.client, id)).map((c) => [key(c), c.offset]),
      );
      const requested = tps.map((tp) => {
        const c = current.get(key(tp));
        if (c === undefined) {
          throw new UsageError(
            `Cannot shift offset for partition ${
              name(tp)
            } since there is no current committed offset`,
          );
        }
        return { ...tp, offset: c + shift };
      });
      return await checkRange(this.client, scalaMapOrder(requested));
    }
    if (o.has("to-datetime")) {
      return await this.byTime(tps, getDateTime(o.valueOf("to-datetime") ?? ""));
    }
    if (o.has("by-duration")) {
      const d = parseDuration(o.valueOf("by-duration") ?? "");
      return await this.byTime(tps, minusDuration(Date.now(), d));
    }
    if (o.has("from-file")) {
      const plan = this.plan().get(id);
      if (plan === undefined) {
        out(`\nError: No reset plan for group ${id} found\n`);
        return [];
      }
      return await checkRange(this.client, scalaMapOrder(plan));
    }
    if (o.has("to-current")) {
      const current = new Map(
        (await committedOffsets(this.client, id)).map((c) => [key(c), c.offset]),
      );
      const withOffset = tps.filter((tp) => current.has(key(tp)));
      const without = tps.filter((tp) => !current.has(key(tp)));
      const ends = await offsetsOrFail(this.client, without, -1);
      const rest = scalaMapOrder(without).map((tp) => {
        const offset = ends.get(key(tp));
        if (offset === undefined) {
          throw new UsageError(`Error getting ending offset of topic partition: ${name(tp)}`);
        }
        return { ...tp, offset };
      });
      // `a ++ b` of two Scala maps: a's entries, then b's, re-ordered by hash past 4 entries.
      return scalaMapOrder([
        ...scalaMapOrder(withOffset).map((tp) => ({ ...tp, offset: current.get(key(tp))! })),
        ...rest,
      ]);
    }
    throw new UsageError(
      `Option '[reset-offsets]' requires one of the following scenarios: ${SCENARIOS_TEXT}`,
    );
  }

  /** getLogTimestampOffsets: the first offset at or after `ts`, the log end where none is. */
  private async byTime(tps: TP[], ts: number): Promise<Planned[]> {
    const found = await offsetsOrFail(this.client, tps, ts);
    const missing = tps.filter((tp) => found.get(key(tp)) === -1);
    const ends = await offsetsOrFail(this.client, missing, -1);
    return scalaMapOrder(tps.map((tp) => {
      const at = found.get(key(tp));
      const offset = at === -1 ? ends.get(key(tp)) : at;
      if (offset === undefined) {
        throw new UsageError(
          `Error getting offset by timestamp of topic partition: ${name(tp)}`,
        );
      }
      return { ...tp, offset };
    }));
  }

  /** parseResetPlan of the --from-file file, read once (the lazy val). */
  private plan(): Map<string, Planned[]> {
    if (this.#plan) return this.#plan;
    const path = this.o.valueOf("from-file") ?? "";
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (e) {
      // Utils.readFileAsString wraps what Files.readAllBytes throws.
      if (e instanceof Deno.errors.NotFound) {
        throw new JavaError(
          "java.io.IOException",
          `Unable to read file ${path}`,
          `java.nio.file.NoSuchFileException: ${path}`,
        );
      }
      throw new JavaError("java.io.IOException", e instanceof Error ? e.message : String(e));
    }
    const groups = this.o.valuesOf("group");
    const rows = readResetPlan(text, groups.length === 1 ? groups[0] : undefined);
    const plan = new Map<string, Planned[]>();
    for (const r of rows) {
      // new OffsetAndMetadata(offset) refuses a negative one (an IllegalArgumentException).
      if (r.offset < 0) throw new UsageError("Invalid negative offset");
      const list = plan.get(r.group ?? "") ?? [];
      const at = list.findIndex((p) => p.topic === r.topic && p.partition === r.partition);
      const row = { topic: r.topic ?? "", partition: r.partition, offset: r.offset };
      if (at >= 0) list[at] = row;
      else list.push(row);
      plan.set(r.group ?? "", list);
    }
    this.#plan = plan;
    return plan;
  }
}
