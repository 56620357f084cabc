/**
 * Replay a reference `.cmds` file through an interactive zkCli, line by line,
 * and produce a {@linkcode Transcript} in the reference's own shape.
 *
 * `.cmds` directives: `#note …` (a remark), `#sleep N` (wait N seconds, output
 * that arrives meanwhile belongs to the previous command), `#sh CMD` (run a
 * shell command, output merged). `127.0.0.1:PORT` in any line is pointed at the
 * target.
 *
 * @module
 */

import type { Step, Transcript } from "./_transcript.ts";
import { retarget, runMerged, ZkCliSession } from "./_zkcli.ts";

/** How to pace a replay. */
export interface ReplayOptions {
  /**
   * `.cmds` line index (0-based) → seconds after the first zkCli command: the
   * line is not sent before then. For transcripts whose output depends on
   * server timers (TTL, container reaping).
   */
  schedule?: Map<number, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * @example
 * ```ts
 * const actual = await replayCmds("127.0.0.1:2181", await Deno.readTextFile("03-acl.cmds"));
 * ```
 */
export async function replayCmds(
  connectString: string,
  cmds: string,
  opts: ReplayOptions = {},
): Promise<Transcript> {
  const session = new ZkCliSession(connectString);
  // Steps in order; zkCli steps point at the session's block, which may still
  // receive late lines until the end.
  const order: ({ block: number } | { step: Step })[] = [{ block: 0 }];
  let exitCode: number | undefined;
  let t0: number | undefined;
  try {
    await session.ready();
    const lines = cmds.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.trim() === "" || line.startsWith("#note")) continue;
      const due = opts.schedule?.get(i);
      if (due !== undefined && t0 !== undefined) {
        const wait = t0 + due * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const sleepMatch = line.match(/^#sleep\s+(\d+(?:\.\d+)?)$/);
      if (sleepMatch) {
        await sleep(Number(sleepMatch[1]) * 1000);
        continue;
      }
      if (line.startsWith("#sh ")) {
        const command = retarget(line.slice(4), connectString);
        const { lines: out } = await runMerged(command);
        order.push({ step: { kind: "sh", command, out, err: [] } });
        continue;
      }
      if (line.startsWith("#")) throw new Error(`unknown .cmds directive: ${line}`);
      t0 ??= Date.now();
      const command = retarget(line, connectString);
      if (command.trim() === "quit") {
        exitCode = await session.quit(command);
        order.push({ block: session.blocks.length - 1 });
        break;
      }
      await session.send(command);
      order.push({ block: session.blocks.length - 1 });
    }
    if (exitCode === undefined) exitCode = await session.quit("");
  } finally {
    session.kill();
    await session.closed();
  }
  const steps = order.map((o): Step => {
    if ("step" in o) return o.step;
    const block = session.blocks[o.block];
    return {
      kind: o.block === 0 ? "preamble" : "in",
      command: block.command,
      out: block.lines.filter((l) => l.tag === "OUT").map((l) => l.text),
      err: block.lines.filter((l) => l.tag === "ERR").map((l) => l.text),
    };
  });
  return { steps, exitCode };
}
