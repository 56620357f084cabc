/**
 * Draft a transcript's steps from a live Apache server: feed zkCli commands (one per line on
 * stdin; `#sh CMD` for a shell command) and get YAML steps with what Apache printed, its dates,
 * session ids and address already turned into `{{date}}`, `{{session}}` and `{{server}}`. Review
 * the draft against the seed or `conformance/reference/` before committing it: the expected output
 * must be Apache's.
 *
 * `deno run -A conformance/record.ts --zk 127.0.0.1:2181 < commands.txt`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { type Block, runMerged, ZkCliSession } from "./_zkcli.ts";
import { APACHE_TOOLS } from "./tools.ts";

const EPOCH = "Thu Jan 01 00:00:00 UTC 1970";

/** Replace what varies between runs of Apache with placeholders. */
export function generalise(line: string, server: string): string {
  return line
    .replace(/^(ctime|mtime) = (.*)$/, (all, k, v) => (v === EPOCH ? all : `${k} = {{date}}`))
    .replace(/\b0x[0-9a-f]{9,16}\b/g, "{{session}}")
    .replaceAll(server, "{{server}}");
}

function expected(lines: string[], server: string): string | undefined {
  if (lines.length === 0) return undefined;
  return lines.map((l) => generalise(l, server)).join("\n") + "\n";
}

function step(action: Record<string, string>, block: Block, server: string) {
  const out = expected(block.out, server);
  const err = expected(block.err, server);
  return { ...action, ...(out ? { out } : {}), ...(err ? { err } : {}) };
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { zk: { type: "string" } } });
  const server = values.zk;
  if (!server) {
    console.error("usage: record.ts --zk host:port < commands");
    return 2;
  }
  const input = await new Response(Deno.stdin.readable).text();
  const session = new ZkCliSession(APACHE_TOOLS.zkCli, server);
  const steps: Record<string, unknown>[] = [];
  try {
    await session.ready();
    steps.push(step({ "zkcli-open": "{{server}}" }, session.blocks[0], server));
    for (const line of input.split("\n").filter((l) => l.trim() !== "")) {
      if (line.startsWith("#sh ")) {
        const { code, lines } = await runMerged(line.slice(4));
        steps.push({
          sh: generalise(line.slice(4), server),
          ...step({}, { out: lines, err: [] }, server),
          exit: code,
        });
      } else if (line.trim() === "quit") {
        const { block, code } = await session.quit(line);
        steps.push({ ...step({ zkcli: line }, block, server), exit: code });
        break;
      } else {
        steps.push(step({ zkcli: generalise(line, server) }, await session.send(line), server));
      }
    }
  } finally {
    await session.close();
  }
  console.log(stringify({ steps }, { blockQuote: "literal", lineWidth: 0 }));
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
