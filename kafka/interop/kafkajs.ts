/**
 * kafkajs (npm, the version pinned in zk/interop/install.sh): `kafkajs_scenario.cjs`, a consumer
 * group of two members that rebalances when one leaves and resumes from committed offsets,
 * compared with what it printed against Apache 2.8.2's broker (`testdata/kafkajs-group.txt`).
 *
 * @module
 */
import { expectFixture, mask } from "./_expect.ts";
import { type Broker, onPath, runOk } from "./_target.ts";

const SCRIPT = new URL("./kafkajs_scenario.cjs", import.meta.url).pathname;
/** Where zk/interop/install.sh installs npm packages (outside the repo's tracked files). */
const NPM_PREFIX = Deno.env.get("HERD_NPM_PREFIX") ??
  `${Deno.env.get("HOME") ?? "/root"}/.cache/herd/npm`;

/** Why kafkajs cannot run here, or undefined. */
export function kafkajsMissing(): string | undefined {
  if (!onPath("node")) return "node is not installed";
  try {
    Deno.statSync(`${NPM_PREFIX}/node_modules/kafkajs/package.json`);
    return undefined;
  } catch {
    return `kafkajs is not installed under ${NPM_PREFIX} (run zk/interop/install.sh)`;
  }
}

/** Run the kafkajs group scenario against `broker`. */
export async function kafkajsScenario(broker: Broker): Promise<void> {
  const r = await runOk("node", [SCRIPT, broker.bootstrap], {
    env: { NODE_PATH: `${NPM_PREFIX}/node_modules` },
  });
  await expectFixture("kafkajs-group", mask(r.out, broker), broker);
}
