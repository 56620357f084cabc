/**
 * File and directory names of Kafka's log layout, as Apache Kafka 2.8.2 makes and parses them
 * (kafka.log.Log's companion object): segment files named by their base offset padded to 20
 * digits, partition directories `<topic>-<partition>`, and the suffixes Kafka uses while it
 * deletes, cleans and swaps files.
 *
 * @module
 */

/** A segment's records. */
export const LOG_FILE_SUFFIX = ".log";
/** A segment's offset index. */
export const INDEX_FILE_SUFFIX = ".index";
/** A segment's time index. */
export const TIME_INDEX_FILE_SUFFIX = ".timeindex";
/** A producer state snapshot (named by the offset it was taken at, not a segment). */
export const PRODUCER_SNAPSHOT_FILE_SUFFIX = ".snapshot";
/** A segment's aborted-transaction index. */
export const TXN_INDEX_FILE_SUFFIX = ".txnindex";
/** Appended to a segment's files when they are scheduled for asynchronous deletion. */
export const DELETED_FILE_SUFFIX = ".deleted";
/** Appended to the files the log cleaner is writing. */
export const CLEANED_FILE_SUFFIX = ".cleaned";
/** Appended to files being swapped into the log (after cleaning or a split). */
export const SWAP_FILE_SUFFIX = ".swap";
/** Written in each log dir at a clean shutdown; its presence skips recovery at the next start. */
export const CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
/** Ends a partition directory scheduled for deletion: `<topic>-<p>.<uuid>-delete`. */
export const DELETE_DIR_SUFFIX = "-delete";
/** Ends a partition directory being moved between log dirs: `<topic>-<p>.<uuid>-future`. */
export const FUTURE_DIR_SUFFIX = "-future";

/** The file kinds a segment has, by suffix. */
export type SegmentFileKind = "log" | "index" | "timeindex" | "snapshot" | "txnindex";

const KIND_SUFFIX: Record<SegmentFileKind, string> = {
  log: LOG_FILE_SUFFIX,
  index: INDEX_FILE_SUFFIX,
  timeindex: TIME_INDEX_FILE_SUFFIX,
  snapshot: PRODUCER_SNAPSHOT_FILE_SUFFIX,
  txnindex: TXN_INDEX_FILE_SUFFIX,
};

/** A suffix Kafka appends to a segment file's name while it deletes, cleans or swaps it. */
export type TransientSuffix = "" | ".deleted" | ".cleaned" | ".swap";

/**
 * The base offset as a segment file name prefix: 20 digits, zero-padded, so that `ls` sorts
 * segments by offset (`00000000000000000060`).
 *
 * @example
 * ```ts
 * offsetPrefix(60); // "00000000000000000060"
 * ```
 */
export function offsetPrefix(offset: number | bigint): string {
  const big = BigInt(offset);
  if (big < 0n) {
    // NumberFormat puts the sign before the padding: a negative base offset never names a
    // segment, so say so rather than write a name nobody can parse back.
    throw new RangeError(`a segment base offset cannot be negative: ${offset}`);
  }
  return big.toString().padStart(20, "0");
}

/**
 * The name of a segment file: `00000000000000000060.log`, `00000000000000000060.timeindex.deleted`.
 *
 * @example
 * ```ts
 * segmentFileName(0, "index"); // "00000000000000000000.index"
 * segmentFileName(60, "log", ".swap"); // "00000000000000000060.log.swap"
 * ```
 */
export function segmentFileName(
  baseOffset: number | bigint,
  kind: SegmentFileKind,
  suffix: TransientSuffix = "",
): string {
  return offsetPrefix(baseOffset) + KIND_SUFFIX[kind] + suffix;
}

/** What a file name in a partition directory says about itself. */
export interface ParsedSegmentFile {
  /** The offset in its name (a segment's base offset, or a snapshot's offset). */
  offset: number;
  kind: SegmentFileKind;
  suffix: TransientSuffix;
}

const SEGMENT_FILE =
  /^(\d{20})\.(log|index|timeindex|snapshot|txnindex)(\.deleted|\.cleaned|\.swap)?$/;

