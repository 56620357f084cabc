/**
 * The handlers by API key. A key can be registered once, and only a key Apache Kafka 2.8.2
 * serves (kafka/protocol/registry.ts: its version ranges are what ApiVersions advertises, so a
 * handler serves exactly those versions).
 *
 * @module
 */
import { apiEntry } from "../protocol/registry.ts";
import type { Handler } from "./handler.ts";

/**
 * API key → handler, refusing duplicates and keys 2.8.2 does not serve.
 *
 * @example
 * ```ts
 * const r = new HandlerRegistry();
 * r.register(18, () => ({ errorCode: 0, apiKeys: [] }));
 * r.get(18) !== undefined; // true
 * ```
 */
export class HandlerRegistry {
  private readonly table: (Handler | undefined)[] = [];

  /** Registers `handler` for `apiKey`; throws if the key is taken or not one 2.8.2 serves. */
  register<Req, Res>(apiKey: number, handler: Handler<Req, Res>): this {
    const entry = apiEntry(apiKey);
    if (!entry) throw new Error(`API key ${apiKey} is not one Kafka 2.8.2 serves`);
    if (this.table[apiKey]) throw new Error(`API key ${apiKey} (${entry.name}) registered twice`);
    this.table[apiKey] = handler as Handler;
    return this;
  }

  /** Replaces the handler of a registered `apiKey` (a broker's Metadata with auto-creation). */
  replace<Req, Res>(apiKey: number, handler: Handler<Req, Res>): this {
    if (!this.table[apiKey]) throw new Error(`API key ${apiKey} is not registered`);
    this.table[apiKey] = handler as Handler;
    return this;
  }

  /** The handler of `apiKey`, or undefined. */
  get(apiKey: number): Handler | undefined {
    return this.table[apiKey];
  }

  /** The registered keys, in order. */
  keys(): number[] {
    const keys: number[] = [];
    for (let k = 0; k < this.table.length; k++) if (this.table[k]) keys.push(k);
    return keys;
  }
}
