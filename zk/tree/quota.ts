/** Quota bookkeeping as Apache stores it: /zookeeper/quota/<path>/zookeeper_limits|zookeeper_stats. */

export const QUOTA_ROOT = "/zookeeper/quota";
export const LIMITS_NODE = "zookeeper_limits";
export const STATS_NODE = "zookeeper_stats";

/** A StatsTrack: count/bytes with optional hard limits; -1 means unset. */
export interface StatsTrack {
  count: number;
  bytes: number;
  countHardLimit: number;
  byteHardLimit: number;
}

/** Parses "count=2,bytes=-1" (and 3.8's extra keys, separated by "," or ";"). */
export function parseStatsTrack(text: string): StatsTrack {
  const t: StatsTrack = { count: -1, bytes: -1, countHardLimit: -1, byteHardLimit: -1 };
  for (const part of text.split(/[,;]/)) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.substring(0, eq).trim();
    const v = Number(part.substring(eq + 1).replace(/=$/, "").trim());
    if (!Number.isFinite(v)) continue;
    if (key === "count") t.count = v;
    else if (key === "bytes") t.bytes = v;
    else if (key === "countHardLimit") t.countHardLimit = v;
    else if (key === "byteHardLimit") t.byteHardLimit = v;
  }
  return t;
}

/** The stats node's text, as Apache writes it. */
export function formatStats(count: number, bytes: number): string {
  return `count=${count},bytes=${bytes}`;
}

/** "/zookeeper/quota/a/b/zookeeper_limits" → "/a/b" (Quotas.trimQuotaPath). */
export function quotaTarget(quotaNodeParent: string): string {
  return quotaNodeParent.substring(QUOTA_ROOT.length) || "/";
}

/** The quota'd path itself → its limits / stats node path. */
export function limitsPath(target: string): string {
  return `${QUOTA_ROOT}${target}/${LIMITS_NODE}`;
}
export function statsPath(target: string): string {
  return `${QUOTA_ROOT}${target}/${STATS_NODE}`;
}

/** What the tree reports when a write goes past a quota; the server turns it into a log line. */
export interface QuotaExceeded {
  path: string;
  kind: "count" | "bytes";
  current: number;
  limit: number;
}
