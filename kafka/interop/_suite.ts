/**
 * The client scenarios of issue 15's "Done when", in one test per broker kind: one herd
 * ZooKeeper and one broker serve every scenario in turn (each on its own topics and groups), so
 * the JVM and broker start-ups are paid once. `clients_herd_test.ts` and
 * `clients_apache_test.ts` register it for herd's broker and Apache 2.8.2's; both compare every
 * output with the same fixtures (`_expect.ts`).
 *
 * @module
 */
import { ZooKeeper } from "../log/_apache.ts";
import { apacheToolsScenario } from "./apache_tools.ts";
import { confluentMissing, confluentScenario } from "./confluent.ts";
import { javaMissing, javaScenario } from "./java.ts";
import { kafkajsMissing, kafkajsScenario } from "./kafkajs.ts";
import { kcatMissing, kcatScenario } from "./kcat.ts";
import { type Broker, brokerMissing, gate, type Kind, newBroker } from "./_target.ts";

/** One scenario: what it needs, and how it runs against a broker. */
interface Scenario {
  name: string;
  missing: () => (string | undefined)[];
  run: (b: Broker) => Promise<void>;
}

/**
 * Scenarios herd's broker cannot pass yet, with the reason printed when they are skipped on it.
 * Delete an entry when the feature lands (the lead does, after merging it).
 */
export const NOT_YET_ON_HERD: Record<string, string> = {};

const SCENARIOS: Scenario[] = [
  {
    name: "java kafka-clients: AdminClient",
    missing: () => [javaMissing()],
    run: (b) => javaScenario(b, "admin"),
  },
  {
    name: "java kafka-clients: idempotent producer",
    missing: () => [javaMissing()],
    run: (b) => javaScenario(b, "idempotent"),
  },
  {
    name: "java kafka-clients: consumer group of two",
    missing: () => [javaMissing()],
    run: (b) => javaScenario(b, "group"),
  },
  {
    name: "java kafka-clients: cooperative rebalancing, static membership",
    missing: () => [javaMissing()],
    run: (b) => javaScenario(b, "cooperative"),
  },
  {
    name: "kafkajs: consumer group of two",
    missing: () => [kafkajsMissing()],
    run: kafkajsScenario,
  },
  {
    name: "confluent-kafka: four codecs with keys, idempotence",
    missing: () => [confluentMissing()],
    run: confluentScenario,
  },
  { name: "kcat -P/-L/-C, four codecs", missing: () => [kcatMissing()], run: kcatScenario },
  {
    name: "Apache's kafka-consumer-groups and kafka-configs",
    missing: () => [brokerMissing("apache"), kcatMissing()],
    run: apacheToolsScenario,
  },
  {
    name: "java kafka-clients: transactions",
    missing: () => [javaMissing()],
    run: (b) => javaScenario(b, "txn"),
  },
];

/** Register the suite for `kind`'s broker. */
export function clientSuite(kind: Kind): void {
  const label = `kafka/interop on ${kind}'s broker`;
  const top = gate(label, brokerMissing(kind));
  Deno.test({
    name: `real clients against ${kind}'s broker`,
    ignore: top.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async (t) => {
      top.check();
      const zk = await ZooKeeper.start();
      const dir = await Deno.makeTempDir({ prefix: `herd-interop-${kind}-` });
      const broker = newBroker(kind, dir, `${dir}/data`, `${zk.connect}/interop`);
      try {
        await broker.start();
        const only = Deno.env.get("HERD_INTEROP_ONLY");
        for (const s of SCENARIOS.filter((s) => only === undefined || s.name.includes(only))) {
          const notYet = kind === "herd" ? NOT_YET_ON_HERD[s.name] : undefined;
          if (notYet !== undefined) console.log(`skip ${s.name} on herd's broker: ${notYet}`);
          const g = notYet === undefined
            ? gate(`${s.name} on ${kind}'s broker`, ...s.missing())
            : { ignore: true, check() {} };
          const ok = await t.step({
            name: s.name,
            ignore: g.ignore,
            fn: async () => {
              g.check();
              const t0 = performance.now();
              try {
                await s.run(broker);
              } catch (e) {
                throw new Error(
                  `${(e as Error).message}\n--- ${kind}'s broker, last output\n${
                    broker.output().slice(-3000)
                  }`,
                  { cause: e },
                );
              }
              console.log(`${s.name} on ${kind}: ${Math.round(performance.now() - t0)} ms`);
            },
          });
          if (!ok) console.log(`${s.name} failed on ${kind}'s broker`);
        }
        await broker.stop();
      } finally {
        await broker.kill();
        await zk.stop();
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    },
  });
}
