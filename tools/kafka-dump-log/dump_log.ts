/**
 * DumpLogSegments' dump of a `.log` segment, line for line as Kafka 2.8.2 prints it:
 *
 * ```
 * Starting offset: 0
 * baseOffset: 0 lastOffset: 0 count: 1 … isControl: false position: 0 CreateTime: 1700000000000 size: 272 magic: 2 compresscodec: NONE crc: 1504281180 isvalid: true
 * | offset: 0 isValid: true crc: null keySize: 2 valueSize: 200 CreateTime: … position: 0 sequence: -1 headerKeys: [] key: k0 payload: …
 * Found 56 invalid bytes at the end of 00000000000000000000.log
 * ```
 *
 * The record line repeats the batch's fields (2.8's layout, which later Kafka versions shortened);
 * control records show their marker; with a decoder the key and payload follow. Text is written
 * piece by piece as Java's `print` calls write it, so an exception midway leaves the same partial
 * line on stdout as Apache's.
 *
 * @module
 */
import type { OutBuffer } from "../zk-txnlog/out_buffer.ts";
import {
  batchInfo,
  batchIsValid,
  compressionName,
  forEachRecord,
  type RecordInfo,
} from "./batch_records.ts";
import { FileBatches } from "./file_batches.ts";
import {
  javaAbsolutePath,
  javaFileName,
  javaFilePath,
  openForRead,
  parseJavaLong,
} from "./java_exception.ts";
import { controlRecordText, type MessageParser } from "./decoders.ts";
import type { PairsByFile } from "./pairs_by_file.ts";

/** How a log is dumped (the tool's options). */
export interface LogDumpOptions {
  /** Print keys and payloads (`--print-data-log` or any decoder option). */
  printContents: boolean;
  /** Print a line per record (`--deep-iteration`, or implied by printContents). */
  deepIteration: boolean;
  /** `--skip-record-metadata`: only keys and payloads on the record lines. */
  skipRecordMetadata: boolean;
  parser: MessageParser;
}

/**
 * Dumps the `.log` at `path` to `out`; offsets that do not follow each other are added to
 * `nonConsecutive` (keyed by absolute path, as Kafka reports them at the end).
 */
export function dumpLog(
  path: string,
  o: LogDumpOptions,
  out: OutBuffer,
  nonConsecutive: PairsByFile,
): void {
  const name = javaFileName(path);
  const startOffset = parseJavaLong(name.split(".")[0]);
  out.text(`Starting offset: ${startOffset}\n`);
  const file = openForRead(javaFilePath(path));
  try {
    const size = file.statSync().size;
    const batches = new FileBatches(file, javaFilePath(path), 0, size);
    let validBytes = 0;
    let lastOffset = -1;
    for (let b = batches.next(); b !== null; b = batches.next()) {
      const info = batchInfo(b);
      // printBatchLevel: two prints, the second computing the codec name (which may throw).
      if (info.v2) {
        out.text(
          `baseOffset: ${info.baseOffset} lastOffset: ${info.lastOffset} count: ${info.count} ` +
            `baseSequence: ${info.baseSequence} lastSequence: ${info.lastSequence} ` +
            `producerId: ${info.producerId} producerEpoch: ${info.producerEpoch} ` +
            `partitionLeaderEpoch: ${info.partitionLeaderEpoch} isTransactional: ${info.isTransactional} ` +
            `isControl: ${info.isControl}`,
        );
      } else {
        out.text(`offset: ${info.lastOffset}`);
      }
      const codec = compressionName(info.compressionId);
      out.text(
        ` position: ${validBytes} ${info.timestampType}: ${info.maxTimestamp} size: ${b.sizeInBytes} ` +
          `magic: ${info.magic} compresscodec: ${codec} crc: ${info.crc} isvalid: ${
            batchIsValid(b)
          }\n`,
      );
      if (o.deepIteration) {
        const position = validBytes;
        let first = true;
        forEachRecord(b, info, (r: RecordInfo) => {
          if (!info.v2 && first) info.baseOffset = r.offset;
          first = false;
          if (lastOffset === -1) lastOffset = r.offset;
          else if (r.offset !== lastOffset + 1) {
            nonConsecutive.add(javaAbsolutePath(path), lastOffset, r.offset);
          }
          lastOffset = r.offset;
          printRecord(r, info, position, b.sizeInBytes, codec, o, out);
        });
      }
      validBytes += b.sizeInBytes;
    }
    const trailing = size - validBytes;
    if (trailing > 0) out.text(`Found ${trailing} invalid bytes at the end of ${name}\n`);
  } finally {
    file.close();
  }
}

function printRecord(
  r: RecordInfo,
  info: ReturnType<typeof batchInfo>,
  position: number,
  batchSize: number,
  codec: string,
  o: LogDumpOptions,
  out: OutBuffer,
): void {
  let prefix = "| ";
  if (!o.skipRecordMetadata) {
    out.text(
      `${prefix}offset: ${r.offset} isValid: ${r.isValid} crc: ${r.checksum ?? "null"} ` +
        `keySize: ${r.key === null ? -1 : r.key.length} valueSize: ${
          r.value === null ? -1 : r.value.length
        } ` +
        `${info.timestampType}: ${r.timestamp} baseOffset: ${info.baseOffset} lastOffset: ${info.lastOffset} ` +
        `baseSequence: ${info.baseSequence} lastSequence: ${info.lastSequence} ` +
        `producerEpoch: ${info.producerEpoch} partitionLeaderEpoch: ${info.partitionLeaderEpoch} ` +
        `batchSize: ${batchSize} magic: ${info.magic} compressType: ${codec} position: ${position}`,
    );
    prefix = " ";
    if (info.v2) {
      out.text(` sequence: ${r.sequence} headerKeys: [${r.headerKeys.join(",")}]`);
    } else {
      out.text(` crc: ${r.checksum} isvalid: ${r.isValid}`);
    }
    if (info.isControl) out.text(controlRecordText(r.key, r.value));
  }
  if (o.printContents && !info.isControl) {
    const [key, payload] = o.parser(r.key, r.value);
    if (key !== null) {
      out.text(`${prefix}key: ${key}`);
      prefix = " ";
    }
    if (payload !== null) out.text(` payload: ${payload}`);
  }
  out.text("\n");
}
