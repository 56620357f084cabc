/**
 * The machine's own limits, measured in the same run as the brokers (and with no broker running),
 * so each Kafka figure can be read against what the disk and the loopback could carry at best:
 * sequential writes to a temp file with an fdatasync after every 1 KiB (what
 * log.flush.interval.messages=1 asks of a broker) and in 1 MiB writes with no fsync (what a broker
 * writing to the page cache sees), and a TCP copy between two Deno threads over 127.0.0.1.
 *
 * MB here is 1024 × 1024 bytes, as in Kafka's perf tools.
 */

const MIB = 1024 * 1024;

/** What one measurement found. */
export interface MachineLimits {
  /** 1 KiB writes, each followed by fdatasync: writes per second and MB/s. */
  fsyncWritesPerSec: number;
  fsyncMbPerSec: number;
  /** 1 MiB writes into the page cache, no fsync. */
  writeMbPerSec: number;
  /** The fdatasync after those writes, in seconds (the disk catching up). */
  writeFlushSeconds: number;
  /** Bytes read per second by one Deno thread from another over 127.0.0.1. */
  loopbackMbPerSec: number;
}

/** How long / how much each measurement runs. */
export interface MachinePlan {
  fsyncMs: number;
  writeMiB: number;
  loopbackMiB: number;
}

/** 1 KiB writes each followed by fdatasync, for `ms`, in a file under `dir`. */
async function fsyncRate(dir: string, ms: number): Promise<{ perSec: number; mbPerSec: number }> {
  const path = `${dir}/fsync.bin`;
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const block = new Uint8Array(1024).fill(7);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let off = 0; off < block.length;) off += await f.write(block.subarray(off));
      await f.syncData();
      n++;
    }
    const secs = (performance.now() - t0) / 1000;
    return { perSec: n / secs, mbPerSec: (n * 1024) / MIB / secs };
  } finally {
    f.close();
    await Deno.remove(path).catch(() => {});
  }
}

/** `mib` MiB in 1 MiB writes, then one fdatasync timed separately. */
async function writeRate(dir: string, mib: number): Promise<{ mbPerSec: number; flush: number }> {
  const path = `${dir}/seq.bin`;
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const block = new Uint8Array(MIB).fill(9);
    const t0 = performance.now();
    for (let i = 0; i < mib; i++) {
      for (let off = 0; off < block.length;) off += await f.write(block.subarray(off));
    }
    const t1 = performance.now();
    await f.syncData();
    const t2 = performance.now();
    return { mbPerSec: mib / ((t1 - t0) / 1000), flush: (t2 - t1) / 1000 };
  } finally {
    f.close();
    await Deno.remove(path).catch(() => {});
  }
}

/**
 * A worker thread connects to `port` and writes `mib` MiB in 1 MiB writes; this thread reads it
 * all. The rate is from the first byte read to the last.
 */
async function loopbackRate(mib: number): Promise<number> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const worker = new Worker(new URL("./loopback_sender.ts", import.meta.url).href, {
    type: "module",
  });
  try {
    const sent = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`loopback sender: ${e.message}`));
      };
    });
    worker.postMessage({ port, mib });
    const conn = await listener.accept();
    const buf = new Uint8Array(MIB);
    const total = mib * MIB;
    let got = 0;
    let t0 = 0;
    while (got < total) {
      const n = await conn.read(buf);
      if (n === null) break;
      if (got === 0) t0 = performance.now();
      got += n;
    }
    const secs = (performance.now() - t0) / 1000;
    conn.close();
    await sent;
    if (got < total) throw new Error(`loopback: ${got} of ${total} bytes arrived`);
    return got / MIB / secs;
  } finally {
    worker.terminate();
    listener.close();
  }
}

/**
 * Measures the three limits in a fresh temp dir (under $TMPDIR, where the brokers' log dirs go).
 *
 * @example
 * ```ts
 * const m = await measureMachine({ fsyncMs: 3000, writeMiB: 1024, loopbackMiB: 4096 });
 * console.log(m.fsyncWritesPerSec, m.writeMbPerSec, m.loopbackMbPerSec);
 * ```
 */
export async function measureMachine(plan: MachinePlan): Promise<MachineLimits> {
  const dir = await Deno.makeTempDir({ prefix: "herd-bench-machine-" });
  try {
    const fsync = await fsyncRate(dir, plan.fsyncMs);
    const write = await writeRate(dir, plan.writeMiB);
    const loopbackMbPerSec = await loopbackRate(plan.loopbackMiB);
    return {
      fsyncWritesPerSec: fsync.perSec,
      fsyncMbPerSec: fsync.mbPerSec,
      writeMbPerSec: write.mbPerSec,
      writeFlushSeconds: write.flush,
      loopbackMbPerSec,
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
