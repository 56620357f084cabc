/**
 * kazoo (Debian's python3-kazoo) against the target: CRUD, versions,
 * ephemeral and sequential nodes, watches, multi, ACLs, session close and
 * expiry, large data, recipes. See `kazoo_scenario.py` for the checks. With
 * `HERD_ZK_TARGET=both` the values herd and Apache printed must be equal.
 *
 * @module
 */

import { needs, PYTHON } from "./_needs.ts";
import { assertAllPassed, assertSameValues, runScenario, type ScenarioRun } from "./_scenario.ts";
import { startTarget, type TargetKind, targets } from "./_target.ts";

const SCRIPT = new URL("./kazoo_scenario.py", import.meta.url).pathname;
const runs = new Map<TargetKind, ScenarioRun>();
const gates = new Map(targets().map((kind) => [kind, needs(kind, ["kazoo"], "kazoo")]));

for (const [kind, gate] of gates) {
  Deno.test({
    name: `[${kind}] kazoo scenario`,
    ignore: gate.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
  }, async () => {
    gate.check();
    const t = await startTarget(kind);
    try {
      const run = await runScenario(PYTHON, [SCRIPT, t.connectString]);
      runs.set(kind, run);
      assertAllPassed(kind, "kazoo", run);
    } finally {
      await t.stop();
    }
  });
}

if (gates.size === 2) {
  const ignore = [...gates.values()].some((g) => g.ignore);
  Deno.test({ name: "[herd vs apache] kazoo values agree", ignore }, () => {
    const herd = runs.get("herd");
    const apache = runs.get("apache");
    if (!herd || !apache) throw new Error("a kazoo run is missing; see the failures above");
    assertSameValues("kazoo", herd, apache);
  });
}
