/**
 * Majority quorums over the ensemble's voters (Apache's QuorumMaj): who votes, whether a set of
 * server ids is a quorum, and the member list as the text election notifications carry
 * (quorum-protocol.md §1.1, §2.1).
 *
 * @module
 */
import { javaHashOrder, javaLongHash, javaPropertiesOrder } from "../../internal/java_hash.ts";
import type { QuorumServer } from "../config/mod.ts";

/** The members of a static ensemble and its majority rule. */
export interface QuorumVerifier {
  /** 0 for a static config (`version=` appears only in dynamic config text). */
  version: bigint;
  /** The participants' ids: only they vote, only they can lead. */
  voters: ReadonlySet<number>;
  /** Every member's id, observers included. */
  members: ReadonlySet<number>;
  /** `server.N=…` lines and `version=…`, exactly as QuorumMaj.toString() writes them. */
  text: string;
}

/** `host`, bracketed when it is an IPv6 address (QuorumServer.delimitedHostString). */
function delimited(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * QuorumServer.toString(): `host:quorumPort:electionPort:participant|observer`, then
 * `;clientHost:clientPort` when the server line gave a client address.
 */
export function quorumServerText(s: QuorumServer): string {
  const a = s.addresses[0];
  const client = s.clientAddress
    ? `;${delimited(s.clientAddress.host)}:${s.clientAddress.port}`
    : "";
  return `${delimited(a.host)}:${a.quorumPort}:${a.electionPort}:${s.type}${client}`;
}

/**
 * Builds the verifier of a static config. The text lists members in the order Java's
 * `HashMap<Long, QuorumServer>` iterates them (ascending for ids below 16), filled in the order
 * `java.util.Properties` handed the `server.N` keys to the parser.
 *
 * @example
 * ```ts
 * import { parseZooCfg } from "../config/mod.ts";
 * import { quorumVerifier } from "./quorum_verifier.ts";
 * const cfg = parseZooCfg(
 *   "dataDir=/d\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2182:2183\n" +
 *     "server.2=127.0.0.1:2282:2283\n",
 *   "zoo.cfg",
 * );
 * quorumVerifier(cfg.servers).text;
 * // "server.1=127.0.0.1:2182:2183:participant\nserver.2=127.0.0.1:2282:2283:participant\nversion=0"
 * ```
 */
export function quorumVerifier(servers: readonly QuorumServer[], version = 0n): QuorumVerifier {
  const byKey = new Map(servers.map((s) => [s.key, s]));
  const parsed = javaPropertiesOrder([...byKey.keys()]).map((k) => byKey.get(k)!);
  const ordered = javaHashOrder(parsed, (s) => javaLongHash(BigInt(s.id)));
  let text = "";
  for (const s of ordered) text += `server.${s.id}=${quorumServerText(s)}\n`;
  text += `version=${version.toString(16)}`;
  return {
    version,
    voters: new Set(servers.filter((s) => s.type === "participant").map((s) => s.id)),
    members: new Set(servers.map((s) => s.id)),
    text,
  };
}

/**
 * Whether `ids` holds a majority of the voters (QuorumMaj.containsQuorum: more than half);
 * non-voters in `ids` do not count.
 *
 * @example
 * ```ts
 * import { containsQuorum } from "./quorum_verifier.ts";
 * containsQuorum({ voters: new Set([1, 2, 3]) }, [1, 3, 4]); // true
 * ```
 */
export function containsQuorum(
  qv: Pick<QuorumVerifier, "voters">,
  ids: Iterable<number>,
): boolean {
  let n = 0;
  for (const id of new Set(ids)) if (qv.voters.has(id)) n++;
  return n > qv.voters.size / 2;
}

/** One `server.N` member as a notification's config text names it: id and its text. */
export interface ConfigMember {
  id: number;
  text: string;
}

/** A notification's config text, parsed only as far as election needs (§2.3). */
export interface ConfigText {
  version: bigint;
  members: ConfigMember[];
}

/**
 * Reads the member ids and `version=` of a config text; undefined when Apache's parser would
 * refuse it (parseDynamicConfig logs and ignores such a config, §2.1).
 *
 * @example
 * ```ts
 * import { parseConfigText } from "./quorum_verifier.ts";
 * parseConfigText("server.1=a:1:2:participant\nversion=100000000");
 * // { version: 0x100000000n, members: [{ id: 1, text: "a:1:2:participant" }] }
 * ```
 */
export function parseConfigText(text: string): ConfigText | undefined {
  const members: ConfigMember[] = [];
  let version = 0n;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) return undefined;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === "version") {
      if (!/^[0-9a-fA-F]+$/.test(value)) return undefined;
      version = BigInt(`0x${value}`);
    } else if (/^server\.\d+$/.test(key)) {
      members.push({ id: Number(key.slice(7)), text: value });
    } else if (!key.startsWith("group") && !key.startsWith("weight")) {
      return undefined;
    }
  }
  return { version, members };
}

/**
 * Whether a received config names other members than ours (QuorumMaj.equals on two different
 * versions compares the member lists).
 */
export function sameMembers(ours: QuorumVerifier, theirs: ConfigText): boolean {
  const mine = parseConfigText(ours.text);
  if (!mine || mine.members.length !== theirs.members.length) return false;
  const texts = new Map(mine.members.map((m) => [m.id, m.text]));
  return theirs.members.every((m) => texts.get(m.id) === m.text);
}
