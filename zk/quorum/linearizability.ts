/**
 * A linearizability checker for histories of ZooKeeper operations on znodes, in the style of
 * Knossos and Porcupine (written from the papers, not their code): the Wing–Gong search as Lowe
 * improved it, a depth-first search over the history's call/return entries that linearizes a
 * pending call, lifts it out of the list and backtracks when a return is reached whose call
 * could not be placed, with a cache of (set of linearized ops, model state) pairs already
 * explored so that each configuration is searched once (refined for unknown outcomes: see
 * `Placed`).
 *
 * The model: each znode is a register of (value, version) or absent. Operations on different
 * znodes commute in it, so the history is checked per path (P-compositionality), which keeps the
 * search small. An operation whose outcome is unknown (a timeout, a lost connection) has no
 * return time: it may be placed anywhere after its call, or never (placing it after every other
 * op is the same as it never having happened, since nothing observes it).
 *
 * @example
 * ```ts
 * import { checkHistory, describeResult } from "./linearizability.ts";
 * const result = checkHistory([
 *   { client: 1, call: 0, ret: 10, op: { kind: "set", path: "/a", value: "x" }, result: { ok: true } },
 *   { client: 2, call: 20, ret: 30, op: { kind: "get", path: "/a" }, result: { value: "x", version: 1 } },
 * ], new Map([["/a", { value: "", version: 0 }]]));
 * console.log(describeResult(result)); // "linearizable: 2 ops on 1 znode"
 * ```
 * @module
 */

/** What one client asked for. `version` -1 means any version, as ZooKeeper's API. */
export type ZnodeOp =
  | { kind: "get"; path: string }
  | { kind: "set"; path: string; value: string; version?: number }
  | { kind: "create"; path: string; value: string }
  | { kind: "delete"; path: string; version?: number };

/** The server's answer: a read's data, a write's success (with the new version, if known), or an error. */
export type ZnodeResult =
  | { value: string; version: number }
  | { ok: true; version?: number }
  | { error: "NoNode" | "NodeExists" | "BadVersion" };

/** One operation of a history: call and return times on one clock; `ret` undefined when unknown. */
export interface HistoryOp {
  client: number;
  call: number;
  /** When the answer arrived; undefined if it never did (the op may or may not have happened). */
  ret?: number;
  op: ZnodeOp;
  /** Undefined exactly when `ret` is: the outcome is unknown. */
  result?: ZnodeResult;
}

/** A znode's state in the model: absent (null) or its data and version. */
export type Znode = { value: string; version: number } | null;

/** The checker's verdict. */
export type CheckResult =
  | { ok: true; ops: number; paths: number }
  | { ok: false; path: string; counterexample: Counterexample };

/** Where the search got stuck on one znode. */
export interface Counterexample {
  /** The state before `window`'s first op, in the deepest linearization the search found. */
  before: Znode;
  /** That linearization's last ops (up to 8), in the order it placed them. */
  prefix: HistoryOp[];
  /** The ops that no order could place next: the pending ones when `stuck` had to return. */
  window: HistoryOp[];
  /** The op whose return came with no way to place it. */
  stuck: HistoryOp;
}

/**
 * Applies `op` to `state`; returns the new state if `result` is what the model answers (any
 * result is accepted when it is unknown), else undefined.
 */
export function stepZnode(state: Znode, op: ZnodeOp, result?: ZnodeResult): Znode | undefined {
  let answer: ZnodeResult;
  let next: Znode = state;
  const v = op.kind === "set" || op.kind === "delete" ? op.version ?? -1 : -1;
  if (op.kind === "get") {
    answer = state ? { value: state.value, version: state.version } : { error: "NoNode" };
  } else if (op.kind === "create") {
    answer = state ? { error: "NodeExists" } : { ok: true, version: 0 };
    if (!state) next = { value: op.value, version: 0 };
  } else if (!state) {
    answer = { error: "NoNode" };
  } else if (v !== -1 && v !== state.version) {
    answer = { error: "BadVersion" };
  } else if (op.kind === "set") {
    next = { value: op.value, version: state.version + 1 };
    answer = { ok: true, version: next.version };
  } else {
    next = null;
    answer = { ok: true };
  }
  if (result === undefined) return next;
  return sameResult(answer, result) ? next : undefined;
}

