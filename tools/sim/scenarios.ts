/**
 * The long-run scenarios `deno task sim` plays, one seed at a time, on the election and ZAB
 * simulators of zk/quorum (the same families as election_sim_test.ts and zab_sim_test.ts play
 * for a bounded number of seeds): chaos (drops, duplicates, reordering, cut links, crashes and
 * restarts, disks that lose what was not fsynced), then heal, then the ensemble must settle.
 * ZabSim checks its invariants at every step itself (a committed txn never lost or reordered,
 * each synced server a prefix of the one history, one leader per epoch); these add the checks
 * after healing, and run an optional extra invariant between slices of virtual time (how the
 * runner's own test injects a failure).
 *
 * @module
 */
import { parseZooCfg } from "../../zk/config/mod.ts";
import { SeededRandom } from "../../internal/seeded_random.ts";
import { ElectionSim, HEALED } from "../../zk/quorum/_election_sim.ts";
import { CALM, isPrefix, ZabSim } from "../../zk/quorum/_zab_sim.ts";
import { containsQuorum, quorumVerifier } from "../../zk/quorum/quorum_verifier.ts";
import { isBetter } from "../../zk/quorum/vote.ts";

/** The simulators a run can pick. */
export const FAMILIES = ["election", "zab"] as const;
/** One of {@link FAMILIES}. */
export type Family = (typeof FAMILIES)[number];

/** Checked between slices of virtual time; returns what broke, or undefined. */
export type Invariant = (family: Family, seed: number, now: number) => string | undefined;

/** What one seed's run saw, for the summary. */
export interface RunStats {
  /** Virtual ms the run covered. */
  virtualMs: number;
  /** Leaders (ZAB: epochs led; election: decisions taken). */
  leaders: number;
  /** Txns committed (ZAB only). */
  commits: number;
}

function fail(what: string): never {
  throw new Error(what);
}

/** Runs `sim` to `until` in slices of `slice` ms, checking `invariant` after each. */
function runChecked(
  family: Family,
  seed: number,
  sim: { now: number; runUntil(t: number): void },
  until: number,
  invariant: Invariant | undefined,
  slice = 1000,
): void {
  while (sim.now < until) {
    sim.runUntil(Math.min(until, sim.now + slice));
    const broken = invariant?.(family, seed, sim.now);
    if (broken) fail(`invariant broken at ${sim.now} ms: ${broken}`);
  }
}

/** ZAB: crashes, restarts and broken connections for 120 s; then healed, it commits again. */
export function zabRun(seed: number, invariant?: Invariant): RunStats {
  const sim = new ZabSim(seed, seed % 2 === 0 ? 3 : 5, seed % 3 === 0 ? 1 : 0);
  sim.faults = { ...CALM, crash: 0.03, breakConn: 0.02, downMin: 500, downMax: 15_000 };
  runChecked("zab", seed, sim, 120_000, invariant);
  sim.faults = CALM;
  for (const sid of sim.servers.keys()) sim.restart(sid);
  const before = sim.commits;
  runChecked("zab", seed, sim, 200_000, invariant);
  if (sim.commits <= before + 20) fail(`no progress after healing\n${sim.describe()}`);
  sim.writes = false;
  runChecked("zab", seed, sim, 202_000, invariant);
  for (const s of sim.servers.values()) {
    if (!s.up) continue;
    if (!s.synced) fail(`server ${s.sid} is not synced after healing\n${sim.describe()}`);
    if (!isPrefix(sim.history, s.applied) || s.applied.length !== sim.history.length) {
      fail(
        `server ${s.sid} applied ${s.applied.length} of ${sim.history.length}\n${sim.describe()}`,
      );
    }
  }
  return { virtualMs: sim.now, leaders: sim.leaders.size, commits: sim.commits };
}

function ensemble(voters: number, observers: number) {
  let text = "dataDir=/d\ninitLimit=10\nsyncLimit=5\n";
  for (let i = 1; i <= voters + observers; i++) {
    text += `server.${i}=10.0.0.${i}:2888:3888${i > voters ? ":observer" : ""}\n`;
  }
  return quorumVerifier(parseZooCfg(text, "zoo.cfg").servers);
}

