/**
 * Apache 3.8's StatsTrack: the text of a quota's `zookeeper_limits` and `zookeeper_stats` nodes.
 * `count` and `bytes` come first, then any other keys sorted, after an extra "=" that 3.8 adds
 * "to make the string parseable": `count=2,bytes=-1=;byteHardLimit=-1;countHardLimit=-1`.
 * A drop-in must write exactly that, since servers and other tools parse it back.
 *
 * @module
 */
import { JavaCrash } from "./errors.ts";
import { javaSplit, NumberFormatError, parseJavaLong } from "./java.ts";

/** A quota (limits) or the usage (stats) of a quota'd subtree. */
export class StatsTrack {
  #stats = new Map<string, bigint>();

  /**
   * Parses the node's text as 3.8 does. Text that 3.8 cannot parse crashes zkCli (an uncaught
   * Java exception); that is reported as a JavaCrash.
   *
   * @example
   * ```ts
   * StatsTrack.parse("count=1,bytes=6").count; // 1n
   * ```
   */
  static parse(text: string | null): StatsTrack {
    const t = new StatsTrack();
    if (text === null || text.length === 0) return t;
    for (const pair of text.split(/[,;]+/).filter((p, i, all) => p !== "" || i < all.length - 1)) {
      const kv = javaSplit(pair, "=");
      if (kv.length < 2) {
        throw new JavaCrash(
          `java.lang.ArrayIndexOutOfBoundsException: Index 1 out of bounds for length ${kv.length}`,
        );
      }
      try {
        t.#stats.set(kv[0], parseJavaLong(kv[1]));
      } catch (e) {
        if (e instanceof NumberFormatError) {
          throw new JavaCrash(`java.lang.NumberFormatException: ${e.message}`);
        }
        throw e;
      }
    }
    return t;
  }

  #get(key: string): bigint {
    return this.#stats.get(key) ?? -1n;
  }

  /** The soft count limit (or the node count, in stats); -1 when unset. */
  get count(): bigint {
    return this.#get("count");
  }
  set count(v: bigint) {
    this.#stats.set("count", v);
  }
  /** The soft byte limit (or the byte count, in stats); -1 when unset. */
  get bytes(): bigint {
    return this.#get("bytes");
  }
  set bytes(v: bigint) {
    this.#stats.set("bytes", v);
  }
  /** The hard count limit; -1 when unset. */
  get countHardLimit(): bigint {
    return this.#get("countHardLimit");
  }
  set countHardLimit(v: bigint) {
    this.#stats.set("countHardLimit", v);
  }
  /** The hard byte limit; -1 when unset. */
  get byteHardLimit(): bigint {
    return this.#get("byteHardLimit");
  }
  set byteHardLimit(v: bigint) {
    this.#stats.set("byteHardLimit", v);
  }

  /** 3.8's text form. */
  toString(): string {
    let s = `count=${this.count},bytes=${this.bytes}`;
    const rest = [...this.#stats.keys()].filter((k) => k !== "count" && k !== "bytes").sort();
    if (rest.length > 0) s += "=" + rest.map((k) => `;${k}=${this.#stats.get(k)}`).join("");
    return s;
  }
}
