/**
 * AlterReplicaLogDirs (key 34, v0–v2): move partitions between this broker's log.dirs. As 2.8.2
 * answers (measured): a destination that is not one of the configured dirs (compared as given:
 * `/data/` is not `/data`) → LOG_DIR_NOT_FOUND (57) for each of its partitions; a partition the
 * broker does not host → UNKNOWN_TOPIC_OR_PARTITION; one already in that dir → NONE.
 *
 * A partition in another configured dir: Apache starts a future replica in the destination that
 * catches up and swaps in; herd does not move logs between dirs, and answers
 * KAFKA_STORAGE_ERROR (56), the code Apache gives when it cannot create the log in the
 * destination, so `kafka-reassign-partitions.sh` reports the move as failed rather than started.
 *
 * A partition named twice counts once, its last destination winning (Kafka reads the request
 * into a map). Results are grouped by topic in request order (Apache's follow a hash map's).
 *
 * @module
 */
import type {
  AlterReplicaLogDirsRequest,
  AlterReplicaLogDirsResponse,
} from "../protocol/messages/alter_replica_log_dirs.ts";
import { ErrorCode } from "../protocol/error_codes.ts";
import type { Handler } from "./handler.ts";

/** What the handler needs of the log manager. */
export interface LogDirs {
  /** The configured log.dirs. */
  readonly logDirs: readonly string[];
  /** The dir holding a partition's log, or undefined when the broker hosts no such log. */
  logDirOf(topic: string, partition: number): string | undefined;
}

/** The handler over `dirs`. */
export function alterReplicaLogDirsHandler(
  dirs: LogDirs,
): Handler<AlterReplicaLogDirsRequest, AlterReplicaLogDirsResponse> {
  return (request) => {
    const byTopic = new Map<string, Map<number, string>>();
    for (const d of request.dirs) {
      for (const t of d.topics) {
        const m = byTopic.get(t.name) ?? new Map<number, string>();
        for (const p of t.partitions) m.set(p, d.path);
        byTopic.set(t.name, m);
      }
    }
    const errorOf = (topic: string, partition: number, dest: string): number => {
      if (!dirs.logDirs.includes(dest)) return ErrorCode.LOG_DIR_NOT_FOUND;
      const current = dirs.logDirOf(topic, partition);
      if (current === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      return current === dest ? ErrorCode.NONE : ErrorCode.KAFKA_STORAGE_ERROR;
    };
    return {
      throttleTimeMs: 0,
      results: [...byTopic].map(([topicName, parts]) => ({
        topicName,
        partitions: [...parts].map(([partitionIndex, dest]) => ({
          partitionIndex,
          errorCode: errorOf(topicName, partitionIndex, dest),
        })),
      })),
    };
  };
}
