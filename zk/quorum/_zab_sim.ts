// A seeded, virtual-time ensemble for ZAB: one leader machine (leader.ts) and learner machines
// (learner.ts) over TCP-like connections (reliable, ordered, until broken), with crashes that
// lose whatever was not fsynced, broken connections, client writes, and elections played as FLE
// would decide them (the best (currentEpoch, lastZxid, sid) of the live voters leads, when they
// are a quorum). Each server carries out its machine's effects one at a time, as the shells do;
// a `log` takes an fsync's time and is durable only once done. The invariants are checked as the
// run goes (`check` throws): the committed history never loses or reorders a txn, each synced
// server has applied a prefix of it, and each epoch has at most one leader.
import { SeededRandom } from "../../internal/seeded_random.ts";
import { OpCode } from "../jute/opcodes.ts";
import { DataTree } from "../tree/data_tree.ts";
import type { TxnEntry } from "../tree/txn.ts";
import {
  initialLeader,
  type LeaderEffect,
  type LeaderInput,
  type LeaderState,
  nextZxid,
  stepLeader,
} from "./leader.ts";
import {
  initialLearner,
  type LearnerEffect,
  type LearnerInput,
  type LearnerState,
  stepLearner,
} from "./learner.ts";
import type { LearnerMessage } from "./quorum_message.ts";
import { epochOf, hexZxid } from "./quorum_packet.ts";

const TICK = 2000;
const INIT_LIMIT = 10;
const SYNC_LIMIT = 5;

/** What survives a crash. */
interface Disk {
  acceptedEpoch: number;
  currentEpoch: number;
  /** Snapshots: the txns applied when each was taken. */
  snaps: { zxid: number; applied: TxnEntry[] }[];
  log: TxnEntry[];
}

type Role =
  | { kind: "leader"; gen: number; st: LeaderState }
  | { kind: "learner"; gen: number; st: LearnerState; conn: number; heard: number };

type Work =
  | { kind: "leader"; input: LeaderInput }
  | { kind: "learner"; input: LearnerInput }
  | { kind: "write"; n: number };

interface Server {
  sid: number;
  voter: boolean;
  up: boolean;
  disk: Disk;
  /** The tree, as the txns applied to it (recovered, snapshot, committed). */
  applied: TxnEntry[];
  lastZxid: number;
  synced: boolean;
  role: Role | null;
  gen: number;
  inbox: Work[];
  pending: (LeaderEffect | LearnerEffect)[];
  /** Busy with an fsync until this virtual time. */
  busy: boolean;
}

interface Conn {
  id: number;
  leader: number;
  leaderGen: number;
  learner: number;
  learnerGen: number;
  up: boolean;
  /** Per direction: the last delivery time, so order is kept. */
  tailToLearner: number;
  tailToLeader: number;
}

type Event =
  & { at: number; seq: number }
  & (
    | { kind: "work"; sid: number; gen: number; work: Work }
    | { kind: "fsynced"; sid: number; gen: number; entries: readonly TxnEntry[] }
    | { kind: "tick"; sid: number; gen: number }
    | { kind: "watchdog" }
    | { kind: "elect" }
    | { kind: "write" }
  );
type EventBody = Event extends infer E ? E extends Event ? Omit<E, "seq"> : never : never;

/** How hostile the run is. */
export interface ZabFaults {
  /** Chance per second of a server crash, of a connection break. */
  crash: number;
  breakConn: number;
  /** How long a crashed server stays down, ms. */
  downMin: number;
  downMax: number;
}

export const CALM: ZabFaults = { crash: 0, breakConn: 0, downMin: 0, downMax: 0 };

/** The ensemble under test. */
export class ZabSim {
  readonly rng: SeededRandom;
  readonly servers = new Map<number, Server>();
  readonly voters: ReadonlySet<number>;
  /** Every txn ever committed, in commit order. */
  history: TxnEntry[] = [];
  readonly leaders = new Map<number, number>();
  readonly log: string[] = [];
  faults: ZabFaults = CALM;
  /** Whether clients write (off to let the last commits reach everyone). */
  writes = true;
  now = 0;
  commits = 0;
  #queue: Event[] = [];
  #seq = 0;
  #conns = new Map<number, Conn>();
  #nextConn = 1;
  #cxid = 0;
  /** What each streamed snapshot held (the learner machine passes the tree along). */
  #snapshots = new WeakMap<DataTree, TxnEntry[]>();

