// The linearizability checker: hand-made histories that are and are not linearizable, then
// random ones: histories cut from a sequential run (each op's interval around its point in the
// run) are always accepted; with one read's answer changed, the verdict matches a brute-force
// search over every order the real-time constraints allow.
import assert from "node:assert/strict";
import { SeededRandom } from "../../internal/seeded_random.ts";
import {
  checkHistory,
  describeResult,
  type HistoryOp,
  stepZnode,
  type Znode,
  type ZnodeOp,
} from "./linearizability.ts";

const A = new Map<string, Znode>([["/a", { value: "", version: 0 }]]);

function op(
  client: number,
  call: number,
  ret: number | undefined,
  o: ZnodeOp,
  result?: HistoryOp["result"],
): HistoryOp {
  return ret === undefined ? { client, call, op: o } : { client, call, ret, op: o, result };
}
const get = (path = "/a"): ZnodeOp => ({ kind: "get", path });
const set = (value: string, version?: number, path = "/a"): ZnodeOp => ({
  kind: "set",
  path,
  value,
  version,
});

function verdict(h: HistoryOp[], init = A): boolean {
  return checkHistory(h, init).ok;
}

Deno.test("linearizability: a read concurrent with a write may see either value", () => {
  for (const seen of [{ value: "", version: 0 }, { value: "x", version: 1 }]) {
    assert(verdict([op(1, 0, 20, set("x"), { ok: true }), op(2, 5, 15, get(), seen)]));
  }
});

Deno.test("linearizability: a stale read after a completed write is rejected", () => {
  const h = [
    op(1, 0, 10, set("x"), { ok: true, version: 1 }),
    op(2, 20, 30, get(), { value: "", version: 0 }),
  ];
  const r = checkHistory(h, A);
  assert(!r.ok);
  const text = describeResult(r);
  assert.match(text, /not linearizable on \/a/);
  assert.match(text, /c2 \[20\.0, 30\.0\] get \/a → "" v0 {3}<- returned unplaced/);
});

Deno.test("linearizability: a lost acknowledged write is rejected", () => {
  // x was acknowledged, then y's set reports version 1 and a read sees y at version 1: x is gone.
  const h = [
    op(1, 0, 10, set("x"), { ok: true }),
    op(2, 20, 30, set("y"), { ok: true }),
    op(3, 40, 50, get(), { value: "y", version: 1 }),
  ];
  assert(!verdict(h));
  h[2].result = { value: "y", version: 2 };
  assert(verdict(h));
  // A create acknowledged, then a read finds no node.
  const created = [
    op(1, 0, 10, { kind: "create", path: "/b", value: "c" }, { ok: true }),
    op(2, 20, 30, get("/b"), { error: "NoNode" }),
  ];
  assert(!verdict(created));
});

Deno.test("linearizability: two version-checked writes from one version cannot both succeed", () => {
  const h = [
    op(1, 0, 10, set("x", 0), { ok: true }),
    op(2, 5, 15, set("y", 0), { ok: true }),
  ];
  assert(!verdict(h));
  h[1].result = { error: "BadVersion" };
  assert(verdict(h));
  // Two creates of one path, both ok: the same race.
  const c = (v: string): ZnodeOp => ({ kind: "create", path: "/b", value: v });
  assert(!verdict([op(1, 0, 10, c("1"), { ok: true }), op(2, 0, 10, c("2"), { ok: true })]));
  assert(
    verdict([op(1, 0, 10, c("1"), { ok: true }), op(2, 0, 10, c("2"), { error: "NodeExists" })]),
  );
});

Deno.test("linearizability: a timed-out write may or may not have happened, but not both", () => {
  const lost = op(1, 0, undefined, set("x"));
  const old = { value: "", version: 0 };
  const now = { value: "x", version: 1 };
  assert(verdict([lost, op(2, 20, 30, get(), now)]), "it happened");
  assert(verdict([lost, op(2, 20, 30, get(), old)]), "it did not (yet)");
  assert(verdict([lost, op(2, 20, 30, get(), old), op(2, 40, 50, get(), now)]), "it came late");
  assert(!verdict([lost, op(2, 20, 30, get(), now), op(2, 40, 50, get(), old)]), "it unhappened");
  // Not before its call.
  assert(!verdict([op(2, 0, 10, get(), now), op(1, 20, undefined, set("x"))]));
  // A timed-out delete with a version, then a read: either way.
  const del = op(1, 0, undefined, { kind: "delete", path: "/a", version: 0 });
  assert(verdict([del, op(2, 20, 30, get(), { error: "NoNode" })]));
  assert(verdict([del, op(2, 20, 30, get(), old)]));
});

