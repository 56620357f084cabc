/**
 * A partition's `partition.metadata` as Kafka 2.8.2 writes it (PartitionMetadataFile): two lines,
 * `version: 0` and `topic_id: <id>`, where the id is the topic's UUID in URL-safe base64 without
 * padding (22 characters), and no newline after the second line:
 *
 * ```
 * version: 0
 * topic_id: bBa64-dSRLi-4C70oV_ILw
 * ```
 *
 * Written through `<file>.tmp`, fsync and rename like the checkpoints. Kafka reads each line as
 * `<anything>:<whitespace><value>`; herd also wants the keys to be `version` and `topic_id`.
 * In 2.8.2 a broker writes the file only when a second LeaderAndIsr reaches a partition that
 * already has a log (the first one arrives before the log exists).
 *
 * @module
 */

import { writeFileAtomic } from "./checkpoint_file.ts";
import { LogFileFormatError } from "./log_errors.ts";

export const PARTITION_METADATA = "partition.metadata";

/** What partition.metadata holds. */
export interface PartitionMetadata {
  version: number;
  /** The topic id as Kafka prints it (Uuid.toString: URL-safe base64, no padding). */
  topicId: string;
}

/** Kafka's Uuid.ZERO_UUID as a string: never a topic's id. */
export const ZERO_TOPIC_ID = "AAAAAAAAAAAAAAAAAAAAAA";

/** The 16 bytes of a topic id string, or a reason it is not one (Kafka's Uuid.fromString). */
export function decodeTopicId(id: string): Uint8Array | string {
  if (id.length > 24) return `topic id '${id}' is too long to be a base64 UUID`;
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(id)) return `topic id '${id}' is not URL-safe base64`;
  const b64 = id.replaceAll("-", "+").replaceAll("_", "/").replace(/=+$/, "");
  if (b64.length % 4 === 1) return `topic id '${id}' is not valid base64`;
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  if (bin.length !== 16) return `topic id '${id}' does not decode to 16 bytes`;
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** A topic id's string from its 16 bytes (Kafka's Uuid.toString). */
export function encodeTopicId(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`a topic id is 16 bytes, not ${bytes.length}`);
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * The file's text, byte for byte as Kafka writes it.
 *
 * @example
 * ```ts
 * formatPartitionMetadata({ version: 0, topicId: "bBa64-dSRLi-4C70oV_ILw" });
 * // "version: 0\ntopic_id: bBa64-dSRLi-4C70oV_ILw"
 * ```
 */
export function formatPartitionMetadata(m: PartitionMetadata): string {
  return `version: ${m.version}\ntopic_id: ${m.topicId}`;
}

function field(line: string | undefined, key: string, n: number, file: string): string {
  if (line === undefined) throw new LogFileFormatError(file, n, `missing the ${key} line`);
  const parts = line.split(/:\s+/);
  if (parts.length !== 2) {
    throw new LogFileFormatError(file, n, `malformed line '${line}': expected '${key}: <value>'`);
  }
  if (parts[0] !== key) {
    throw new LogFileFormatError(file, n, `expected the ${key} line, found '${line}'`);
  }
  return parts[1];
}

/**
 * Parse partition.metadata (`file` names it in errors): version 0, and a topic id that decodes
 * to 16 bytes and is not all zeros.
 */
export function parsePartitionMetadata(text: string, file: string): PartitionMetadata {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  const v = field(lines[0], "version", 1, file);
  if (!/^[+-]?\d+$/.test(v)) {
    throw new LogFileFormatError(file, 1, `version '${v}' is not a number`);
  }
  if (Number(v) !== 0) {
    throw new LogFileFormatError(file, 1, `unrecognized partition metadata version ${v}`);
  }
  const topicId = field(lines[1], "topic_id", 2, file);
  const bytes = decodeTopicId(topicId);
  if (typeof bytes === "string") throw new LogFileFormatError(file, 2, bytes);
  if (bytes.every((b) => b === 0)) {
    throw new LogFileFormatError(file, 2, "invalid topic ID: the zero UUID");
  }
  if (lines.length > 2) {
    throw new LogFileFormatError(file, 3, `unexpected line after topic_id: '${lines[2]}'`);
  }
  return { version: 0, topicId };
}

/** Read `<partitionDir>/partition.metadata`; undefined when there is none. */
export async function readPartitionMetadata(
  partitionDir: string,
): Promise<PartitionMetadata | undefined> {
  const path = `${partitionDir}/${PARTITION_METADATA}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return parsePartitionMetadata(text, path);
}

/** Write `<partitionDir>/partition.metadata` atomically. */
export async function writePartitionMetadata(
  partitionDir: string,
  m: PartitionMetadata,
): Promise<void> {
  await writeFileAtomic(
    `${partitionDir}/${PARTITION_METADATA}`,
    new TextEncoder().encode(formatPartitionMetadata(m)),
  );
}