  constructor(seed: number, voters: number, observers: number) {
    this.rng = new SeededRandom(seed);
    this.voters = new Set(Array.from({ length: voters }, (_, i) => i + 1));
    for (let sid = 1; sid <= voters + observers; sid++) {
      this.servers.set(sid, {
        sid,
        voter: sid <= voters,
        up: true,
        disk: { acceptedEpoch: 0, currentEpoch: 0, snaps: [], log: [] },
        applied: [],
        lastZxid: 0,
        synced: false,
        role: null,
        gen: 0,
        inbox: [],
        pending: [],
        busy: false,
      });
    }
    this.#push({ at: 100, kind: "elect" });
    this.#push({ at: 1000, kind: "watchdog" });
    this.#push({ at: 500, kind: "write" });
  }

  #push(e: EventBody): void {
    const ev = { ...e, seq: this.#seq++ } as Event;
    let i = this.#queue.length;
    while (
      i > 0 &&
      (this.#queue[i - 1].at > ev.at ||
        (this.#queue[i - 1].at === ev.at && this.#queue[i - 1].seq > ev.seq))
    ) i--;
    this.#queue.splice(i, 0, ev);
  }

  #note(text: string): void {
    this.log.push(`${this.now} ${text}`);
    if (this.log.length > 400) this.log.shift();
  }

  /** Throws when an invariant breaks, with the recent events. */
  #check(ok: boolean, what: string): void {
    if (!ok) throw new Error(`${what}\nlast events:\n${this.log.slice(-60).join("\n")}`);
  }

  /** Runs events until `until` (virtual ms). */
  runUntil(until: number): void {
    while (this.#queue.length > 0 && this.#queue[0].at <= until) {
      const e = this.#queue.shift()!;
      this.now = e.at;
      this.#event(e);
    }
    this.now = until;
  }