function sameResult(model: ZnodeResult, seen: ZnodeResult): boolean {
  if ("error" in seen) return "error" in model && model.error === seen.error;
  if ("ok" in seen) {
    return "ok" in model && (seen.version === undefined || seen.version === model.version);
  }
  return "value" in model && model.value === seen.value && model.version === seen.version;
}

/**
 * Checks a whole history: each znode's ops separately, starting from `initial` (a path not in
 * it starts absent). Returns the first znode's counterexample found, or ok. Throws when the
 * search of one znode visits more than `budget` configurations without a verdict (refuting a
 * history explores all of it; many concurrent timed-out writes make that large).
 */
export function checkHistory(
  history: readonly HistoryOp[],
  initial: ReadonlyMap<string, Znode> = new Map(),
  budget = 2_000_000,
): CheckResult {
  const byPath = new Map<string, HistoryOp[]>();
  for (const h of history) {
    if ((h.ret === undefined) !== (h.result === undefined)) {
      throw new Error(`op ${describeOp(h)}: a return time needs a result, and only then`);
    }
    if (h.ret !== undefined && h.ret < h.call) {
      throw new Error(`op ${describeOp(h)} returns before its call`);
    }
    const list = byPath.get(h.op.path) ?? [];
    list.push(h);
    byPath.set(h.op.path, list);
  }
  for (const [path, ops] of [...byPath].sort(([a], [b]) => a < b ? -1 : 1)) {
    let c: Counterexample | undefined;
    try {
      c = checkZnode(ops, initial.get(path) ?? null, budget);
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message} (${ops.length} ops)`);
    }
    if (c) return { ok: false, path, counterexample: c };
  }
  return { ok: true, ops: history.length, paths: byPath.size };
}

/** One call or return in the doubly-linked list the search lifts ops out of. */
interface Entry {
  id: number;
  isCall: boolean;
  match: Entry | null; // a call's return entry (null for an unknown outcome)
  prev: Entry | null;
  next: Entry | null;
}

function buildList(ops: readonly HistoryOp[]): Entry {
  const events: { t: number; call: boolean; id: number }[] = [];
  ops.forEach((h, id) => {
    events.push({ t: h.call, call: true, id });
    if (h.ret !== undefined) events.push({ t: h.ret, call: false, id });
  });
  // At equal times calls go first: touching intervals count as overlapping (the lenient
  // reading, since two clocks reads at one instant say nothing about order).
  events.sort((a, b) => a.t - b.t || (a.call === b.call ? a.id - b.id : a.call ? -1 : 1));
  const head: Entry = { id: -1, isCall: false, match: null, prev: null, next: null };
  const calls = new Map<number, Entry>();
  let tail = head;
  for (const e of events) {
    const entry: Entry = { id: e.id, isCall: e.call, match: null, prev: tail, next: null };
    tail.next = entry;
    tail = entry;
    if (e.call) calls.set(e.id, entry);
    else calls.get(e.id)!.match = entry;
  }
  return head;
}

function lift(call: Entry): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.match;
  if (ret) {
    ret.prev!.next = ret.next;
    if (ret.next) ret.next.prev = ret.prev;
  }
}

function unlift(call: Entry): void {
  const ret = call.match;
  if (ret) {
    ret.prev!.next = ret;
    if (ret.next) ret.next.prev = ret;
  }
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}

/**
 * The ops placed so far, as two bitsets (ops with a known outcome, ops with an unknown one), and
 * the configurations already visited. Every visited configuration that is not an ancestor of the
 * current one has failed, and one (known, unknown, state) is as good as failed when a visited
 * (known, unknown', state) has unknown' ⊆ unknown: the ops still free are the same known ones and
 * fewer optional ones, and unknown ops have no return to constrain anyone. Keying the cache on
 * the full set (as Porcupine does) instead makes a refutation exponential in the unknown ops
 * seen: 800 ops with 40 unknown ran out of memory.
 *
 * Two more reductions, both for data no read ever returned (call such a value unseen):
 * - states are keyed with an unseen value as "*": no op's outcome can tell two unseen values
 *   apart (only a read looks at data, and no read returned either), so their futures are equal;
 * - unknown unconditional sets of unseen values are interchangeable but for their call times:
 *   any linearization that uses some of them can use as many of the earliest-called instead (the
 *   k-th of the chosen, by position, is called no earlier than the k-th earliest of all), so
 *   they are placed only in call order. Without this, timed-out writes nobody read multiply the
 *   configurations by the ways of choosing which of them happened.
 */
const DOMINANCE_SCAN = 8;

class Placed {
  readonly #known: Uint32Array;
  readonly #unknown: Uint32Array;
  /** Per op: its bit's index in its set, negative (−1 − index) for unknown ones. */
  readonly #slot: Int32Array;
  readonly #failed = new Map<string, Uint32Array[]>();
  readonly #exact = new Set<string>();
  readonly #seenValues = new Set<string>();
  /** Per op: its place in call order among the interchangeable unknown sets, else −1. */
  readonly #rank: Int32Array;
  #ranksPlaced = 0;
  /** Configurations visited, against `budget`. */
  count = 0;

  constructor(ops: readonly HistoryOp[], readonly budget: number) {
    for (const h of ops) if (h.result && "value" in h.result) this.#seenValues.add(h.result.value);
    this.#rank = new Int32Array(ops.length).fill(-1);
    const swappable = ops.map((h, i) => ({ h, i })).filter(({ h }) =>
      h.ret === undefined && h.op.kind === "set" && (h.op.version ?? -1) === -1 &&
      !this.#seenValues.has(h.op.value)
    ).sort((a, b) => a.h.call - b.h.call || a.i - b.i);
    swappable.forEach(({ i }, r) => this.#rank[i] = r);
    this.#slot = new Int32Array(ops.length);
    let k = 0;
    let u = 0;
    ops.forEach((h, i) => this.#slot[i] = h.ret === undefined ? -1 - u++ : k++);
    this.#known = new Uint32Array((k + 31) >>> 5);
    this.#unknown = new Uint32Array((u + 31) >>> 5);
  }

  /** False for an interchangeable unknown set while an earlier-called one is not placed. */
  mayPlace(id: number): boolean {
    const r = this.#rank[id];
    return r < 0 || r === this.#ranksPlaced;
  }

  flip(id: number): void {
    const r = this.#rank[id];
    if (r >= 0) this.#ranksPlaced += r === this.#ranksPlaced ? 1 : -1;
    const s = this.#slot[id];
    const bits = s < 0 ? this.#unknown : this.#known;
    const i = s < 0 ? -1 - s : s;
    bits[i >>> 5] ^= 1 << (i & 31);
  }

  /** Records the current set with `state`; false if it was visited, or a better one failed. */
  visit(state: Znode): boolean {
    if (++this.count > this.budget) {
      throw new Error(`undecided: the search visited ${this.budget} configurations`);
    }
    const key = this.#key(state);
    const u = this.#unknown;
    const exact = `${key}|${u.join(",")}`;
    if (this.#exact.has(exact)) return false;
    this.#exact.add(exact);
    const failed = this.#failed.get(key);
    // Against the latest few failures only: any subset of the test is sound, and the whole
    // list costs more than it saves on histories that are linearizable.
    for (let j = (failed?.length ?? 0) - 1; j >= 0 && j >= failed!.length - DOMINANCE_SCAN; j--) {
      if (failed![j].every((w, i) => (w & ~u[i]) === 0)) return false;
    }
    return true;
  }

  /**
   * Marks the current configuration failed (the search backtracks out of it). Only failures
   * dominate: an ancestor still being searched would be explored again, only later.
   */
  fail(state: Znode): void {
    const key = this.#key(state);
    const list = this.#failed.get(key);
    if (list) list.push(this.#unknown.slice());
    else this.#failed.set(key, [this.#unknown.slice()]);
  }

  /** Whether two states are the same to every op left (see the class comment). */
  same(a: Znode, b: Znode): boolean {
    return this.#data(a) === this.#data(b);
  }

  #data(state: Znode): string {
    return state === null
      ? "-"
      : `${state.version}${this.#seenValues.has(state.value) ? `=${state.value}` : "*"}`;
  }

  #key(state: Znode): string {
    return `${this.#known.join(",")}|${this.#data(state)}`;
  }
}

