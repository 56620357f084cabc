/**
 * Crash rounds: clients write with many requests in flight while the server process is killed
 * with SIGKILL at random moments; after each restart every acknowledged write is present and no
 * multi is half-applied. Seeded and a fixed number of rounds (DECISIONS.md): HERD_CRASH_SEED replays.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { RawClient } from "./_raw_client.ts";
import { OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";
import type { Request } from "../jute/requests.ts";
import { mulberry32 } from "../persist/_fixtures_test.ts";

const ROUNDS = 6;
const CONNS = 4;
const BATCH = 32;
const main = fileURLToPath(new URL("../../tools/zk-server/main.ts", import.meta.url));
const enc = new TextEncoder();
const dec = new TextDecoder();

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const create = (path: string, data: string): Request => ({
  type: OpCode.create,
  path,
  data: enc.encode(data),
  acl: [...OPEN_ACL_UNSAFE],
  flags: 0,
  ttl: -1,
});

async function startServer(cfg: string, port: number): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "start-foreground", cfg],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  for (let i = 0; i < 200; i++) {
    try {
      const c = await RawClient.open(port);
      await c.connect();
      c.close();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    child.kill("SIGKILL");
  } catch { /* it already exited */ }
  const err = await new Response(child.stderr).text();
  throw new Error(`server did not start (${JSON.stringify(await child.status)}): ${err}`);
}

/** One writer: pipelined creates plus a 3-create multi per batch, until the socket dies. */
async function writer(port: number, tag: string, acked: Map<string, string>, multis: string[]) {
  let c: RawClient;
  try {
    c = await RawClient.open(port);
    await c.connect();
  } catch {
    return;
  }
  let xid = 1;
  for (let b = 0;; b++) {
    const inFlight: { xid: number; paths: string[]; data: string }[] = [];
    try {
      for (let i = 0; i < BATCH; i++) {
        const path = `/crash/${tag}-${b}-${i}`;
        await c.request(xid, create(path, path));
        inFlight.push({ xid: xid++, paths: [path], data: path });
      }
      const m = `/crash/${tag}-${b}-m`;
      multis.push(m);
      await c.request(xid, {
        type: OpCode.multi,
        ops: [create(`${m}a`, "a"), create(`${m}b`, "b"), create(`${m}c`, "c")],
      });
      inFlight.push({ xid: xid++, paths: [`${m}a`, `${m}b`, `${m}c`], data: "" });
      for (const f of inFlight) {
        const r = await c.reply();
        if (r === null) return;
        assert.equal(r[0], f.xid);
        if (r[2] === Err.OK && f.paths.length === 1) acked.set(f.paths[0], f.data);
        if (r[2] === Err.OK && f.paths.length === 3) {
          for (const p of f.paths) acked.set(p, p.slice(-1));
        }
      }
    } catch {
      c.close();
      return;
    }
  }
}

async function verify(port: number, acked: Map<string, string>, multis: string[]): Promise<number> {
  const c = await RawClient.open(port);
  await c.connect();
  const paths = [...acked.keys()];
  let xid = 1;
  for (const p of paths) await c.request(xid++, { type: OpCode.getData, path: p, watch: false });
  for (const p of paths) {
    const r = await c.read();
    assert.ok(r, "verification connection closed");
    r.int();
    r.long();
    assert.equal(r.int(), Err.OK, `acknowledged ${p} is missing after restart`);
    assert.equal(dec.decode(r.buffer() ?? new Uint8Array()), acked.get(p), `data of ${p}`);
  }
  // A multi is all or nothing, acknowledged or not.
  for (const m of multis) {
    for (const s of ["a", "b", "c"]) {
      await c.request(xid++, { type: OpCode.exists, path: `${m}${s}`, watch: false });
    }
    const seen: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await c.reply();
      assert.ok(r);
      seen.push(r[2] === Err.OK);
    }
    assert.ok(seen.every((x) => x === seen[0]), `multi ${m} half-applied: ${seen}`);
  }
  c.close();
  return paths.length;
}

Deno.test("crash rounds: SIGKILL never loses an acknowledged write nor half-applies a multi", async () => {
  const seed = Number(Deno.env.get("HERD_CRASH_SEED") ?? Math.floor(Math.random() * 1e9));
  console.log(`crash test seed=${seed} (set HERD_CRASH_SEED=${seed} to replay)`);
  const rand = mulberry32(seed);
  const dir = await Deno.makeTempDir({ prefix: "herd-crash-" });
  const cfg = `${dir}/zoo.cfg`;
  // A fresh port each round: between a kill and the restart another test may take the old one.
  // A small snapCount and preallocation so log rolls, snapshots and growth happen mid-crash.
  const configure = async () => {
    const port = freePort();
    await Deno.writeTextFile(
      cfg,
      `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n` +
        `snapCount=300\npreAllocSize=64\nadmin.enableServer=false\n`,
    );
    return port;
  };
  const acked = new Map<string, string>();
  const multis: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const port = await configure();
      const server = await startServer(cfg, port);
      try {
        const n = await verify(port, acked, multis);
        if (round === 0) {
          const c = await RawClient.open(port);
          await c.connect();
          await c.request(1, create("/crash", ""));
          await c.reply();
          c.close();
        }
        if (round === ROUNDS - 1) {
          console.log(`crash test: ${round} kills, ${n} acknowledged writes all present`);
          break;
        }
        const writers = [];
        for (let i = 0; i < CONNS; i++) writers.push(writer(port, `r${round}c${i}`, acked, multis));
        await new Promise((r) => setTimeout(r, 100 + rand() * 500));
        server.kill("SIGKILL");
        await Promise.all(writers);
      } finally {
        try {
          server.kill("SIGKILL");
        } catch { /* already dead */ }
        await server.status;
        await server.stderr.cancel();
      }
    }
    assert.ok(acked.size > 0, "some writes were acknowledged");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
