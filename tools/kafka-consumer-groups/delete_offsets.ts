/**
 * `--delete-offsets --group g --topic t[:p,…]…`, as Kafka 2.8.2's ConsumerGroupService
 * .deleteOffsets: the partitions named, plus every partition of each topic named alone (a topic
 * that cannot be described is a row of its own, partition "Not Provided"), one OffsetDelete at
 * the group's coordinator, then the outcome line for the top-level error and the TOPIC /
 * PARTITION / STATUS table sorted as Apache sorts it (by topic and partition as one string).
 *
 * @module
 */
import type { KafkaClient } from "../../kafka/client/client.ts";
import { out, type ParsedOptions } from "../_kafka_cli.ts";
import { errorName, javaException } from "../../kafka/client/error_names.ts";
import { JavaError } from "./java_error.ts";
import type { TP } from "./order.ts";
import { deleteOffsets, describeTopic } from "./service.ts";

/** The message of `future.get()`'s ExecutionException for a Kafka error code. */
function failure(code: number): string {
  const ex = javaException(code);
  return `${ex.className}: ${ex.message}`;
}

const TOP_LEVEL: Record<number, (g: string) => string> = {
  24: (g) => `'${g}' is not valid.`,
  69: (g) => `'${g}' does not exist.`,
  30: (g) => `Access to '${g}' is not authorized.`,
  68: (g) => `Deleting offsets of a consumer group '${g}' is forbidden if the group is not empty.`,
  86: () => "Encounter some partition level error, see the follow-up details:",
  29: () => "Encounter some partition level error, see the follow-up details:",
  3: () => "Encounter some partition level error, see the follow-up details:",
};

/** Runs --delete-offsets and prints what Apache prints. */
export async function runDeleteOffsets(client: KafkaClient, o: ParsedOptions): Promise<void> {
  const groupId = o.valueOf("group") ?? "";
  const topics = o.valuesOf("topic");
  const results = new Map<string, { tp: TP; error: string | null }>();
  const known: TP[] = [];
  for (const arg of topics.filter((t) => t.includes(":"))) {
    const [topic, list] = arg.split(":");
    for (const p of (list ?? "").split(",")) {
      if (!/^[+-]?\d+$/.test(p)) {
        throw new JavaError("java.lang.NumberFormatException", `For input string: "${p}"`);
      }
      known.push({ topic, partition: Number(p) });
    }
  }
  const described: TP[] = [];
  for (const topic of topics.filter((t) => !t.includes(":"))) {
    const found = await describeTopic(client, topic);
    if (typeof found === "number") {
      results.set(`${topic}:-1`, { tp: { topic, partition: -1 }, error: failure(found) });
    } else described.push(...found);
  }
  const partitions = [...known, ...described];
  const answer = await deleteOffsets(client, groupId, partitions);
  for (const tp of partitions) {
    const code = answer.errorCode !== 0
      ? answer.errorCode
      : answer.partitions.get(`${tp.topic}:${tp.partition}`) ?? -1;
    results.set(`${tp.topic}:${tp.partition}`, { tp, error: code === 0 ? null : failure(code) });
  }
  // The admin client reports the top-level error, or else the first partition error it met.
  let top = answer.errorCode;
  if (top === 0) {
    for (const tp of partitions) {
      const code = answer.partitions.get(`${tp.topic}:${tp.partition}`) ?? 0;
      if (code !== 0) {
        top = code;
        break;
      }
    }
  }
  if (top === 0) {
    out(`Request succeed for deleting offsets with topic ${topics.join(", ")} group ${groupId}\n`);
  } else {
    const msg = TOP_LEVEL[top]?.(groupId) ??
      `Encounter some unknown error: ${errorName(top)}`;
    out(`\nError: ${msg}\n`);
  }
  const pad = (s: string | number, w: number) => String(s).padEnd(w);
  let text = `\n${pad("TOPIC", 30)} ${pad("PARTITION", 15)} ${pad("STATUS", 15)}\n`;
  const rows = [...results.values()].sort((a, b) => {
    const ka = a.tp.topic + a.tp.partition;
    const kb = b.tp.topic + b.tp.partition;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const { tp, error } of rows) {
    text += `${pad(tp.topic, 30)} ${pad(tp.partition >= 0 ? tp.partition : "Not Provided", 15)} ${
      pad(error === null ? "Successful" : `Error: ${error}`, 15)
    }\n`;
  }
  out(text);
}
