/**
 * The runner against a real herd server: a wrong expected line fails the run with a diff that
 * shows Apache's line and the target's; and what a column cannot run is listed with its reason.
 */
import assert from "node:assert/strict";
import { gate } from "./_gate.ts";
import { TRANSCRIPT_DIR } from "./load.ts";
import { runOne, type SuiteOptions } from "./runner.ts";
import { apacheMissing } from "./tools.ts";
import { parseTranscript } from "./transcript.ts";

const TEST = { sanitizeOps: false, sanitizeResources: false };
const opts: SuiteOptions = { targets: ["herd"], kafka: {}, slow: false, only: [], jobs: 1 };

Deno.test({ name: "a wrong expected line fails the run, with a diff", ...TEST }, async () => {
  const t = parseTranscript(
    "wrong.yaml",
    [
      "title: wrong",
      "steps:",
      `  - sh: "echo 'Mode: standalone'; echo 'Node count: 5'"`,
      "    out: |",
      "      Mode: standalone",
      "      Node count: 6",
      "  - sh: echo unchanged",
      "    out: unchanged",
    ].join("\n"),
  );
  const r = await runOne(t, "herd", opts);
  assert.equal(r.status, "fail");
  assert.deepEqual(r.steps.map((s) => s.status), ["fail", "pass"]);
  assert.equal(r.steps[0].diff, "  Mode: standalone\n- Node count: 6\n+ Node count: 5");
});

const zkcli = gate("runner: zkCli transcript against herd", apacheMissing());
Deno.test({
  name: "a wrong line in a real transcript fails it: zkcli-01-basic-info with numChildren 3",
  ignore: zkcli.ignore,
  ...TEST,
}, async () => {
  zkcli.check();
  const file = `${TRANSCRIPT_DIR}/zookeeper/zkcli-01-basic-info.yaml`;
  const text = await Deno.readTextFile(file);
  assert.ok(text.includes("numChildren = 2"));
  const wrong = parseTranscript(file, text.replace("numChildren = 2", "numChildren = 3"));
  const r = await runOne(wrong, "herd", opts);
  assert.equal(r.status, "fail");
  const failed = r.steps.filter((s) => s.status === "fail");
  assert.equal(failed.length, 1, JSON.stringify(r.steps));
  assert.equal(failed[0].label, "step 3: zkcli: stat /zookeeper");
  assert.match(failed[0].diff ?? "", /^- numChildren = 3\n\+ numChildren = 2$/m);
});

Deno.test({ name: "what a column cannot run is listed with the reason", ...TEST }, async () => {
  const ensemble = parseTranscript(
    "ensemble.yaml",
    "title: e\nserver:\n  kind: ensemble\nsteps:\n  - server: start n1\n",
  );
  const herd = await runOne(ensemble, "herd", opts);
  assert.equal(herd.status, "skip");
  assert.match(
    herd.reason ?? "",
    /^not yet supported: herd ensembles \(the conformance runner starts only Apache ensembles/,
  );

  const kafka = parseTranscript("k.yaml", "title: k\nsystem: kafka\nsteps:\n  - sh: echo\n");
  const k = await runOne(kafka, "herd", opts);
  assert.equal(k.status, "skip");
  assert.match(k.reason ?? "", /needs Apache Kafka \(herd has no Kafka broker yet\)/);

  const slow = parseTranscript("s.yaml", "title: s\nslow: true\nsteps:\n  - sh: echo\n");
  assert.match((await runOne(slow, "herd", opts)).reason ?? "", /slow: run with --slow/);

  const fresh = parseTranscript("f.yaml", "title: f\nsteps:\n  - sh: echo\n");
  const ext = await runOne(fresh, "external", { ...opts, zk: "127.0.0.1:1" });
  assert.match(ext.reason ?? "", /needs a server the suite starts/);
  assert.equal((await runOne(fresh, "herd-cli", opts)).status, "n/a");
});
