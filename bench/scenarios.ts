/**
 * The figures that are not a plain pipelined load: watch fan-out latency, session creation rate
 * and resident memory with many znodes.
 */
import { Histogram } from "./hist.ts";
import { nowMs, runLoad } from "./load.ts";
import { fourLetter, type Target } from "./targets.ts";
import { createFrame, getDataFrame, Session, setDataFrame, writeAll } from "./wire.ts";

const NODEEXISTS = -110;

/** Creates each path (ignoring ones that exist) with `dataSize` bytes of data. */
export async function ensureNodes(port: number, paths: string[], dataSize = 0): Promise<void> {
  const s = await Session.open(port);
  try {
    let xid = 1;
    for (const p of paths) {
      const err = await s.call(createFrame(xid++, p, new Uint8Array(dataSize).fill(0x62)));
      if (err !== 0 && err !== NODEEXISTS) throw new Error(`create ${p} failed: err ${err}`);
    }
  } finally {
    await s.close();
  }
}

/** Opens `n` sessions, at most `parallel` handshakes at a time (a burst would overflow backlogs). */
async function openMany(port: number, n: number, parallel = 50): Promise<Session[]> {
  const out: Session[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < n) {
      next++;
      out.push(await Session.open(port));
    }
  }));
  return out;
}

/**
 * Watch fan-out: `watchers` sessions each set a data watch on one znode, one more session sets
 * its data, and the time from sending that setData to each watcher reading its notification is
 * recorded. Repeated for `rounds` rounds, re-arming every watch each round, after `warmupRounds`
 * that are not recorded (as every other figure has a warm-up: the first rounds on a fresh server
 * time its JIT compiling the notification path, not the path itself).
 */
export async function watchFanout(
  port: number,
  path: string,
  watchers: number,
  rounds: number,
  warmupRounds = 0,
): Promise<Histogram> {
  await ensureNodes(port, [path], 16);
  const writer = await Session.open(port);
  const sessions = await openMany(port, watchers);
  const hist = new Histogram();
  const data = new Uint8Array(16);
  try {
    for (let round = 1; round <= warmupRounds + rounds; round++) {
      const recorded = round > warmupRounds;
      let armed = 0;
      let sentAt = 0;
      let allArmed = () => {};
      const ready = new Promise<void>((r) => allArmed = r);
      const notified = Promise.all(sessions.map(async (s) => {
        const err = await s.call(getDataFrame(round, path, true));
        if (err !== 0) throw new Error(`getData with watch failed: err ${err}`);
        if (++armed === watchers) allArmed();
        await s.until(-1);
        if (recorded) hist.record((nowMs() - sentAt) * 1000);
      }));
      await Promise.race([ready, notified]);
      sentAt = nowMs();
      await writeAll(writer.conn, setDataFrame(round, path, data));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("watch notifications missing after 30 s")),
          30000,
        );
      });
      await Promise.race([notified, late]).finally(() => clearTimeout(timer));
      const err = await writer.until(round);
      if (err !== 0) throw new Error(`setData failed: err ${err}`);
    }
  } finally {
    await Promise.all([writer, ...sessions].map((s) => s.close()));
  }
  return hist;
}

/** Session churn: sessions opened and closed per second, and each cycle's latency. */
export interface SessionRate {
  perSecond: number;
  hist: Histogram;
}

/**
 * Session creation rate: `parallel` loops each connect, handshake, send closeSession and wait for
 * the server to hang up, over and over. Cycles finishing in the measured window are counted.
 */
export async function sessionRate(
  port: number,
  parallel: number,
  warmupMs: number,
  durationMs: number,
): Promise<SessionRate> {
  const start = nowMs() + warmupMs;
  const end = start + durationMs;
  const hist = new Histogram();
  let done = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (nowMs() < end) {
      const t0 = nowMs();
      const s = await Session.open(port, 30000, 4096);
      await s.close();
      const t1 = nowMs();
      if (t1 >= start && t1 < end) {
        done++;
        hist.record((t1 - t0) * 1000);
      }
    }
  }));
  return { perSecond: done / (durationMs / 1000), hist };
}

/** Resident memory before and after filling the tree. */
export interface MemoryFigure {
  znodes: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  bytesPerZnode: number;
  /** `Node count` from srvr afterwards. */
  nodeCount: number;
  seconds: number;
}

/**
 * Creates `count` znodes of 16 bytes under `parents` parents with pipelined creates (16×64), then
 * reads the server's VmRSS. `progress` is told how many exist after each parent.
 */
export async function memoryFill(
  target: Target,
  count: number,
  parents: number,
  workers: number,
  progress: (created: number, seconds: number) => void,
): Promise<MemoryFigure> {
  const paths = Array.from({ length: parents }, (_, i) => `/m${i}`);
  await ensureNodes(target.port, paths);
  await new Promise((r) => setTimeout(r, 2000));
  const rssBeforeKb = await target.rssKb();
  const t0 = nowMs();
  let created = 0;
  for (let i = 0; i < parents; i++) {
    const n = Math.floor(count / parents) + (i < count % parents ? 1 : 0);
    const r = await runLoad({
      port: target.port,
      workload: { op: "create", path: paths[i], dataSize: 16 },
      connections: 16,
      inFlight: 64,
      warmupMs: 0,
      durationMs: 0,
      totalOps: n,
      tag: "",
      workers,
    });
    if (r.errors > 0) throw new Error(`${r.errors} creates failed under ${paths[i]}`);
    created += r.ops;
    progress(created, (nowMs() - t0) / 1000);
  }
  const seconds = (nowMs() - t0) / 1000;
  // Let the last snapshot and collections settle before reading RSS.
  await new Promise((r) => setTimeout(r, 3000));
  const rssAfterKb = await target.rssKb();
  const m = /Node count: (\d+)/.exec(await fourLetter(target.port, "srvr"));
  return {
    znodes: created,
    rssBeforeKb,
    rssAfterKb,
    bytesPerZnode: ((rssAfterKb - rssBeforeKb) * 1024) / created,
    nodeCount: m ? Number(m[1]) : NaN,
    seconds,
  };
}
