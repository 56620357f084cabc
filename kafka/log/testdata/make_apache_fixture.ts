/**
 * Re-records `apache-2.8.2/`: what Apache Kafka 2.8.2 wrote in its log.dirs for the scenario of
 * `../_apache.ts` (see README.md there). From the repo root:
 *
 *   deno run -A kafka/log/testdata/make_apache_fixture.ts
 *
 * @module
 */
import { runScenario, SCENARIO } from "../_apache.ts";

const out = new URL("./apache-2.8.2/", import.meta.url).pathname;
const run = await runScenario();
try {
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(out, { recursive: true });
  const copied: string[] = [];
  for (const e of Deno.readDirSync(run.logDir)) {
    if (e.isFile && e.name !== ".lock") {
      await Deno.copyFile(`${run.logDir}/${e.name}`, `${out}/${e.name}`);
      copied.push(e.name);
    } else if (e.name.startsWith(`${SCENARIO.topic}-`)) {
      await Deno.mkdir(`${out}/${e.name}`);
      for (const f of Deno.readDirSync(`${run.logDir}/${e.name}`)) {
        await Deno.copyFile(`${run.logDir}/${e.name}/${f.name}`, `${out}/${e.name}/${f.name}`);
        copied.push(`${e.name}/${f.name}`);
      }
    }
  }
  for (const [p, text] of run.reads) await Deno.writeTextFile(`${out}/reads-${p}.jsonl`, text);
  console.log(copied.sort().join("\n"));
} finally {
  await run.cleanup();
}
