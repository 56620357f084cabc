/**
 * The pipelined load generator: C sessions, each keeping K requests in flight. Every reply that
 * arrives frees a slot; all the requests of one refill go out in one socket write. Replies are
 * parsed in place (length, xid, err) and timed against a ring of send timestamps, since a session's
 * replies come back in request order. Sessions can be spread over Deno workers.
 */
import { Histogram } from "./hist.ts";
import { RequestEncoder, Session, type Workload, writeAll } from "./wire.ts";

/** One pipelined run. */
export interface LoadSpec {
  /** Server port on 127.0.0.1. */
  port: number;
  workload: Workload;
  /** Sessions (C). */
  connections: number;
  /** Requests in flight per session (K). */
  inFlight: number;
  /** Time before measuring starts. */
  warmupMs: number;
  /** Measured window. Ignored when `totalOps` is set. */
  durationMs: number;
  /** Send exactly this many requests in total, all measured (the memory fill). */
  totalOps?: number;
  /** Makes create paths unique across runs, e.g. `r3`. */
  tag: string;
  /** Deno workers to spread the sessions over; 0 runs them in this thread. */
  workers: number;
}

/** What one run measured. */
export interface LoadResult {
  /** Replies received in the measured window. */
  ops: number;
  /** Replies with a non-zero err. */
  errors: number;
  /** Replies that arrived after a reply to a later request of the same session. */
  reordered: number;
  /** Length of the measured window. */
  seconds: number;
  /** Per-request latency, µs. */
  hist: Histogram;
}

/** Wall-clock milliseconds comparable across workers. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The sessions of one thread: opened first, then driven over a window given by the caller. */
export class LocalRunner {
  private constructor(
    private readonly spec: LoadSpec,
    private readonly sessions: Session[],
    private readonly slice: number,
  ) {}

  /** Opens `count` sessions; `slice` tells this runner's create paths apart from others'. */
  static async open(spec: LoadSpec, count: number, slice: number): Promise<LocalRunner> {
    const sessions = await Promise.all(
      Array.from({ length: count }, () => Session.open(spec.port)),
    );
    return new LocalRunner(spec, sessions, slice);
  }

  /** Drives all sessions; replies arriving in [start, end) are measured, sending stops at end. */
  async run(start: number, end: number): Promise<LoadResult> {
    const hist = new Histogram();
    const tally: Tally = { ops: 0, errors: 0, reordered: 0, first: Infinity, last: 0 };
    const total = this.spec.totalOps;
    const n = this.sessions.length;
    // A server that stops answering would leave the run waiting forever: cut it off instead.
    const began = nowMs();
    let stalled = false;
    const watchdog = setInterval(() => {
      if (nowMs() - Math.max(began, tally.last) < STALL_MS) return;
      stalled = true;
      for (const s of this.sessions) s.abort();
    }, 1000);
    const driven = Promise.all(this.sessions.map((s, i) => {
      let quota = Infinity;
      if (total !== undefined) {
        const all = n * this.spec.workers || n;
        quota = Math.floor(total / all) + ((this.slice * n + i) < total % all ? 1 : 0);
      }
      const enc = new RequestEncoder(this.spec.workload, `${this.spec.tag}w${this.slice}c${i}-`);
      return drive(s, enc, this.spec.inFlight, quota, start, end, hist, tally);
    }));
    try {
      await driven;
    } catch (e) {
      throw stalled ? new Error(`no replies for ${STALL_MS / 1000} s: server stalled`) : e;
    } finally {
      clearInterval(watchdog);
    }
    await Promise.all(this.sessions.map((s) => s.close()));
    const seconds = total !== undefined ? (tally.last - tally.first) / 1000 : (end - start) / 1000;
    return { ops: tally.ops, errors: tally.errors, reordered: tally.reordered, seconds, hist };
  }
}

const STALL_MS = 30000;

interface Tally {
  ops: number;
  errors: number;
  reordered: number;
  first: number;
  last: number;
}

/** Send times by xid: a ring far wider than any K, so a reply overtaken by later ones still
 * finds its own timestamp. */
const RING = 1 << 16;

