/**
 * kafka-topics --bootstrap-server, herd's and Apache 2.8.2's, against Apache 2.8.2's broker: the
 * same commands print the same stdout and exit codes, and the same error lines on stderr (time
 * stamps aside). Each tool works on topics of its own (`a-…` for Apache's, `h-…` for herd's),
 * so names are swapped and topic ids masked before comparing. herd's broker runs the same
 * commands in kafka/server's end-to-end tests.
 */
import assert from "node:assert/strict";
import {
  ApacheBroker,
  apacheIgnored,
  KAFKA_BIN,
  requireApache,
  ZooKeeper,
} from "../../kafka/log/_apache.ts";
import { ROOT } from "../_launch_test_util.ts";

interface Ran {
  code: number;
  out: string;
  err: string;
}

async function run(script: string, args: string[]): Promise<Ran> {
  const o = await new Deno.Command(script, {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { LOG_DIR: Deno.makeTempDirSync({ prefix: "herd-topics-log-" }) },
  }).output();
  const d = new TextDecoder();
  return { code: o.code, out: d.decode(o.stdout), err: d.decode(o.stderr) };
}

/** Topic ids, time stamps and the tool's own topic prefix made neutral. */
function neutral(r: Ran, prefix: string): Ran {
  const n = (s: string) =>
    s.replace(new RegExp(`\\b${prefix}(?=[-.])`, "g"), "X")
      .replace(/TopicId: [A-Za-z0-9_-]{22}/g, "TopicId: <id>")
      .replace(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] /gm, "[<time>] ")
      // The JVM's own start-up lines are not the tool's output, and herd prints no Java stack
      // frames (the error line before them is the same).
      .split("\n").filter((l) =>
        !l.includes("Log4jControllerRegistration") && !l.startsWith("\tat ")
      )
      .join("\n");
  return { code: r.code, out: n(r.out), err: n(r.err) };
}

/** The seed's commands, in the tool's own namespace `p`. */
const SCRIPT = (bs: string, p: string): string[][] => [
  [
    "--bootstrap-server",
    bs,
    "--create",
    "--topic",
    `${p}-kafkatest`,
    "--partitions",
    "2",
    "--replication-factor",
    "1",
  ],
  [
    "--bootstrap-server",
    bs,
    "--create",
    "--topic",
    `${p}-kafkatest`,
    "--partitions",
    "1",
    "--replication-factor",
    "1",
  ],
  [
    "--bootstrap-server",
    bs,
    "--create",
    "--if-not-exists",
    "--topic",
    `${p}-kafkatest`,
    "--partitions",
    "1",
    "--replication-factor",
    "1",
  ],
  [
    "--bootstrap-server",
    bs,
    "--create",
    "--topic",
    `${p}-cfg`,
    "--config",
    "retention.ms=1000",
    "--config",
    "max.message.bytes=2000",
  ],
  [
    "--bootstrap-server",
    bs,
    "--create",
    "--topic",
    `${p}-big`,
    "--partitions",
    "1",
    "--replication-factor",
    "3",
  ],
  ["--bootstrap-server", bs, "--create", "--topic", `${p}.dot_under`],
  ["--bootstrap-server", bs, "--list", "--topic", `${p}-.*`],
  ["--bootstrap-server", bs, "--describe", "--topic", `${p}-kafkatest`],
  ["--bootstrap-server", bs, "--describe", "--topic", `${p}-cfg`],
  ["--bootstrap-server", bs, "--describe", "--topics-with-overrides", "--topic", `${p}-.*`],
  ["--bootstrap-server", bs, "--alter", "--topic", `${p}-kafkatest`, "--partitions", "3"],
  ["--bootstrap-server", bs, "--alter", "--topic", `${p}-kafkatest`, "--partitions", "2"],
  ["--bootstrap-server", bs, "--describe", "--topic", `${p}-kafkatest`],
  ["--bootstrap-server", bs, "--delete", "--topic", `${p}-cfg`],
  ["--bootstrap-server", bs, "--describe", "--topic", `${p}-nope`],
  ["--bootstrap-server", bs, "--delete", "--if-exists", "--topic", `${p}-nope`],
];

Deno.test({
  name: "kafka-topics --bootstrap-server: herd's tool prints what Apache's prints",
  ignore: apacheIgnored("kafka-topics --bootstrap-server against Apache's broker"),
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  requireApache();
  const zk = await ZooKeeper.start();
  const dir = await Deno.makeTempDir({ prefix: "herd-topics-admin-" });
  const broker = new ApacheBroker(dir, `${dir}/logs`, zk.connect);
  try {
    await broker.start();
    const apache = SCRIPT(broker.bootstrap, "a");
    const herd = SCRIPT(broker.bootstrap, "h");
    for (let i = 0; i < apache.length; i++) {
      const a = neutral(await run(`${KAFKA_BIN}/kafka-topics.sh`, apache[i]), "a");
      const h = neutral(await run(`${ROOT}bin/kafka-topics.sh`, herd[i]), "h");
      assert.deepEqual(h, a, `kafka-topics ${apache[i].slice(2).join(" ")}`);
    }
  } finally {
    await broker.kill();
    await zk.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
