/**
 * confluent-kafka for Python (librdkafka; Debian's python3-confluent-kafka):
 * `confluent_scenario.py`, keyed records in every codec and an idempotent producer, compared with
 * what it printed against Apache 2.8.2's broker (`testdata/confluent.txt`).
 *
 * @module
 */
import { expectFixture, mask } from "./_expect.ts";
import { type Broker, runOk } from "./_target.ts";

const SCRIPT = new URL("./confluent_scenario.py", import.meta.url).pathname;
/** Debian's interpreter, where python3-confluent-kafka installs (not a pyenv shim on PATH). */
const PYTHON = "/usr/bin/python3";

/** Why confluent-kafka cannot run here, or undefined. */
export function confluentMissing(): string | undefined {
  const ok = (() => {
    try {
      return new Deno.Command(PYTHON, {
        args: ["-c", "import confluent_kafka"],
        cwd: "/",
        stdout: "null",
        stderr: "null",
      }).outputSync().success;
    } catch {
      return false;
    }
  })();
  return ok
    ? undefined
    : `${PYTHON} cannot import confluent_kafka (apt-get install python3-confluent-kafka)`;
}

/** Run the confluent-kafka scenario against `broker`. */
export async function confluentScenario(broker: Broker): Promise<void> {
  // From /, so that the repo's kafka/ folder cannot pass for a Python package.
  const r = await runOk(PYTHON, [SCRIPT, broker.bootstrap], { cwd: "/" });
  await expectFixture("confluent", mask(r.out, broker), broker);
}
