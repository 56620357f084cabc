/**
 * What the group API handlers share: the client host a member is recorded with, and whether a
 * partition exists in the broker's metadata.
 *
 * @module
 */
import type { RequestContext } from "./handler.ts";

/** The member's client host; "/127.0.0.1" until the listener passes the peer's address. */
export function clientHostOf(ctx: RequestContext): string {
  return ctx.clientHost ?? "/127.0.0.1";
}

/** Whether `topic`-`partition` is in the broker's metadata (KafkaApis' metadataCache.contains). */
export function partitionExists(ctx: RequestContext, topic: string, partition: number): boolean {
  const t = ctx.broker.topics.get(topic);
  return t !== undefined && t.partitions.some((p) => p.partition === partition);
}

/** Groups items by topic, keeping the order each topic was first seen. */
export function byTopic<T extends { topic: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const list = out.get(it.topic);
    if (list === undefined) out.set(it.topic, [it]);
    else list.push(it);
  }
  return out;
}
