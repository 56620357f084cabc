// A seeded, virtual-time ensemble for the election machine: servers that crash and restart, a
// network that drops, delays, duplicates and reorders (or, healed, behaves like TCP: no loss,
// per-link order), and a stand-in for ZAB's discovery (a leader keeps its role only once a quorum
// follows it within initLimit, and loses it when followers drop away for syncLimit), so
// elections that went wrong are retried as in a real ensemble. The checks live in the test.
import { SeededRandom } from "../../internal/seeded_random.ts";
import {
  type ElectionEffect,
  type ElectionInput,
  type ElectionState,
  initialElection,
  stepElection,
} from "./election.ts";
import type { Notification } from "./election_wire.ts";
import { containsQuorum, type QuorumVerifier } from "./quorum_verifier.ts";
import type { Proposal, Vote } from "./vote.ts";

/** How hostile the network is. */
export interface NetworkFaults {
  drop: number;
  duplicate: number;
  minDelay: number;
  maxDelay: number;
  /** Messages on one link arrive in the order sent (TCP). */
  fifo: boolean;
  /** Chance per link, per fault change, of the link being cut. */
  cut: number;
}

/** A healed network: TCP on a quiet LAN. */
export const HEALED: NetworkFaults = {
  drop: 0,
  duplicate: 0,
  minDelay: 1,
  maxDelay: 40,
  fifo: true,
  cut: 0,
};

/** A decision one server reached, as the sim saw it. */
export interface Decision {
  sid: number;
  at: number;
  round: bigint;
  leader: number;
  vote: Vote;
  via: "votes" | "ensemble";
  peerState: string;
}

interface Server {
  sid: number;
  up: boolean;
  state: ElectionState;
  lastZxid: bigint;
  currentEpoch: bigint;
  /** A timer generation: a tick event of another generation is stale. */
  timerGen: number;
  decidedAt: number;
  /** Synced with its leader (or, for a leader, a quorum synced with it). */
  established: boolean;
  /** Last time a leader had its quorum, or a follower its leader. */
  lastOk: number;
}

type EventBody =
  | { at: number; kind: "deliver"; from: number; to: number; n: Notification }
  | { at: number; kind: "tick"; sid: number; gen: number }
  | { at: number; kind: "zab" };
type Event = EventBody & { seq: number };

/** The timing of ZAB's stand-in, in ms. */
const INIT_T = 2000;
const SYNC_T = 1000;
const ZAB_EVERY = 100;

/** The ensemble under test. */
export class ElectionSim {
  readonly rng: SeededRandom;
  readonly servers = new Map<number, Server>();
  readonly decisions: Decision[] = [];
  /** Each server's initial proposal in each round it was in: what validity is judged against. */
  readonly initials = new Map<string, Proposal[]>();
  faults: NetworkFaults = HEALED;
  now = 0;
  #queue: Event[] = [];
  #seq = 0;
  #cuts = new Set<string>();
  #linkTail = new Map<string, number>();

  constructor(
    seed: number,
    readonly qv: QuorumVerifier,
    inits: Map<number, { lastZxid: bigint; currentEpoch: bigint }>,
  ) {
    this.rng = new SeededRandom(seed);
    for (const sid of qv.members) {
      const init = inits.get(sid) ?? { lastZxid: 0n, currentEpoch: 0n };
      this.servers.set(sid, {
        sid,
        up: false,
        state: this.#fresh(sid),
        ...init,
        timerGen: 0,
        decidedAt: 0,
        established: false,
        lastOk: 0,
      });
    }
    this.#push({ at: ZAB_EVERY, kind: "zab" });
  }