  #event(e: Event): void {
    switch (e.kind) {
      case "work": {
        const s = this.servers.get(e.sid)!;
        if (!s.up || s.gen !== e.gen) return;
        s.inbox.push(e.work);
        return this.#pump(s);
      }
      case "fsynced": {
        const s = this.servers.get(e.sid)!;
        if (!s.up || s.gen !== e.gen) return;
        s.disk.log.push(...e.entries);
        s.busy = false;
        return this.#pump(s);
      }
      case "tick": {
        const s = this.servers.get(e.sid)!;
        if (!s.up || s.gen !== e.gen || s.role?.kind !== "leader") return;
        this.#deliver(s, { kind: "leader", input: { kind: "tick" } });
        this.#push({ at: this.now + TICK / 2, kind: "tick", sid: s.sid, gen: s.gen });
        return;
      }
      case "watchdog":
        this.#watchdog();
        this.#faults();
        this.#push({ at: this.now + 1000, kind: "watchdog" });
        return;
      case "elect":
        this.#elect();
        this.#push({ at: this.now + 500, kind: "elect" });
        return;
      case "write": {
        const l = this.#leader();
        const leading = l?.role?.kind === "leader" && l.role.st.phase === "broadcast";
        if (this.writes && leading) {
          this.#deliver(l!, { kind: "write", n: this.rng.int(1, 3) });
        }
        this.#push({ at: this.now + this.rng.int(100, 400), kind: "write" });
        return;
      }
    }
  }

  #deliver(s: Server, work: Work, delay = 0): void {
    this.#push({ at: this.now + delay, kind: "work", sid: s.sid, gen: s.gen, work });
  }

  /** Runs effects until an fsync is in flight, then the next input, as a shell does. */
  #pump(s: Server): void {
    while (!s.busy && s.up) {
      const fx = s.pending.shift();
      if (fx !== undefined) {
        this.#effect(s, fx);
        continue;
      }
      const w = s.inbox.shift();
      if (w === undefined) return;
      this.#work(s, w);
    }
  }

  #work(s: Server, w: Work): void {
    const role = s.role;
    if (w.kind === "write") {
      if (role?.kind !== "leader" || role.st.phase !== "broadcast") return;
      const entries: TxnEntry[] = [];
      for (let i = 0; i < w.n; i++) {
        const zxid = nextZxid(role.st) + i;
        const cxid = ++this.#cxid;
        entries.push({
          hdr: { clientId: BigInt(s.sid), cxid, zxid, time: this.now, type: OpCode.error },
          txn: { type: OpCode.error, err: cxid },
        });
      }
      w = { kind: "leader", input: { kind: "propose", entries } };
    }
    if (w.kind === "leader" && role?.kind === "leader") {
      const r = stepLeader(role.st, w.input);
      role.st = r.state;
      s.pending.push(...r.effects);
    } else if (w.kind === "learner" && role?.kind === "learner") {
      if (w.input.kind === "message" || w.input.kind === "snap") role.heard = this.now;
      const r = stepLearner(role.st, w.input);
      role.st = r.state;
      s.pending.push(...r.effects);
    }
  }

  #effect(s: Server, fx: LeaderEffect | LearnerEffect): void {
    const role = s.role!;
    switch (fx.kind) {
      case "log":
        s.busy = true;
        this.#push({
          at: this.now + this.rng.int(1, 15),
          kind: "fsynced",
          sid: s.sid,
          gen: s.gen,
          entries: fx.entries,
        });
        return;
      case "writeEpoch":
        s.disk[fx.name] = fx.epoch;
        return;
      case "apply":
        s.applied.push(fx.entry);
        s.lastZxid = fx.entry.hdr.zxid;
        if (role.kind === "leader") {
          this.commits++;
          this.#check(
            isPrefix(this.history, s.applied),
            `leader ${s.sid} committed ${hexZxid(fx.entry.hdr.zxid)} off the history`,
          );
          this.history = [...s.applied];
        } else if (s.synced) this.#checkPrefix(s);
        return;
      case "send":
        if ("conn" in fx) {
          return this.#sendToLearner(fx.conn, { kind: "message", message: fx.message });
        }
        return this.#sendToLeader(s, fx.message);
      case "sendSnapshot": {
        const tree = new DataTree();
        this.#snapshots.set(tree, [...s.applied]);
        return this.#sendToLearner(fx.conn, {
          kind: "snap",
          zxid: fx.zxid,
          snapshot: { tree, sessions: [] },
        });
      }
      case "established": {
        const epoch = fx.epoch;
        this.#note(`${s.sid} leads epoch ${epoch}`);
        const had = this.leaders.get(epoch);
        this.#check(had === undefined || had === s.sid, `epoch ${epoch}: leaders ${had}, ${s.sid}`);
        this.leaders.set(epoch, s.sid);
        this.#check(
          isPrefix(this.history, s.applied),
          `leader ${s.sid} of epoch ${epoch} lacks committed txns: has ${s.applied.length}, ` +
            `${this.history.length} committed`,
        );
        this.history = [...s.applied];
        s.synced = true;
        return;
      }
      case "close":
        return this.#break(fx.conn, fx.reason);
      case "stepDown":
        this.#note(`${s.sid} steps down: ${fx.reason}`);
        return this.#drop(s);
      // The learner's effects.
      case "loadSnapshot":
        s.applied = [...this.#snapshots.get(fx.snapshot.tree)!];
        s.lastZxid = fx.zxid;
        return;
      case "truncateLog":
        s.disk.log = s.disk.log.filter((e) => e.hdr.zxid <= fx.zxid);
        s.disk.snaps = s.disk.snaps.filter((x) => x.zxid <= fx.zxid);
        this.#recover(s);
        return;
      case "takeSnapshot":
        s.disk.snaps.push({ zxid: s.lastZxid, applied: [...s.applied] });
        return;
      case "replyPing":
        return this.#sendToLeader(s, {
          kind: "pingReply",
          zxid: fx.zxid,
          touches: [],
          authinfo: fx.authinfo,
        });
      case "synced":
        s.synced = true;
        this.#note(`${s.sid} synced (${fx.mode}) at ${hexZxid(s.lastZxid)}`);
        this.#checkPrefix(s);
        return;
      case "fail":
        this.#note(`${s.sid} fails: ${fx.reason}`);
        if (role.kind === "learner") this.#break(role.conn, fx.reason);
        return;
      default:
        return; // info, warn, touch, request, revalidate, revalidated, syncDone
    }
  }

  #checkPrefix(s: Server): void {
    this.#check(
      isPrefix(s.applied, this.history),
      `server ${s.sid} applied ${s.applied.length} txns (last ${
        hexZxid(s.lastZxid)
      }), not a prefix of the ${this.history.length} committed`,
    );
  }

  #sendToLearner(c: number, input: LearnerInput): void {
    const conn = this.#conns.get(c);
    if (conn === undefined || !conn.up) return;
    const at = Math.max(this.now + this.rng.int(1, 20), conn.tailToLearner);
    conn.tailToLearner = at;
    this.#push({
      at,
      kind: "work",
      sid: conn.learner,
      gen: conn.learnerGen,
      work: { kind: "learner", input },
    });
  }

  #sendToLeader(s: Server, message: LearnerMessage): void {
    if (s.role?.kind !== "learner") return;
    const conn = this.#conns.get(s.role.conn);
    if (conn === undefined || !conn.up) return;
    const at = Math.max(this.now + this.rng.int(1, 20), conn.tailToLeader);
    conn.tailToLeader = at;
    this.#push({
      at,
      kind: "work",
      sid: conn.leader,
      gen: conn.leaderGen,
      work: { kind: "leader", input: { kind: "message", conn: conn.id, message } },
    });
  }

  /** A broken connection: each end hears of it (after what was already in flight). */
  #break(c: number, reason: string): void {
    const conn = this.#conns.get(c);
    if (conn === undefined || !conn.up) return;
    conn.up = false;
    this.#note(`conn ${c} (${conn.leader}→${conn.learner}) breaks: ${reason}`);
    this.#push({
      at: Math.max(this.now + 1, conn.tailToLeader),
      kind: "work",
      sid: conn.leader,
      gen: conn.leaderGen,
      work: { kind: "leader", input: { kind: "disconnected", conn: c, reason } },
    });
    this.#push({
      at: Math.max(this.now + 1, conn.tailToLearner),
      kind: "work",
      sid: conn.learner,
      gen: conn.learnerGen,
      work: { kind: "learner", input: { kind: "disconnected", reason } },
    });
  }

  /** The server leaves its role (crash, step-down, a stopped learner): new generation. */
  #drop(s: Server): void {
    for (const c of this.#conns.values()) {
      if (c.up && (c.leader === s.sid || c.learner === s.sid)) this.#break(c.id, "peer gone");
    }
    s.role = null;
    s.synced = false;
    s.gen++;
    s.inbox = [];
    s.pending = [];
    s.busy = false;
  }

  /** Memory from disk: the newest snapshot and the log after it, as recovery replays them. */
  #recover(s: Server): void {
    const snap = s.disk.snaps.at(-1);
    s.applied = [...(snap?.applied ?? [])];
    const from = snap?.zxid ?? 0;
    for (const e of s.disk.log) if (e.hdr.zxid > from) s.applied.push(e);
    s.lastZxid = s.applied.at(-1)?.hdr.zxid ?? from;
    if (snap !== undefined && s.lastZxid < snap.zxid) s.lastZxid = snap.zxid;
  }

  crash(sid: number): void {
    const s = this.servers.get(sid)!;
    if (!s.up) return;
    this.#note(`${sid} crashes`);
    this.#drop(s);
    s.up = false;
  }

  restart(sid: number): void {
    const s = this.servers.get(sid)!;
    if (s.up) return;
    this.#note(`${sid} restarts`);
    s.up = true;
    s.gen++;
  }

  #leader(): Server | undefined {
    for (const s of this.servers.values()) if (s.up && s.role?.kind === "leader") return s;
    return undefined;
  }

  /** FLE's outcome: the best live voter leads, if the live voters are a quorum. */
  #elect(): void {
    this.restartDue();
    let leader = this.#leader();
    if (leader === undefined) {
      const live = [...this.servers.values()].filter((s) => s.up && s.voter && s.role === null);
      if (live.length <= this.voters.size / 2) return;
      for (const s of live) this.#recover(s);
      live.sort((a, b) =>
        b.disk.currentEpoch - a.disk.currentEpoch || b.lastZxid - a.lastZxid || b.sid - a.sid
      );
      leader = live[0];
      this.#note(
        `${leader.sid} elected (epoch ${leader.disk.currentEpoch}, ${hexZxid(leader.lastZxid)})`,
      );
      leader.gen++;
      leader.role = {
        kind: "leader",
        gen: leader.gen,
        st: initialLeader(
          { sid: leader.sid, voters: this.voters, initLimit: INIT_LIMIT, syncLimit: SYNC_LIMIT },
          {
            acceptedEpoch: leader.disk.acceptedEpoch,
            currentEpoch: leader.disk.currentEpoch,
            history: leader.applied,
            lastZxid: leader.lastZxid,
          },
        ),
      };
      this.#push({ at: this.now + TICK / 2, kind: "tick", sid: leader.sid, gen: leader.gen });
    }
    for (const s of this.servers.values()) {
      if (s.up && s.role === null) this.#follow(s, leader);
    }
  }

  #follow(s: Server, leader: Server): void {
    this.#recover(s);
    s.gen++;
    const id = this.#nextConn++;
    const conn: Conn = {
      id,
      leader: leader.sid,
      leaderGen: leader.gen,
      learner: s.sid,
      learnerGen: s.gen,
      up: true,
      tailToLearner: 0,
      tailToLeader: 0,
    };
    this.#conns.set(id, conn);
    s.role = {
      kind: "learner",
      gen: s.gen,
      conn: id,
      heard: this.now,
      st: initialLearner({
        role: s.voter ? "follower" : "observer",
        sid: s.sid,
        acceptedEpoch: s.disk.acceptedEpoch,
        currentEpoch: s.disk.currentEpoch,
        lastZxid: s.lastZxid,
      }),
    };
    const delay = this.rng.int(1, 30);
    this.#deliver(leader, { kind: "leader", input: { kind: "connected", conn: id } }, delay);
    this.#deliver(s, { kind: "learner", input: { kind: "connected" } }, delay);
  }

  /** Learners: a read timeout; a stopped learner machine leaves its role. */
  #watchdog(): void {
    for (const s of this.servers.values()) {
      if (!s.up || s.role?.kind !== "learner") continue;
      const r = s.role;
      if (r.st.phase === "stopped") {
        this.#drop(s);
        continue;
      }
      const limit = r.st.phase === "broadcast" || r.st.phase === "newLeaderAcked"
        ? SYNC_LIMIT
        : INIT_LIMIT;
      if (this.now - r.heard > limit * TICK) this.#break(r.conn, "Read timed out");
    }
  }

  #faults(): void {
    const f = this.faults;
    for (const s of this.servers.values()) {
      if (s.up && this.rng.chance(f.crash)) {
        this.crash(s.sid);
        this.#restartAt(s.sid, this.now + this.rng.int(f.downMin, f.downMax));
      }
    }
    for (const c of this.#conns.values()) {
      if (c.up && this.rng.chance(f.breakConn)) this.#break(c.id, "connection reset");
    }
  }

  /** The elect pass at `at` (every 500 ms) restarts it. */
  #restartAt(sid: number, at: number): void {
    this.#pendingRestarts.push({ sid, at });
  }
  #pendingRestarts: { sid: number; at: number }[] = [];

  /** Restarts every server whose downtime is over. */
  restartDue(): void {
    for (const r of this.#pendingRestarts.filter((r) => r.at <= this.now)) this.restart(r.sid);
    this.#pendingRestarts = this.#pendingRestarts.filter((r) => r.at > this.now);
  }

  /** Every server's state, one line each (for failure messages). */
  describe(): string {
    return [...this.servers.values()].map((s) =>
      `${s.sid}: ${s.up ? s.role?.kind ?? "looking" : "down"} ${
        s.role?.kind === "leader"
          ? s.role.st.phase
          : s.role?.kind === "learner"
          ? s.role.st.phase
          : ""
      } applied ${s.applied.length} last ${hexZxid(s.lastZxid)} epoch ${
        epochOf(s.lastZxid)
      } disk ${s.disk.acceptedEpoch}/${s.disk.currentEpoch} log ${s.disk.log.length}`
    ).join("\n");
  }
}

/** Whether `a` is a prefix of `b`, txn by txn (zxid and the unique cxid). */
export function isPrefix(a: readonly TxnEntry[], b: readonly TxnEntry[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].hdr.zxid !== b[i].hdr.zxid || a[i].hdr.cxid !== b[i].hdr.cxid) return false;
  }
  return true;
}