Deno.test("linearizability: bad input is refused with the op", () => {
  assert.throws(
    () => checkHistory([{ client: 1, call: 10, ret: 5, op: get(), result: { error: "NoNode" } }]),
    /c1 \[10\.0, 5\.0\] get \/a → NoNode returns before its call/,
  );
  assert.throws(() =>
    checkHistory([{ client: 1, call: 1, op: get(), result: { error: "NoNode" } }])
  );
});

const PATHS = ["/a", "/b"];

/** A random op against `state` (biased towards versions that match, so writes succeed). */
function randomOp(rng: SeededRandom, path: string, state: Znode, n: number): ZnodeOp {
  const version = () =>
    rng.chance(0.5) ? -1 : rng.chance(0.7) ? state?.version ?? 0 : rng.int(0, 3);
  switch (rng.int(0, 5)) {
    case 0:
    case 1:
      return { kind: "get", path };
    case 2:
      return { kind: "set", path, value: `v${n}`, version: -1 };
    case 3:
      return { kind: "set", path, value: `v${n}`, version: version() };
    case 4:
      return { kind: "create", path, value: `v${n}` };
    default:
      return { kind: "delete", path, version: version() };
  }
}

/**
 * A history from a sequential run: op i takes effect at time 10·i inside its interval; some
 * ops time out (unknown), of which some never took effect.
 */
function sequential(rng: SeededRandom, n: number, spread: number, unknown = 0.1): HistoryOp[] {
  const states = new Map<string, Znode>(A);
  const out: HistoryOp[] = [];
  for (let i = 0; i < n; i++) {
    const path = rng.pick(PATHS);
    const state = states.get(path) ?? null;
    const o = randomOp(rng, path, state, i);
    const at = 10 * i;
    const call = at - rng.int(0, spread);
    if (o.kind !== "get" && rng.chance(unknown)) {
      if (rng.chance(0.5)) states.set(path, stepZnode(state, o)!);
      out.push({ client: rng.int(1, 5), call, op: o });
      continue;
    }
    const result = answer(state, o);
    states.set(path, stepZnode(state, o)!);
    out.push({ client: rng.int(1, 5), call, ret: at + rng.int(0, spread), op: o, result });
  }
  return out;
}

function answer(state: Znode, o: ZnodeOp): HistoryOp["result"] {
  if (o.kind === "get") return state ? { ...state } : { error: "NoNode" };
  if (!state) return o.kind === "create" ? { ok: true, version: 0 } : { error: "NoNode" };
  if (o.kind === "create") return { error: "NodeExists" };
  const v = o.version ?? -1;
  if (v !== -1 && v !== state.version) return { error: "BadVersion" };
  return o.kind === "set" ? { ok: true, version: state.version + 1 } : { ok: true };
}

/** Every order that respects real time, tried one by one: the oracle for small histories. */
function bruteForce(h: HistoryOp[], init: ReadonlyMap<string, Znode>): boolean {
  const placed = new Array(h.length).fill(false);
  const states = new Map(init);
  const go = (left: number): boolean => {
    if (h.every((x, i) => placed[i] || x.ret === undefined)) return true;
    for (let i = 0; i < h.length; i++) {
      if (placed[i]) continue;
      // i can go next only if no unplaced op returned before i was called.
      if (h.some((y, j) => !placed[j] && y.ret !== undefined && y.ret < h[i].call)) continue;
      const before = states.get(h[i].op.path) ?? null;
      const next = stepZnode(before, h[i].op, h[i].result);
      if (next === undefined) continue;
      placed[i] = true;
      states.set(h[i].op.path, next);
      if (go(left - 1)) return true;
      placed[i] = false;
      states.set(h[i].op.path, before);
    }
    return false;
  };
  return go(h.length);
}

Deno.test("linearizability: histories cut from a sequential run are accepted", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rng = new SeededRandom(seed);
    const h = sequential(rng, rng.int(1, 60), rng.int(0, 60));
    const r = checkHistory(h, A);
    assert(r.ok, `seed ${seed}: ${describeResult(r)}`);
  }
});