/** The search for one znode; undefined when linearizable. */
function checkZnode(
  ops: readonly HistoryOp[],
  initial: Znode,
  budget: number,
): Counterexample | undefined {
  const head = buildList(ops);
  const placed = new Placed(ops, budget);
  const stack: { call: Entry; state: Znode }[] = [];
  let state = initial;
  let entry = head.next;
  let failed = false;
  let deepest: { order: number[]; stuck: number; pending: number[]; before: Znode } | undefined;
  // The end of the list reached with entries left means only unknown-outcome calls remain (a
  // known call's return would have come first): they go last, or never, so the rest fits.
  while (head.next !== null && entry !== null) {
    if (entry.isCall) {
      let next = placed.mayPlace(entry.id)
        ? stepZnode(state, ops[entry.id].op, ops[entry.id].result)
        : undefined;
      // An unknown op that changes nothing (a set with a stale version) is better left out.
      if (next !== undefined && ops[entry.id].ret === undefined && placed.same(next, state)) {
        next = undefined;
      }
      if (next !== undefined) {
        placed.flip(entry.id);
        if (placed.visit(next)) {
          stack.push({ call: entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        placed.flip(entry.id);
      }
      entry = entry.next;
    } else {
      if (!deepest || stack.length > deepest.order.length) {
        const pending: number[] = [];
        for (let e: Entry | null = head.next; e && e !== entry; e = e.next) {
          if (e.isCall) pending.push(e.id);
        }
        deepest = { order: stack.map((s) => s.call.id), stuck: entry.id, pending, before: state };
      }
      const top = stack.pop();
      if (!top) {
        failed = true;
        break;
      }
      placed.fail(state);
      placed.flip(top.call.id);
      state = top.state;
      unlift(top.call);
      entry = top.call.next;
    }
  }
  if (!failed) return undefined;
  const d = deepest!;
  // The state the deepest linearization had before its last 8 ops, replayed from the start.
  const shown = d.order.slice(-8);
  let before = initial;
  for (const id of d.order.slice(0, d.order.length - shown.length)) {
    before = stepZnode(before, ops[id].op, ops[id].result) ?? before;
  }
  return {
    before,
    prefix: shown.map((id) => ops[id]),
    window: d.pending.map((id) => ops[id]),
    stuck: ops[d.stuck],
  };
}

/** An op as one line: `c2 [12.0, 30.5] set /a "x" v3 → ok v4`. */
export function describeOp(h: HistoryOp): string {
  const o = h.op;
  const args = o.kind === "get"
    ? ""
    : o.kind === "delete"
    ? ` v${o.version ?? -1}`
    : ` ${JSON.stringify(o.value)}${o.kind === "set" ? ` v${o.version ?? -1}` : ""}`;
  const ret = h.ret === undefined ? "?" : h.ret.toFixed(1);
  const r = h.result;
  const res = r === undefined
    ? "unknown"
    : "error" in r
    ? r.error
    : "ok" in r
    ? `ok${r.version === undefined ? "" : ` v${r.version}`}`
    : `${JSON.stringify(r.value)} v${r.version}`;
  return `c${h.client} [${h.call.toFixed(1)}, ${ret}] ${o.kind} ${o.path}${args} → ${res}`;
}

/** The verdict as text: a one-line ok, or the counterexample laid out for a reader. */
export function describeResult(r: CheckResult): string {
  if (r.ok) return `linearizable: ${r.ops} ops on ${r.paths} znode${r.paths === 1 ? "" : "s"}`;
  const c = r.counterexample;
  const lines = [
    `not linearizable on ${r.path}`,
    `  from state ${
      c.before ? `${JSON.stringify(c.before.value)} v${c.before.version}` : "absent"
    }` +
    `, the deepest linearization placed:`,
    ...c.prefix.map((h) => `    ${describeOp(h)}`),
    `  then none of these could go next:`,
    ...c.window.map((h) => `    ${describeOp(h)}${h === c.stuck ? "   <- returned unplaced" : ""}`),
  ];
  return lines.join("\n");
}
