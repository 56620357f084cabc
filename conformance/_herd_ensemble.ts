/**
 * Ask herd itself whether it can be an ensemble member: start it on a zoo.cfg with `server.N`
 * lines. Today herd refuses (DECISIONS.md: running standalone would split the ensemble), and its
 * message is the reason the report prints; once it accepts, the probe says so.
 *
 * @module
 */
import { freePort, ServerProcess } from "./_process.ts";
import { HERD_ZK_SERVER } from "./tools.ts";

let answer: Promise<string> | undefined;

async function probe(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "herd-conformance-probe-" });
  try {
    await Deno.mkdir(`${dir}/data`);
    await Deno.writeTextFile(`${dir}/data/myid`, "1\n");
    const [a, b, c, d] = [freePort(), freePort(), freePort(), freePort()];
    await Deno.writeTextFile(
      `${dir}/zoo.cfg`,
      `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=${dir}/data\nclientPort=${a}\n` +
        `clientPortAddress=127.0.0.1\nserver.1=127.0.0.1:${b}:${c}\nserver.2=127.0.0.1:${d}:${
          d + 1
        }\n`,
    );
    const proc = new ServerProcess(
      Deno.execPath(),
      ["run", "-A", HERD_ZK_SERVER, "start-foreground", `${dir}/zoo.cfg`],
      { cwd: dir },
    );
    const timer = setTimeout(() => proc.stop(), 20_000);
    const status = await proc.exited;
    clearTimeout(timer);
    await proc.stop();
    if (status.success || status.signal) {
      return "herd accepted a zoo.cfg with server.N lines, but conformance/ensemble.ts starts " +
        "only Apache ensembles so far";
    }
    const said = proc.output().split("\n").find((l) => /Invalid config|server\.\d/.test(l));
    const why = said?.match(/herd cannot run an ensemble yet[^.]*/)?.[0] ??
      said?.replace(/^.*Invalid config, exiting abnormally: /, "").replaceAll(`${dir}/`, "") ??
      `exit code ${status.code}`;
    return `it refuses a zoo.cfg with server.N lines: "${why}"`;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Why herd cannot run the ensemble transcripts (cached for the run). */
export function herdEnsembleMissing(): Promise<string> {
  answer ??= probe();
  return answer;
}
