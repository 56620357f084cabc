/**
 * GetOffsetShell: Kafka 2.8.2's `kafka-run-class.sh kafka.tools.GetOffsetShell --broker-list …
 * --topic … [--partitions 0,1] [--time -1|-2|<timestamp>]`, printing `topic:partition:offset` per
 * partition (by partition number; an empty offset where no record is at or after a timestamp),
 * with Apache's messages and exit codes.
 *
 * @module
 */
import "../task_cwd.ts";
import { KafkaClient } from "../../kafka/client/client.ts";
import {
  err,
  OptionError,
  out,
  type ParsedOptions,
  parseOptions,
  printUncaught,
  printUsage,
  validHostPorts,
} from "../_kafka_cli.ts";
import { listOffsets } from "../kafka-consumer-groups/service.ts";

const HERE = new URL(".", import.meta.url);

const SPEC = {
  "broker-list": "required",
  "max-wait-ms": "required",
  "offsets": "required",
  "partitions": "required",
  "time": "required",
  "topic": "required",
} as const;

async function run(o: ParsedOptions): Promise<number> {
  const topic = o.valueOf("topic")!;
  const timeArg = o.valueOf("time") ?? "-1";
  if (!/^[+-]?\d+$/.test(timeArg)) {
    return printUncaught(
      new OptionError(
        `Cannot parse argument '${timeArg}' of option time`,
        "joptsimple.OptionArgumentConversionException",
      ),
    );
  }
  const partitionsArg = o.valueOf("partitions") ?? "";
  if (partitionsArg !== "" && !/^\s*\d+\s*(,\s*\d+\s*)*$/.test(partitionsArg)) {
    err(
      "--partitions expects a comma separated list of numeric partition ids, but received: " +
        `${partitionsArg}\n`,
    );
    return 1;
  }
  const wanted = partitionsArg === "" ? [] : partitionsArg.split(",").map((p) => Number(p.trim()));
  const client = new KafkaClient(o.valueOf("broker-list")!, "GetOffsetShell");
  try {
    const md = await client.metadata([topic]);
    const t = md.topics.find((x) => x.name === topic);
    if (!t || t.errorCode !== 0 || t.partitions.length === 0) {
      err(`Topic ${topic} does not exist\n`);
      return 1;
    }
    const all = t.partitions.map((p) => p.partitionIndex);
    const chosen = wanted.length === 0 ? all : all.filter((p) => wanted.includes(p));
    if (chosen.length === 0) {
      err(`Topic ${topic} does not have any of the requested partitions ${partitionsArg}\n`);
      return 1;
    }
    const tps = chosen.sort((a, b) => a - b).map((partition) => ({ topic, partition }));
    const offsets = await listOffsets(client, tps, Number(timeArg));
    for (const tp of tps) {
      const off = offsets.get(`${topic}:${tp.partition}`);
      out(`${topic}:${tp.partition}:${off === undefined || off < 0 ? "" : off}\n`);
    }
    return 0;
  } finally {
    await client.close();
  }
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
  if (args.length === 0) return printUsage(HERE, "An interactive shell for getting topic offsets.");
  for (const required of ["broker-list", "topic"]) {
    if (!o.has(required)) return printUsage(HERE, `Missing required argument "[${required}]"`);
  }
  if (!validHostPorts(o.valueOf("broker-list")!)) {
    return printUsage(HERE, "Please provide valid host:port like host1:9091,host2:9092\n ");
  }
  try {
    return await run(o);
  } catch (e) {
    err(`Exception in thread "main" ${e instanceof Error ? `${e.name}: ${e.message}` : e}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
