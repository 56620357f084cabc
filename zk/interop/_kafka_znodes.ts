/**
 * Znode trees as Kafka and Curator leave them, for comparing herd with Apache
 * ZooKeeper: a dump through the ZooKeeper Java client (`TreeDump.java` in the
 * Curator scenario), a normaliser that blanks out what the application chose at
 * random, a line diff, and the reference trees captured from Apache 3.8.0 in
 * `conformance/apache/expected/`.
 *
 * @module
 */

import { APACHE_DIR, curatorCommand, runOk } from "./_kafka_env.ts";

/** One znode as `TreeDump.java` prints it. */
export interface ZNode {
  path: string;
  /** ephemeralOwner in hex, `0x0` for persistent nodes. */
  ephemeralOwner: string;
  /** base64; null when the node holds null data (not the same as empty). */
  data: string | null;
  dataLength: number;
  version: number;
  cversion: number;
  aversion: number;
  numChildren: number;
}

/** A znode after normalisation: what must agree between herd and Apache. */
export interface NormalNode {
  path: string;
  kind: "persistent" | "ephemeral" | "container" | "ttl";
  /** Text (JSON re-serialised with random values blanked), `null` for null data. */
  data: string | null;
}

/** Every node under `root`, depth-first in name order. */
export async function dumpTree(connectString: string, root = "/"): Promise<ZNode[]> {
  const { cmd, args } = curatorCommand(["dump", connectString, root]);
  const r = await runOk(cmd, args, { timeoutMs: 60_000 });
  return r.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as ZNode);
}

/** Persistent, session ephemeral, container or TTL, from ephemeralOwner as Apache encodes it. */
export function ownerKind(ephemeralOwner: string): NormalNode["kind"] {
  const owner = BigInt.asIntN(64, BigInt(ephemeralOwner));
  if (owner === 0n) return "persistent";
  if (owner === -0x8000000000000000n) return "container";
  if ((owner >> 56n) === -1n) return "ttl";
  return "ephemeral";
}

/** The node's data as UTF-8 text (null stays null). */
export function dataText(node: ZNode): string | null {
  if (node.data === null) return null;
  const bin = atob(node.data);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** A JSON value rewriter: receives the key path (e.g. `partitions.0`) and the value. */
export type Blank = (keyPath: string[], value: unknown) => unknown;

/**
 * Re-serialise JSON text with `blank` applied to every value, keeping the key
 * order Kafka wrote (Jackson over Scala maps; the order is part of what is
 * compared). Text that is not JSON is returned unchanged.
 */
export function blankJson(text: string, blank: Blank): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const walk = (keyPath: string[], v: unknown): unknown => {
    const replaced = blank(keyPath, v);
    if (replaced !== v) return replaced;
    if (Array.isArray(v)) return v.map((item, i) => walk([...keyPath, String(i)], item));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk([...keyPath, k], item);
      return out;
    }
    return v;
  };
  // Integer-like keys ("0", "1" …) would be reordered by a JS object; keep Kafka's order by
  // rebuilding the text from entries instead of JSON.stringify on a plain object.
  return stringifyOrdered(walk([], value), text);
}

/** JSON.stringify that keeps the original key order even for integer-like keys. */
function stringifyOrdered(value: unknown, original: string): string {
  const order = keyOrder(original);
  const emit = (v: unknown, keyPath: string): string => {
    if (Array.isArray(v)) return `[${v.map((x, i) => emit(x, `${keyPath}/${i}`)).join(",")}]`;
    if (v !== null && typeof v === "object") {
      const entries = Object.entries(v as Record<string, unknown>);
      const wanted = order.get(keyPath);
      if (wanted) entries.sort((a, b) => wanted.indexOf(a[0]) - wanted.indexOf(b[0]));
      return `{${
        entries.map(([k, x]) => `${JSON.stringify(k)}:${emit(x, `${keyPath}/${k}`)}`).join(",")
      }}`;
    }
    return JSON.stringify(v);
  };
  return emit(value, "");
}