/**
 * Election: chaos (drops, duplicates, reordering, cut links, crashes) until a random heal time;
 * every decision by votes names a voter at least as good as a quorum's votes in its round; after
 * the heal one leader that a quorum follows, and it stays.
 */
export function electionRun(seed: number, invariant?: Invariant): RunStats {
  const setup = new SeededRandom(seed ^ 0x5eed);
  const qv = ensemble(setup.chance(0.5) ? 3 : 5, setup.int(0, 1));
  const inits = new Map<number, { lastZxid: bigint; currentEpoch: bigint }>();
  for (const sid of qv.members) {
    const epoch = BigInt(setup.int(0, 2));
    inits.set(sid, { currentEpoch: epoch, lastZxid: (epoch << 32n) + BigInt(setup.int(0, 3)) });
  }
  const sim = new ElectionSim(seed, qv, inits);
  sim.faults = { drop: 0.2, duplicate: 0.1, minDelay: 1, maxDelay: 400, fifo: false, cut: 0.15 };
  sim.shuffleLinks();
  for (const sid of qv.members) sim.start(sid, sim.rng.int(0, 500));
  const healAt = sim.rng.int(2000, 10000);
  while (sim.now < healAt) {
    runChecked(
      "election",
      seed,
      sim,
      Math.min(healAt, sim.now + sim.rng.int(200, 1500)),
      invariant,
    );
    sim.shuffleLinks();
    const sid = sim.rng.pick([...qv.members]);
    const s = sim.servers.get(sid)!;
    if (s.up && sim.rng.chance(0.3)) sim.crash(sid);
    else if (!s.up) sim.start(sid);
  }
  sim.faults = HEALED;
  sim.shuffleLinks();
  for (const s of sim.servers.values()) if (!s.up) sim.start(s.sid);
  let settledAt: number | undefined;
  for (let t = healAt + 100; t < healAt + 150_000 && settledAt === undefined; t += 100) {
    runChecked("election", seed, sim, t, invariant, 100);
    if (settled(sim)) settledAt = t;
  }
  if (settledAt === undefined) fail(`no stable leader 150 s after the heal at ${healAt} ms`);
  const decisions = sim.decisions.length;
  runChecked("election", seed, sim, sim.now + 5000, invariant);
  if (!settled(sim) || sim.decisions.length !== decisions) fail("the settled ensemble came apart");
  checkValidity(sim);
  return { virtualMs: sim.now, leaders: sim.decisions.length, commits: 0 };
}

function settled(sim: ElectionSim): boolean {
  const up = [...sim.servers.values()].filter((s) => s.up);
  const leaders = up.filter((s) => s.state.peerState === "LEADING");
  if (leaders.length !== 1 || !leaders[0].established) return false;
  const leader = BigInt(leaders[0].sid);
  for (const s of up) {
    if (s === leaders[0]) continue;
    const want = sim.qv.voters.has(s.sid) ? "FOLLOWING" : "OBSERVING";
    if (s.state.peerState !== want || s.state.currentVote.leader !== leader || !s.established) {
      return false;
    }
  }
  return containsQuorum(sim.qv, up.map((s) => s.sid));
}

function checkValidity(sim: ElectionSim): void {
  for (const d of sim.decisions) {
    if (!sim.qv.voters.has(d.leader)) fail(`server ${d.sid} chose non-voter ${d.leader}`);
    if (d.via !== "votes" || !sim.qv.voters.has(d.sid)) continue;
    const beaten = [...sim.qv.voters].filter((sid) =>
      (sim.initials.get(`${sid}/${d.round}`) ?? []).some((p) => !isBetter(p, d.vote))
    );
    if (!containsQuorum(sim.qv, beaten)) {
      fail(`server ${d.sid} chose ${d.leader} in round ${d.round}, better only than ${beaten}`);
    }
  }
}

/** The run for `family`. */
export function runSeed(family: Family, seed: number, invariant?: Invariant): RunStats {
  return family === "election" ? electionRun(seed, invariant) : zabRun(seed, invariant);
}