Deno.test("linearizability: one read's answer changed: rejected exactly when it should be", () => {
  let rejected = 0;
  let tried = 0;
  for (let seed = 1; seed <= 1000; seed++) {
    const rng = new SeededRandom(seed);
    const h = sequential(rng, rng.int(2, 8), rng.int(0, 25), seed % 2 ? 0.1 : 0.4);
    const reads = h.filter((x) => x.op.kind === "get" && x.result);
    if (reads.length === 0) continue;
    const read = rng.pick(reads);
    const written = h.flatMap((x) => "value" in x.op ? [x.op.value] : []);
    read.result = rng.chance(0.2)
      ? { error: "NoNode" }
      : { value: rng.pick(["", ...written]), version: rng.int(0, 3) };
    tried++;
    const want = bruteForce(h, A);
    const got = checkHistory(h, A);
    assert.equal(got.ok, want, `seed ${seed}: ${describeResult(got)}\n${JSON.stringify(h)}`);
    if (!want) rejected++;
  }
  // The mutations must mostly break the history, or this test says little.
  assert(rejected > tried / 3, `only ${rejected} of ${tried} mutated histories were rejected`);
});

Deno.test("linearizability: a read of a value never written is always rejected", () => {
  // Refuting takes the whole search (~50 ms for 200 ops here): a few dozen seeds.
  for (let seed = 1; seed <= 30; seed++) {
    const rng = new SeededRandom(seed);
    const h = sequential(rng, 200, 80);
    const read = rng.pick(h.filter((x) => x.op.kind === "get" && x.result));
    read.result = { value: "never", version: 1 };
    assert(!checkHistory(h, A).ok, `seed ${seed}`);
  }
});

Deno.test("linearizability: 4000 ops with wide overlaps are checked in well under a second", () => {
  const rng = new SeededRandom(42);
  const h = sequential(rng, 4000, 50);
  const t0 = performance.now();
  const r = checkHistory(h, A);
  const ms = performance.now() - t0;
  assert(r.ok, describeResult(r));
  assert(ms < 2000, `took ${ms.toFixed(0)} ms`);
  console.log(`4000 ops, intervals up to 10 ops wide: ${ms.toFixed(0)} ms`);
});

/**
 * A history as real clients make one: `clients` clients each doing one op at a time on `paths`,
 * each op taking effect at a random instant of its interval; a write times out now and then
 * (taking effect, or not).
 */
function fromClients(
  rng: SeededRandom,
  clients: number,
  perClient: number,
  unknown: number,
): HistoryOp[] {
  const planned: { client: number; call: number; ret: number; at: number }[] = [];
  for (let c = 1; c <= clients; c++) {
    let t = rng.int(0, 5);
    for (let i = 0; i < perClient; i++) {
      const call = t;
      const ret = call + rng.int(1, 20);
      planned.push({ client: c, call, ret, at: rng.int(call, ret) });
      t = ret + rng.int(0, 3);
    }
  }
  planned.sort((a, b) => a.at - b.at);
  const states = new Map<string, Znode>(A);
  return planned.map((p, n) => {
    const path = rng.pick(PATHS);
    const state = states.get(path) ?? null;
    const o = randomOp(rng, path, state, n);
    if (o.kind !== "get" && rng.chance(unknown)) {
      if (rng.chance(0.5)) states.set(path, stepZnode(state, o)!);
      return { client: p.client, call: p.call, op: o };
    }
    states.set(path, stepZnode(state, o)!);
    return { client: p.client, call: p.call, ret: p.ret, op: o, result: answer(state, o) };
  });
}

Deno.test("linearizability: 4000 ops from 4 clients are checked, and refuted, fast", () => {
  const rng = new SeededRandom(7);
  // Timed-out writes at 0.5% (the live test sees ~0.1%). Each one stays pending to the end, and
  // refuting a late read searches every choice of them: at 3% this takes past the budget.
  const h = fromClients(rng, 4, 1000, 0.005);
  let t0 = performance.now();
  const r = checkHistory(h, A);
  const okMs = performance.now() - t0;
  assert(r.ok, describeResult(r));
  // The last read that saw a value some write had set before: made to see the initial data.
  const reads = h.filter((x) => x.op.kind === "get" && x.result && "value" in x.result);
  const late = reads.findLast((x) => x.result && "value" in x.result && x.result.version > 0)!;
  late.result = { value: "", version: 0 };
  t0 = performance.now();
  const bad = checkHistory(h, A);
  const badMs = performance.now() - t0;
  assert(!bad.ok);
  assert(okMs < 5000 && badMs < 5000, `${okMs.toFixed(0)} ms, ${badMs.toFixed(0)} ms`);
  console.log(
    `4000 ops, 4 clients: accepted in ${okMs.toFixed(0)} ms, refuted in ${badMs.toFixed(0)} ms`,
  );
});

Deno.test("linearizability: a search past its budget says so instead of guessing", () => {
  const rng = new SeededRandom(3);
  const h = sequential(rng, 1000, 400, 0);
  assert.throws(
    () => checkHistory(h, A, 1000),
    /^Error: \/[ab]: undecided: the search visited 1000 configurations \(\d+ ops\)$/,
  );
});
