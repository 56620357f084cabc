/**
 * kafka-dump-log: Kafka 2.8.2's DumpLogSegments (`bin/kafka-dump-log.sh`,
 * `kafka-run-class.sh kafka.tools.DumpLogSegments`) over the files of a broker's log dirs —
 * `.log` segments (shallow, `--deep-iteration`, `--print-data-log`, `--offsets-decoder`,
 * `--transaction-log-decoder`, `--skip-record-metadata`), `.index`/`.timeindex` (checked against
 * the log; `--index-sanity-check`, `--verify-index-only`, `--max-message-size`), producer state
 * `.snapshot` and `.txnindex` files — with Apache's output byte for byte, its stderr reports and
 * its exit codes. Files are streamed through one reused buffer and output goes out in large
 * writes.
 *
 * @module
 */
import "../task_cwd.ts";
import {
  err,
  KAFKA_VERSION_LINE,
  OptionError,
  type ParsedOptions,
  parseOptions,
  printUncaught,
  printUsage,
} from "../_kafka_cli.ts";
import { OutBuffer } from "../zk-txnlog/out_buffer.ts";
import { dumpLog } from "./dump_log.ts";
import { dumpIndex, dumpTimeIndex, type TimeIndexErrors } from "./dump_index.ts";
import { dumpProducerSnapshot, dumpTxnIndex } from "./dump_state.ts";
import {
  type MessageParser,
  offsetsParser,
  stringParser,
  transactionLogParser,
} from "./decoders.ts";
import { JavaException, javaFileName, javaFilePath } from "./java_exception.ts";
import { PairsByFile } from "./pairs_by_file.ts";

const HERE = new URL(".", import.meta.url);

const DESCRIPTION =
  "This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.";

const SPEC = {
  "cluster-metadata-decoder": "flag",
  "deep-iteration": "flag",
  "files": "required",
  "help": "flag",
  "index-sanity-check": "flag",
  "key-decoder-class": "optional",
  "max-message-size": "required",
  "offsets-decoder": "flag",
  "print-data-log": "flag",
  "skip-record-metadata": "flag",
  "transaction-log-decoder": "flag",
  "value-decoder-class": "optional",
  "verify-index-only": "flag",
  "version": "flag",
} as const;

/** The decoders a user may name: Kafka's own (anything else is not on herd's class path). */
const STRING_DECODER = "kafka.serializer.StringDecoder";

/** Java's String.split(","): trailing empty strings dropped. */
function javaSplit(s: string): string[] {
  const parts = s.split(",");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return s === "" ? [""] : parts;
}

/** `--max-message-size` as joptsimple converts it (Integer.valueOf), evaluated on first use. */
function maxMessageSize(o: ParsedOptions): number {
  const v = o.valueOf("max-message-size");
  if (v === undefined || v === null) return 5 * 1024 * 1024;
  const n = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n > 0x7fffffff || n < -0x80000000) {
    throw new JavaException(
      "joptsimple.OptionArgumentConversionException",
      `Cannot parse argument '${v}' of option max-message-size`,
      `joptsimple.internal.ReflectionException: java.lang.NumberFormatException: For input string: "${v}"\n` +
        `Caused by: java.lang.NumberFormatException: For input string: "${v}"`,
    );
  }
  return n;
}

/** The parser for `.log` records (DumpLogSegmentsOptions.messageParser). */
function messageParser(o: ParsedOptions): MessageParser {
  if (o.has("offsets-decoder")) return offsetsParser;
  if (o.has("transaction-log-decoder")) return transactionLogParser;
  if (o.has("cluster-metadata-decoder")) {
    throw new JavaException(
      "herd.UnsupportedOperationException",
      "--cluster-metadata-decoder reads KRaft metadata logs; herd runs Kafka in ZooKeeper mode " +
        "and does not decode them",
    );
  }
  for (const opt of ["value-decoder-class", "key-decoder-class"]) {
    const cls = o.valueOf(opt) ?? STRING_DECODER;
    if (cls !== STRING_DECODER) {
      throw new JavaException("java.lang.ClassNotFoundException", cls);
    }
  }
  return stringParser;
}

