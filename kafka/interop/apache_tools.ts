/**
 * Apache 2.8.2's own admin tools against a broker: `kafka-consumer-groups.sh` (--reset-offsets,
 * --describe with lag, with an active member, --members --verbose, --state, --delete, --list)
 * and `kafka-configs.sh` (--alter --add-config/--delete-config and --describe for a topic, a
 * broker and the broker default, --describe --all, and the errors for an unknown topic and a bad
 * value). Each command's stdout, stderr (stack frames dropped) and exit code go into one
 * transcript, masked, compared with Apache's (`testdata/apache-tools.txt`).
 *
 * The active member is kcat's balanced consumer (-G): librdkafka joins like any client, and it
 * starts in milliseconds, where a JVM would take seconds.
 *
 * @module
 */
import { KAFKA_BIN } from "../log/_apache.ts";
import { expectFixture, mask } from "./_expect.ts";
import { type Broker, run, runOk, waitFor } from "./_target.ts";

const TOPIC = "tools-lag";
const GROUP = "tools-group";

/** A transcript of tool runs: `$ tool args`, then what it printed and its exit code. */
class Transcript {
  text = "";

  constructor(readonly broker: Broker) {}

  /** Run an Apache tool (name without `.sh`), add it to the transcript, return its stdout. */
  async tool(name: string, args: string[]): Promise<string> {
    const r = await run(`${KAFKA_BIN}/${name}.sh`, [
      "--bootstrap-server",
      this.broker.bootstrap,
      ...args,
    ]);
    const err = r.err.split("\n").filter((l) => !/^\t(at |\.\.\. \d+ more)/.test(l)).join("\n");
    this.text += `$ ${name} ${args.join(" ")}\n${r.out}${
      err ? `[stderr]\n${err}` : ""
    }[exit ${r.code}]\n`;
    return r.out;
  }

  /**
   * Dynamic broker configs reach a broker's memory through a ZooKeeper notification, a moment
   * after the alter returns (on Apache's broker too): wait until kafka-configs `args` prints
   * what `settled` matches, then record that run.
   */
  async settled(args: string[], settled: RegExp): Promise<void> {
    const probe = new Transcript(this.broker);
    await waitFor(
      `kafka-configs ${args.join(" ")} to match ${settled}`,
      async () => settled.test(await probe.tool("kafka-configs", args)),
      60_000,
      100,
    );
    await this.tool("kafka-configs", args);
  }
}