  #fresh(sid: number): ElectionState {
    return initialElection({
      myid: sid,
      qv: this.qv,
      minNotificationInterval: 200,
      maxNotificationInterval: 60000,
    });
  }

  #push(e: EventBody): void {
    const ev: Event = { ...e, seq: this.#seq++ };
    // A sorted insert: queues stay a few hundred events long.
    let i = this.#queue.length;
    while (i > 0 && lessThan(ev, this.#queue[i - 1])) i--;
    this.#queue.splice(i, 0, ev);
  }

  /** Starts (or restarts after a crash) a server: a new election with what it had on disk. */
  start(sid: number, at = this.now): void {
    const s = this.servers.get(sid)!;
    s.up = true;
    s.state = this.#fresh(sid);
    s.established = false;
    this.#step(s, { kind: "look", now: at, lastZxid: s.lastZxid, currentEpoch: s.currentEpoch });
  }

  /** Stops a server: its state and in-flight timers are gone; its disk stays. */
  crash(sid: number): void {
    const s = this.servers.get(sid)!;
    s.up = false;
    s.timerGen++;
  }

  /** Cuts links at random per the current faults, or restores them all. */
  shuffleLinks(): void {
    this.#cuts.clear();
    const ids = [...this.servers.keys()];
    for (const a of ids) {
      for (const b of ids) {
        if (a < b && this.rng.chance(this.faults.cut)) {
          this.#cuts.add(`${a}-${b}`);
          this.#cuts.add(`${b}-${a}`);
        }
      }
    }
  }

  linkUp(a: number, b: number): boolean {
    return a === b || !this.#cuts.has(`${a}-${b}`);
  }

  /** Runs events until `until` (virtual ms). */
  runUntil(until: number): void {
    while (this.#queue.length > 0 && this.#queue[0].at <= until) {
      const e = this.#queue.shift()!;
      this.now = e.at;
      if (e.kind === "deliver") {
        const s = this.servers.get(e.to)!;
        if (s.up) this.#step(s, { kind: "notification", now: this.now, sid: e.from, n: e.n });
      } else if (e.kind === "tick") {
        const s = this.servers.get(e.sid)!;
        if (s.up && e.gen === s.timerGen) {
          this.#step(s, { kind: "tick", now: this.now, delivered: this.#delivered(s.sid) });
        }
      } else {
        this.#zab();
        this.#push({ at: this.now + ZAB_EVERY, kind: "zab" });
      }
    }
    this.now = until;
  }

  /**
   * haveDelivered: true once any peer's send queue is empty. The sim keeps no queues (a message
   * on a cut link is lost), so only a server cut off from every voter has nothing delivered.
   */
  #delivered(sid: number): boolean {
    return [...this.qv.voters].some((v) => v !== sid && this.linkUp(sid, v));
  }

  #step(s: Server, input: ElectionInput): void {
    const r = stepElection(s.state, input);
    s.state = r.state;
    const key = `${s.sid}/${r.state.round}`;
    const seen = this.initials.get(key) ?? [];
    if (!seen.some((p) => sameProposal(p, r.state.initial))) seen.push(r.state.initial);
    this.initials.set(key, seen);
    for (const fx of r.effects) this.#effect(s, fx);
    if (r.wakeAt !== undefined) {
      s.timerGen++;
      this.#push({ at: Math.max(r.wakeAt, this.now), kind: "tick", sid: s.sid, gen: s.timerGen });
    }
  }

  #effect(s: Server, fx: ElectionEffect): void {
    if (fx.kind === "send") this.#send(s.sid, fx.to, fx.n);
    else if (fx.kind === "decided") {
      s.decidedAt = this.now;
      s.established = false;
      s.lastOk = this.now;
      this.decisions.push({
        sid: s.sid,
        at: this.now,
        round: fx.vote.electionEpoch,
        leader: Number(fx.vote.leader),
        vote: fx.vote,
        via: fx.via,
        peerState: fx.peerState,
      });
    }
  }

  #send(from: number, to: number, n: Notification): void {
    const f = this.faults;
    if (!this.servers.has(to) || !this.linkUp(from, to) || this.rng.chance(f.drop)) return;
    const copies = this.rng.chance(f.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      let at = this.now + this.rng.int(f.minDelay, f.maxDelay);
      const link = `${from}-${to}`;
      if (f.fifo) at = Math.max(at, this.#linkTail.get(link) ?? 0);
      this.#linkTail.set(link, at);
      this.#push({ at, kind: "deliver", from, to, n });
    }
  }

  /** ZAB's stand-in: discovery within initLimit, then losing the role when the quorum goes. */
  #zab(): void {
    for (const l of this.servers.values()) {
      if (!l.up || l.state.peerState !== "LEADING") continue;
      const followers = this.#followersOf(l);
      const quorum = containsQuorum(this.qv, [l.sid, ...followers.map((f) => f.sid)]);
      if (!l.established) {
        if (quorum) this.#establish(l, followers);
        else if (this.now - l.decidedAt >= INIT_T) this.#lookAgain(l);
      } else if (quorum) {
        l.lastOk = this.now;
        for (const f of followers.filter((f) => !f.established)) this.#sync(f, l);
      } else if (this.now - l.lastOk >= SYNC_T) this.#lookAgain(l);
    }
    for (const f of this.servers.values()) {
      const st = f.state.peerState;
      if (!f.up || (st !== "FOLLOWING" && st !== "OBSERVING")) continue;
      const l = this.servers.get(Number(f.state.currentVote.leader));
      const ok = l !== undefined && l.up && l.state.peerState === "LEADING" && l.established &&
        this.linkUp(f.sid, l.sid) && f.state.currentVote.leader === l.state.currentVote.leader;
      if (ok) f.lastOk = this.now;
      const limit = f.established ? SYNC_T : INIT_T;
      if (!ok && this.now - f.lastOk >= limit) this.#lookAgain(f);
    }
  }

  #followersOf(l: Server): Server[] {
    return [...this.servers.values()].filter((f) =>
      f.up && f.sid !== l.sid && f.state.peerState !== "LOOKING" &&
      f.state.peerState !== "LEADING" && f.state.currentVote.leader === BigInt(l.sid) &&
      this.linkUp(f.sid, l.sid)
    );
  }

  /** A quorum followed: a new epoch, written by all, and the votes carry it (ZOOKEEPER-1732). */
  #establish(l: Server, followers: Server[]): void {
    let epoch = l.currentEpoch;
    for (const f of followers) if (f.currentEpoch > epoch) epoch = f.currentEpoch;
    epoch += 1n;
    l.currentEpoch = epoch;
    // The leader writes a few txns in its epoch; followers catch up to it.
    l.lastZxid = (epoch << 32n) + BigInt(this.rng.int(0, 3));
    l.established = true;
    l.lastOk = this.now;
    this.#step(l, { kind: "synced", now: this.now, peerEpoch: epoch });
    for (const f of followers) this.#sync(f, l);
  }

  #sync(f: Server, l: Server): void {
    f.currentEpoch = l.currentEpoch;
    f.lastZxid = l.lastZxid - BigInt(this.rng.int(0, Number(l.lastZxid & 0xffffffffn)));
    f.established = true;
    f.lastOk = this.now;
    this.#step(f, { kind: "synced", now: this.now, peerEpoch: l.currentEpoch });
  }

  #lookAgain(s: Server): void {
    s.established = false;
    this.#step(s, {
      kind: "look",
      now: this.now,
      lastZxid: s.lastZxid,
      currentEpoch: s.currentEpoch,
    });
  }
}

function lessThan(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function sameProposal(a: Proposal, b: Proposal): boolean {
  return a.leader === b.leader && a.zxid === b.zxid && a.peerEpoch === b.peerEpoch;
}