/** For each object in a JSON text (by `/`-joined key path), its keys in written order. */
function keyOrder(text: string): Map<string, string[]> {
  const order = new Map<string, string[]>();
  // A small tokenizer: tracks the key path through objects and arrays.
  const stack: { path: string; isArray: boolean; index: number; key?: string }[] = [];
  let i = 0;
  const here = () => {
    const top = stack.at(-1);
    if (!top) return "";
    return top.isArray ? `${top.path}/${top.index}` : `${top.path}/${top.key}`;
  };
  let expectKey = false;
  while (i < text.length) {
    const c = text[i];
    if (c === "{" || c === "[") {
      const path = stack.length === 0 ? "" : here();
      if (c === "{") order.set(path, []);
      stack.push({ path, isArray: c === "[", index: 0 });
      expectKey = c === "{";
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      expectKey = false;
      i++;
    } else if (c === ",") {
      const top = stack.at(-1);
      if (top?.isArray) top.index++;
      else expectKey = true;
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      const top = stack.at(-1);
      if (expectKey && top && !top.isArray) {
        top.key = s;
        order.get(top.path)?.push(s);
        expectKey = false;
      }
      i = j + 1;
    } else {
      i++;
    }
  }
  return order;
}

/** Normalise a dump: kind of owner, data text with `blank` applied to JSON values. */
export function normalise(
  nodes: ZNode[],
  blank: (path: string) => Blank | undefined,
  renamePath: (path: string) => string = (p) => p,
): NormalNode[] {
  return nodes.map((n) => {
    const text = dataText(n);
    const b = blank(n.path);
    return {
      path: renamePath(n.path),
      kind: ownerKind(n.ephemeralOwner),
      data: text === null || b === undefined ? text : blankJson(text, b),
    };
  }).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** One line per node, for diffs and the reference files. */
export function treeLines(nodes: NormalNode[]): string[] {
  return nodes.map((n) =>
    `${n.path} ${n.kind} ${n.data === null ? "null" : JSON.stringify(n.data)}`
  );
}

/** The lines only one side has, as a readable diff (empty when equal). */
export function diffLines(leftName: string, left: string[], rightName: string, right: string[]) {
  const l = new Set(left);
  const r = new Set(right);
  const onlyLeft = left.filter((x) => !r.has(x)).map((x) => `- ${leftName}: ${x}`);
  const onlyRight = right.filter((x) => !l.has(x)).map((x) => `+ ${rightName}: ${x}`);
  return [...onlyLeft, ...onlyRight];
}

/** Throws with a diff when two normalised trees differ. */
export function assertSameTree(
  what: string,
  leftName: string,
  left: string[],
  rightName: string,
  right: string[],
): void {
  const diff = diffLines(leftName, left, rightName, right);
  if (diff.length > 0 || left.length !== right.length) {
    throw new Error(
      `${what}: the znode trees differ (${leftName} vs ${rightName}):\n${diff.join("\n")}`,
    );
  }
}

/** `conformance/apache/expected/NAME.txt`: a tree captured from Apache ZooKeeper 3.8.0. */
export function expectedPath(name: string): string {
  return `${APACHE_DIR}expected/${name}.txt`;
}

/**
 * The reference tree `name`. With `HERD_UPDATE_EXPECTED=1` and an Apache
 * run, `lines` replace it first (that is how the references are captured).
 */
export async function expectedTree(
  name: string,
  kind: string,
  lines: string[],
): Promise<string[] | undefined> {
  const path = expectedPath(name);
  if (kind === "apache" && Deno.env.get("HERD_UPDATE_EXPECTED") === "1") {
    await Deno.mkdir(`${APACHE_DIR}expected`, { recursive: true });
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
  }
  try {
    return (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");
  } catch {
    return undefined;
  }
}