/** Runs the dumps; returns the exit code. */
function run(o: ParsedOptions, out: OutBuffer): number {
  const printData = ["print-data-log", "offsets-decoder", "transaction-log-decoder"]
    .some((k) => o.has(k)) || o.has("value-decoder-class") || o.has("key-decoder-class");
  const deep = o.has("deep-iteration") || printData;
  const indexMismatches = new PairsByFile(true);
  const nonConsecutive = new PairsByFile(true);
  const timeErrors: TimeIndexErrors = {
    mismatches: new PairsByFile(false),
    outOfOrder: new PairsByFile(false),
    notFound: new PairsByFile(false),
  };
  const indexOptions = () => ({
    indexSanityOnly: o.has("index-sanity-check"),
    verifyOnly: o.has("verify-index-only"),
    maxMessageSize: maxMessageSize(o),
  });
  const stderr = (text: string) => {
    out.flush();
    err(text);
  };
  for (const arg of javaSplit(o.valueOf("files")!)) {
    const path = javaFilePath(arg);
    out.text(`Dumping ${path}\n`);
    const name = javaFileName(arg);
    const dot = name.lastIndexOf(".");
    if (dot < 0) {
      throw new JavaException(
        "java.lang.StringIndexOutOfBoundsException",
        `begin -1, end ${name.length}, length ${name.length}`,
      );
    }
    switch (name.slice(dot)) {
      case ".log": {
        maxMessageSize(o);
        const parser = messageParser(o);
        dumpLog(
          arg,
          {
            printContents: printData,
            deepIteration: deep,
            skipRecordMetadata: o.has("skip-record-metadata"),
            parser,
          },
          out,
          nonConsecutive,
        );
        break;
      }
      case ".index":
        dumpIndex(arg, indexOptions(), out, indexMismatches);
        break;
      case ".timeindex":
        dumpTimeIndex(arg, indexOptions(), out, timeErrors);
        break;
      case ".snapshot": {
        const problem = dumpProducerSnapshot(path, out);
        if (problem !== null) stderr(`${problem}\n`);
        break;
      }
      case ".txnindex":
        dumpTxnIndex(path, out);
        break;
      default:
        stderr(`Ignoring unknown file ${path}\n`);
    }
  }
  let report = "";
  for (const [file, pairs] of indexMismatches.entries()) {
    report += `Mismatches in :${file}\n`;
    for (const [a, b] of pairs) report += `  Index offset: ${a}, log offset: ${b}\n`;
  }
  for (const [file, pairs] of timeErrors.mismatches.entries()) {
    report += `Found timestamp mismatch in :${file}\n`;
    for (const [a, b] of pairs) report += `  Index timestamp: ${a}, log timestamp: ${b}\n`;
  }
  for (const [file, pairs] of timeErrors.outOfOrder.entries()) {
    report += `Found out of order timestamp in :${file}\n`;
    for (const [a, b] of pairs) {
      report += `  Index timestamp: ${a}, Previously indexed timestamp: ${b}\n`;
    }
  }
  for (const [, pairs] of timeErrors.notFound.entries()) {
    report += "The following indexed offsets are not found in the log.\n";
    for (const [a, b] of pairs) report += `Indexed offset: ${a}, found log offset: ${b}\n`;
  }
  for (const [file, pairs] of nonConsecutive.entries()) {
    report += `Non-consecutive offsets in ${file}\n`;
    for (const [a, b] of pairs) report += `  ${a} is followed by ${b}\n`;
  }
  if (report !== "") stderr(report);
  return 0;
}

/** Runs the tool with `args`, writing to stdout/stderr; returns the exit code. */
export function main(args: string[]): number {
  let o: ParsedOptions;
  try {
    o = parseOptions(SPEC, args);
  } catch (e) {
    if (e instanceof OptionError) return printUncaught(e);
    throw e;
  }
  if (args.length === 0 || o.has("help")) return printUsage(HERE, DESCRIPTION);
  if (o.has("version")) {
    console.log(KAFKA_VERSION_LINE);
    return 0;
  }
  if (!o.has("files")) return printUsage(HERE, 'Missing required argument "[files]"');
  const out = new OutBuffer(Deno.stdout);
  try {
    const code = run(o, out);
    out.flush();
    return code;
  } catch (e) {
    out.flush();
    if (e instanceof JavaException) {
      err(e.uncaughtText());
      return 1;
    }
    throw e;
  }
}

if (import.meta.main) Deno.exit(main(Deno.args));