/**
 * Parse a segment file name; undefined for any other file (`leader-epoch-checkpoint`,
 * `partition.metadata`). Stricter than Kafka's `offsetFromFileName`, which takes whatever
 * precedes the first dot: a name herd would not have written is not a segment.
 */
export function parseSegmentFileName(name: string): ParsedSegmentFile | undefined {
  const m = SEGMENT_FILE.exec(name);
  if (!m) return undefined;
  const offset = Number(m[1]);
  if (!Number.isSafeInteger(offset)) return undefined;
  return {
    offset,
    kind: m[2] as SegmentFileKind,
    suffix: (m[3] ?? "") as TransientSuffix,
  };
}

/** A topic partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** `<topic>-<partition>`, the name of a partition's directory in a log dir. */
export function partitionDirName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** A 32-hex-digit id for a delete or future dir name (a random UUID without its dashes). */
export function randomDirId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/**
 * The name a partition directory is renamed to when its topic is deleted:
 * `<topic>-<p>.<id>-delete`, with the topic cut so the whole name stays within 255 characters,
 * as Kafka does.
 */
export function deleteDirName(tp: TopicPartition, id: string = randomDirId()): string {
  const suffix = `-${tp.partition}.${id}${DELETE_DIR_SUFFIX}`;
  return tp.topic.slice(0, Math.min(tp.topic.length, 255 - suffix.length)) + suffix;
}

/** `<topic>-<p>.<id>-future`: a replica being moved to this log dir. */
export function futureDirName(tp: TopicPartition, id: string = randomDirId()): string {
  return `${partitionDirName(tp)}.${id}${FUTURE_DIR_SUFFIX}`;
}

/** What a directory name in a log dir says about the partition in it. */
export interface ParsedPartitionDir extends TopicPartition {
  /** `delete` for a dir awaiting deletion, `future` for one being moved in, else `live`. */
  state: "live" | "delete" | "future";
}

/** The error Kafka gives for a directory that is not a partition's (and the same text). */
export class PartitionDirNameError extends Error {
  override name = "PartitionDirNameError";
  constructor(readonly dirName: string) {
    super(
      `'${dirName}' is not in the form of topic-partition or topic-partition.uniqueId-delete ` +
        "(if marked for deletion). Kafka's log directories (and children) should only contain " +
        "Kafka topic data.",
    );
  }
}

const DELETE_DIR = /^(\S+)-(\S+)\.(\S+)-delete$/;
const FUTURE_DIR = /^(\S+)-(\S+)\.(\S+)-future$/;
const PARTITION = /^[+-]?\d+$/;

/**
 * Parse a partition directory name the way Kafka 2.8.2 does (Log.parseTopicPartitionName):
 * the partition is what follows the last `-` (after dropping `.<id>-delete` or `.<id>-future`),
 * and must be an int32.
 *
 * @example
 * ```ts
 * parsePartitionDirName("herd-log-0"); // { topic: "herd-log", partition: 0, state: "live" }
 * ```
 */
export function parsePartitionDirName(dirName: string): ParsedPartitionDir {
  if (dirName === "" || !dirName.includes("-")) throw new PartitionDirNameError(dirName);
  const isDelete = dirName.endsWith(DELETE_DIR_SUFFIX);
  const isFuture = dirName.endsWith(FUTURE_DIR_SUFFIX);
  if ((isDelete && !DELETE_DIR.test(dirName)) || (isFuture && !FUTURE_DIR.test(dirName))) {
    throw new PartitionDirNameError(dirName);
  }
  const name = isDelete || isFuture ? dirName.slice(0, dirName.lastIndexOf(".")) : dirName;
  const dash = name.lastIndexOf("-");
  const topic = name.slice(0, dash);
  const p = name.slice(dash + 1);
  if (topic === "" || !PARTITION.test(p)) throw new PartitionDirNameError(dirName);
  const partition = Number(p);
  if (partition < -0x8000_0000 || partition > 0x7fff_ffff) throw new PartitionDirNameError(dirName);
  return { topic, partition, state: isDelete ? "delete" : isFuture ? "future" : "live" };
}
