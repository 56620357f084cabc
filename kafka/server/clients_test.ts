/**
 * Real clients against herd's listener on loopback: kafka-python 2.0.2, Apache 2.8.2's
 * BrokerApiVersionsCommand (kafka-broker-api-versions.sh) and kcat -L, each compared with what it
 * prints against Apache 2.8.2's broker (testdata/README.md). A missing client is skipped with the
 * reason printed, except under CI=true, where the test fails.
 */
import assert from "node:assert/strict";
import { KafkaListener } from "./server.ts";
import { staticBrokerState } from "./broker_state.ts";
import { Logger } from "../../internal/log.ts";

const CI = Deno.env.get("CI") === "true";
const CACHE = Deno.env.get("HERD_CACHE") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/herd`;
const RUN_CLASS = new URL("../../conformance/apache/bin/kafka-run-class.sh", import.meta.url)
  .pathname;

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((d) => exists(`${d}/${cmd}`));
}

/** `ignore` for a test: true (reason printed) when `why` says what is missing, unless CI. */
function missing(label: string, why: string | undefined): boolean {
  if (why === undefined || CI) return false;
  console.log(`skip ${label}: ${why}`);
  return true;
}

const NO_PYTHON = exists("/usr/bin/python3") &&
    new Deno.Command("/usr/bin/python3", { args: ["-c", "import kafka"], stderr: "null" })
      .outputSync().success
  ? undefined
  : "kafka-python (python3-kafka) is not installed";
const NO_JAVA = onPath("java") && exists(`${CACHE}/kafka-2.8.2/libs/kafka_2.12-2.8.2.jar`)
  ? undefined
  : "java or the Kafka 2.8.2 jars are missing (conformance/apache/fetch.sh)";
const NO_KCAT = onPath("kcat") ? undefined : "kcat is not installed (apt-get install -y kcat)";

async function withBroker(fn: (port: number) => Promise<void>): Promise<void> {
  const state = staticBrokerState({ host: "127.0.0.1", port: 0, topics: { t: 2 } });
  const l = KafkaListener.start({
    hostname: "127.0.0.1",
    port: 0,
    state,
    log: new Logger("", "WARN", () => {}),
  });
  state.brokers = [{ id: 0, host: "127.0.0.1", port: l.port, rack: null }];
  try {
    await fn(l.port);
  } finally {
    await l.close();
  }
}

async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(
    out.success,
    `${cmd} exited ${out.code}\n${text}\n${new TextDecoder().decode(out.stderr)}`,
  );
  return text;
}

function fixture(name: string, port: number): string {
  return Deno.readTextFileSync(new URL(`testdata/${name}`, import.meta.url))
    .replaceAll("PORT", String(port));
}

Deno.test({
  name: "kafka-python 2.0.2 reads the topics and partitions herd's Metadata lists",
  ignore: missing("kafka-python", NO_PYTHON),
  async fn() {
    assert.equal(NO_PYTHON, undefined, NO_PYTHON);
    await withBroker(async (port) => {
      const script = [
        "from kafka import KafkaConsumer, KafkaAdminClient",
        `c = KafkaConsumer(bootstrap_servers='127.0.0.1:${port}')`,
        "print(sorted(c.topics()))",
        "print(sorted(c.partitions_for_topic('t')))",
        "print(c.partitions_for_topic('nosuch'))",
        "c.close()",
        `a = KafkaAdminClient(bootstrap_servers='127.0.0.1:${port}')`,
        "print(a.list_topics())",
        "print(a.describe_cluster()['controller_id'])",
        "a.close()",
      ].join("\n");
      // Not the repo as cwd: its kafka/ folder would shadow kafka-python's package.
      const dir = await Deno.makeTempDir({ prefix: "herd-ksrv-" });
      let out: string;
      try {
        out = await run("/usr/bin/python3", ["-c", script], dir);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
      assert.deepEqual(out.trim().split("\n"), ["['t']", "[0, 1]", "None", "['t']", "0"]);
    });
  },
});

Deno.test({
  name: "kafka-broker-api-versions.sh prints against herd what it prints against Apache 2.8.2",
  ignore: missing("BrokerApiVersionsCommand", NO_JAVA),
  async fn() {
    assert.equal(NO_JAVA, undefined, NO_JAVA);
    await withBroker(async (port) => {
      const out = await run(RUN_CLASS, [
        "kafka.admin.BrokerApiVersionsCommand",
        "--bootstrap-server",
        `127.0.0.1:${port}`,
      ]);
      assert.equal(out, fixture("apache-2.8.2-broker-api-versions.txt", port));
    });
  },
});

Deno.test({
  name: "kcat -L prints against herd what it prints against Apache 2.8.2",
  ignore: missing("kcat -L", NO_KCAT),
  async fn() {
    assert.equal(NO_KCAT, undefined, NO_KCAT);
    await withBroker(async (port) => {
      const out = await run("kcat", ["-L", "-b", `127.0.0.1:${port}`]);
      assert.equal(out, fixture("apache-2.8.2-kcat-L.txt", port));
    });
  },
});
