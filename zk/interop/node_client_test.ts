/**
 * node-zookeeper-client (npm, run with `node`) against the target: create,
 * getData/setData, getChildren with a watch, exists, remove, transactions,
 * digest ACLs, session close. See `node_client_scenario.cjs`.
 *
 * @module
 */

import { needs, NPM_PREFIX } from "./_needs.ts";
import { assertAllPassed, assertSameValues, runScenario, type ScenarioRun } from "./_scenario.ts";
import { startTarget, type TargetKind, targets } from "./_target.ts";

const SCRIPT = new URL("./node_client_scenario.cjs", import.meta.url).pathname;
const runs = new Map<TargetKind, ScenarioRun>();
const gates = new Map(
  targets().map((kind) => [kind, needs(kind, ["node-zookeeper-client"], "node-zookeeper-client")]),
);

for (const [kind, gate] of gates) {
  Deno.test({
    name: `[${kind}] node-zookeeper-client scenario`,
    ignore: gate.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
  }, async () => {
    gate.check();
    const t = await startTarget(kind);
    try {
      const run = await runScenario("node", [SCRIPT, t.connectString], {
        HERD_NPM_PREFIX: NPM_PREFIX,
      });
      runs.set(kind, run);
      assertAllPassed(kind, "node-zookeeper-client", run);
    } finally {
      await t.stop();
    }
  });
}

if (gates.size === 2) {
  const ignore = [...gates.values()].some((g) => g.ignore);
  Deno.test({ name: "[herd vs apache] node-zookeeper-client values agree", ignore }, () => {
    const herd = runs.get("herd");
    const apache = runs.get("apache");
    if (!herd || !apache) throw new Error("a node-zookeeper-client run is missing");
    assertSameValues("node-zookeeper-client", herd, apache);
  });
}
