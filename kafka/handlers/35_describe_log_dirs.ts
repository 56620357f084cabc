/**
 * DescribeLogDirs (key 35, v0–v2), as `kafka-log-dirs.sh --describe` and the AdminClient's
 * describeLogDirs ask it: for each of the broker's log.dirs (its absolute path), every topic with
 * a log there and, of its partitions, those asked for (all when `topics` is null) with their size
 * in bytes, offset lag 0 (a leader's high watermark never passes its log end) and isFuture false
 * (herd does not move replicas between dirs). A topic whose partitions were not asked for still
 * appears, with none, and a dir without logs answers no topics: what 2.8.2's
 * ReplicaManager.describeLogDirs returns. No authorizer, so no cluster DESCRIBE check.
 *
 * @module
 */
import type {
  DescribeLogDirsRequest,
  DescribeLogDirsResponse,
  DescribeLogDirsTopic,
} from "../protocol/messages/describe_log_dirs.ts";
import type { Handler } from "./handler.ts";

/** What the handler reads of the LogManager. */
export interface LogDirsView {
  /** The configured log.dirs. */
  readonly logDirs: readonly string[];
  /** Every partition log with its dir. */
  all(): {
    topicPartition: { topic: string; partition: number };
    log: { size: number };
    logDir: string;
  }[];
}

/** `new File(dir).getAbsolutePath` (Kafka answers absolute paths). */
function absolute(dir: string): string {
  if (dir.startsWith("/")) return dir;
  const cwd = Deno.cwd();
  return `${cwd === "/" ? "" : cwd}/${dir}`;
}

/**
 * The handler over a broker's logs.
 *
 * @example
 * ```ts ignore
 * registry.register(35, describeLogDirsHandler(logManager));
 * ```
 */
export function describeLogDirsHandler(
  logs: LogDirsView,
): Handler<DescribeLogDirsRequest, DescribeLogDirsResponse> {
  return (request) => {
    const wanted = request.topics === null ? null : new Map(
      request.topics.map((t) => [t.topic, new Set(t.partitions)]),
    );
    const all = logs.all();
    return {
      throttleTimeMs: 0,
      results: [...new Set(logs.logDirs)].map((dir) => {
        const byTopic = new Map<string, DescribeLogDirsTopic>();
        for (const e of all) {
          if (e.logDir !== dir) continue;
          const { topic, partition } = e.topicPartition;
          let t = byTopic.get(topic);
          if (t === undefined) byTopic.set(topic, t = { name: topic, partitions: [] });
          if (wanted !== null && !wanted.get(topic)?.has(partition)) continue;
          t.partitions.push({
            partitionIndex: partition,
            partitionSize: e.log.size,
            offsetLag: 0,
            isFutureKey: false,
          });
        }
        return { errorCode: 0, logDir: absolute(dir), topics: [...byTopic.values()] };
      }),
    };
  };
}