async function drive(
  s: Session,
  enc: RequestEncoder,
  k: number,
  quota: number,
  start: number,
  end: number,
  hist: Histogram,
  tally: Tally,
): Promise<void> {
  const out = new Uint8Array(enc.maxFrame * k);
  const outView = new DataView(out.buffer);
  const sentAt = new Float64Array(RING);
  let inFlight = 0;
  let xid = 1;
  let newest = 0;
  let seq = 0;
  const send = async (count: number) => {
    let off = 0;
    const now = nowMs();
    if (now < tally.first) tally.first = now;
    for (let i = 0; i < count; i++) {
      sentAt[xid & (RING - 1)] = now;
      off = enc.encode(out, outView, off, xid++, seq++);
      inFlight++;
    }
    await writeAll(s.conn, out.subarray(0, off));
  };
  await send(Math.min(k, quota));
  quota -= Math.min(k, quota);
  while (inFlight > 0) {
    if (!(await s.fill())) throw new Error("server closed the connection mid-run");
    const now = nowMs();
    const measuring = now >= start && now < end;
    const view = s.view;
    let off = 0;
    let replies = 0;
    while (s.have - off >= 4) {
      const len = view.getInt32(off);
      if (s.have - off - 4 < len) break;
      const rxid = view.getInt32(off + 4);
      if (rxid !== -1) {
        if (rxid <= 0 || rxid >= xid) throw new Error(`reply to xid ${rxid}, never sent`);
        // ZooKeeper answers a session's requests in order; count it when a server does not.
        if (rxid < newest) tally.reordered++;
        else newest = rxid;
        if (measuring) {
          hist.record((now - sentAt[rxid & (RING - 1)]) * 1000);
          tally.ops++;
          if (view.getInt32(off + 16) !== 0) tally.errors++;
        }
        inFlight--;
        replies++;
      }
      off += 4 + len;
    }
    if (off > 0) s.consume(off);
    if (replies > 0 && now > tally.last) tally.last = now;
    const refill = now >= end ? 0 : Math.min(replies, quota);
    if (refill > 0) {
      quota -= refill;
      await send(refill);
    }
  }
}

type ToWorker =
  | { type: "open"; spec: LoadSpec; count: number; slice: number }
  | { type: "run"; start: number; end: number };
type FromWorker =
  | { type: "ready" }
  | { type: "done"; result: Omit<LoadResult, "hist">; counts: Uint32Array }
  | { type: "error"; message: string };

/** Runs one pipelined load, in this thread or spread over `spec.workers` workers. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const timed = spec.totalOps === undefined;
  if (spec.workers <= 0) {
    const r = await LocalRunner.open(spec, spec.connections, 0);
    const start = timed ? nowMs() + spec.warmupMs : 0;
    return await r.run(start, timed ? start + spec.durationMs : Infinity);
  }
  const per = Math.ceil(spec.connections / spec.workers);
  const workers = Array.from(
    { length: spec.workers },
    () => new Worker(new URL("./load_worker.ts", import.meta.url).href, { type: "module" }),
  );
  const ask = (w: Worker, msg: ToWorker) =>
    new Promise<FromWorker>((resolve, reject) => {
      w.onmessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type === "error") reject(new Error(e.data.message));
        else resolve(e.data);
      };
      w.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message));
      };
      w.postMessage(msg);
    });
  try {
    const workerSpec = { ...spec, connections: per };
    await Promise.all(
      workers.map((w, i) => ask(w, { type: "open", spec: workerSpec, count: per, slice: i })),
    );
    const start = timed ? nowMs() + spec.warmupMs : 0;
    const end = timed ? start + spec.durationMs : Infinity;
    const done = await Promise.all(workers.map((w) => ask(w, { type: "run", start, end })));
    const hist = new Histogram();
    const sum = { ops: 0, errors: 0, reordered: 0, seconds: 0, hist };
    for (const d of done) {
      if (d.type !== "done") continue;
      sum.ops += d.result.ops;
      sum.errors += d.result.errors;
      sum.reordered += d.result.reordered;
      sum.seconds = Math.max(sum.seconds, d.result.seconds);
      hist.merge(Histogram.from(d.counts));
    }
    return sum;
  } finally {
    for (const w of workers) w.terminate();
  }
}

/** The worker side of `runLoad`: call from a worker's module scope. */
export function serveWorker(scope: {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(m: FromWorker): void;
}): void {
  let runner: LocalRunner | null = null;
  scope.onmessage = async (e) => {
    try {
      const m = e.data;
      if (m.type === "open") {
        runner = await LocalRunner.open(m.spec, m.count, m.slice);
        scope.postMessage({ type: "ready" });
      } else if (runner) {
        const { hist, ...result } = await runner.run(m.start, m.end);
        scope.postMessage({ type: "done", result, counts: hist.counts });
      }
    } catch (err) {
      scope.postMessage({ type: "error", message: String(err) });
    }
  };
}