/** kcat -G in the background: a group member until stopped. */
function startMember(broker: Broker): { child: Deno.ChildProcess; out: () => string } {
  const child = new Deno.Command("kcat", {
    args: [
      "-b",
      broker.bootstrap,
      "-u",
      "-G",
      GROUP,
      "-X",
      "auto.commit.interval.ms=100",
      "-f",
      "%p %o %s\n",
      TOPIC,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let text = "";
  (async () => {
    const d = new TextDecoder();
    for await (const c of child.stdout) text += d.decode(c, { stream: true });
  })();
  return { child, out: () => text };
}

/** The consumer-groups part: reset, lag, an active member, its departure, delete. */
async function groups(t: Transcript, broker: Broker): Promise<void> {
  await runOk(`${KAFKA_BIN}/kafka-topics.sh`, [
    "--bootstrap-server",
    broker.bootstrap,
    "--create",
    "--topic",
    TOPIC,
    "--partitions",
    "2",
    "--replication-factor",
    "1",
  ]);
  for (const [partition, n] of [[0, 6], [1, 4]]) {
    const lines = Array.from({ length: n }, (_, i) => `p${partition}-${i}`).join("\n") + "\n";
    await runOk("kcat", ["-b", broker.bootstrap, "-P", "-t", TOPIC, "-p", String(partition)], {
      stdin: lines,
    });
  }
  await t.tool("kafka-consumer-groups", [
    "--reset-offsets",
    "--group",
    GROUP,
    "--topic",
    TOPIC,
    "--to-offset",
    "2",
    "--execute",
  ]);
  await t.tool("kafka-consumer-groups", ["--describe", "--group", GROUP]);
  const member = startMember(broker);
  try {
    // From the committed offsets 2 and 2: four records of partition 0, two of partition 1.
    await waitFor(
      "kcat -G to read the 6 records after the committed offsets",
      () => member.out().split("\n").filter((l) => l !== "").length >= 6,
      60_000,
      50,
    );
    const probe = new Transcript(broker);
    await waitFor(
      "the member's commits (lag 0)",
      async () => {
        const out = await probe.tool("kafka-consumer-groups", ["--describe", "--group", GROUP]);
        return /tools-lag +0 +6 +6 +0 +rdkafka-/.test(out) && /tools-lag +1 +4 +4 +0 /.test(out);
      },
      60_000,
      100,
    );
    await t.tool("kafka-consumer-groups", ["--describe", "--group", GROUP]);
    await t.tool("kafka-consumer-groups", [
      "--describe",
      "--group",
      GROUP,
      "--members",
      "--verbose",
    ]);
    await t.tool("kafka-consumer-groups", ["--describe", "--group", GROUP, "--state"]);
  } finally {
    member.child.kill("SIGTERM");
    await member.child.status;
  }
  // kcat leaves the group as it exits: no waiting for a session timeout.
  await t.tool("kafka-consumer-groups", ["--describe", "--group", GROUP]);
  await t.tool("kafka-consumer-groups", ["--delete", "--group", GROUP]);
  await t.tool("kafka-consumer-groups", ["--describe", "--group", GROUP]);
}

/** The kafka-configs part: topic, broker and broker-default configs. */
async function configs(t: Transcript): Promise<void> {
  const topic = ["--entity-type", "topics", "--entity-name", TOPIC];
  await t.tool("kafka-configs", [
    ...topic,
    "--alter",
    "--add-config",
    "retention.ms=1000,max.message.bytes=2000",
  ]);
  await t.tool("kafka-configs", [...topic, "--describe"]);
  await t.tool("kafka-configs", [...topic, "--alter", "--delete-config", "retention.ms"]);
  await t.tool("kafka-configs", [...topic, "--describe", "--all"]);
  await t.tool("kafka-configs", [
    "--entity-type",
    "topics",
    "--entity-name",
    "nope",
    "--alter",
    "--add-config",
    "retention.ms=5",
  ]);
  await t.tool("kafka-configs", [...topic, "--alter", "--add-config", "retention.ms=abc"]);
  const broker = ["--entity-type", "brokers", "--entity-name", "1"];
  await t.tool("kafka-configs", [...broker, "--alter", "--add-config", "log.cleaner.threads=2"]);
  await t.settled([...broker, "--describe"], /log\.cleaner\.threads=2/);
  const defaults = ["--entity-type", "brokers", "--entity-default"];
  await t.tool("kafka-configs", [
    ...defaults,
    "--alter",
    "--add-config",
    "log.retention.ms=604800000",
  ]);
  await t.settled([...defaults, "--describe"], /log\.retention\.ms=604800000/);
  await t.tool("kafka-configs", [...broker, "--describe", "--all"]);
  // Put the broker back as it was for the scenarios that follow.
  await t.tool("kafka-configs", [...broker, "--alter", "--delete-config", "log.cleaner.threads"]);
  await t.tool("kafka-configs", [...defaults, "--alter", "--delete-config", "log.retention.ms"]);
  await t.settled([...defaults, "--describe"], /are:\n$/);
  await t.settled([...broker, "--describe"], /are:\n$/);
}

/** Run Apache's kafka-consumer-groups and kafka-configs against `broker`. */
export async function apacheToolsScenario(broker: Broker): Promise<void> {
  const t = new Transcript(broker);
  await groups(t, broker);
  await configs(t);
  await expectFixture("apache-tools", mask(t.text, broker), broker);
}
