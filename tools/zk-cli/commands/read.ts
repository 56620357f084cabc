/**
 * The reading commands: get, ls, stat, getAllChildrenNumber, getEphemerals, sync.
 *
 * @module
 */
import { Err, ZkError } from "../../../zk/client/mod.ts";
import { helpText, type OptionsSpec } from "../cli_options.ts";
import { CliError } from "../errors.ts";
import { javaList, statLines } from "../format.ts";
import {
  type CliCommand,
  type CommandContext,
  flag,
  parseArgs,
  retainWatchCompatibility,
  usageError,
} from "./command.ts";
import { visitSubTreeDFS } from "./tree.ts";

// Java keeps a leading BOM; TextDecoder would drop it.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

const GET: OptionsSpec = { options: [flag("s", "stats"), flag("w", "watch")] };

/** `get [-s] [-w] path`: the data ("null" when the node has none), then the stat with -s. */
export const get: CliCommand = {
  name: "get",
  syntax: "[-s] [-w] path",
  async run(argv, ctx) {
    let cl = parseArgs(this, GET, argv, 2);
    cl = retainWatchCompatibility(
      GET,
      argv,
      cl,
      WARN("get path [watch]", "get [-s] [-w] path"),
      ctx,
    );
    const path = cl.args[1];
    const { data, stat } = await (await ctx.zk(path)).getData(path, cl.has("w"));
    ctx.out(data === null ? "null" : decoder.decode(data));
    if (cl.has("s")) statLines(stat).forEach((l) => ctx.out(l));
  },
};

function WARN(old: string, now: string): string {
  return `'${old}' has been deprecated. Please use '${now}' instead.`;
}

const LS_OPTIONS = [flag("?", "help"), flag("s", "stat"), flag("w", "watch"), flag("R", "recurse")];
const LS: OptionsSpec = { options: LS_OPTIONS };

/** `ls [-s] [-w] [-R] path`: sorted children as "[a, b]"; -R lists the subtree, one per line. */
export const ls: CliCommand = {
  name: "ls",
  syntax: "[-s] [-w] [-R] path",
  async run(argv, ctx) {
    let cl = parseArgs(this, LS, argv, 0);
    if (cl.has("?")) helpText("ls [options] path", LS_OPTIONS).forEach((l) => ctx.out(l));
    cl = retainWatchCompatibility(LS, argv, cl, WARN("ls path [watch]", "ls [-w] path"), ctx);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    const watch = cl.has("w");
    const zk = await ctx.zk(path);
    if (cl.has("R")) {
      await visitSubTreeDFS(zk, path, watch, (p) => ctx.out(p));
    } else if (cl.has("s")) {
      const { children, stat } = await zk.getChildren2(path, watch);
      ctx.out(javaList(children.sort()));
      statLines(stat).forEach((l) => ctx.out(l));
    } else {
      ctx.out(javaList((await zk.getChildren(path, watch)).sort()));
    }
  },
};

const STAT: OptionsSpec = { options: [flag("w", "watch")] };

/** `stat [-w] path`: the stat block; NoNode when the node does not exist. */
export const stat: CliCommand = {
  name: "stat",
  syntax: "[-w] path",
  async run(argv, ctx) {
    let cl = parseArgs(this, STAT, argv, 2);
    cl = retainWatchCompatibility(STAT, argv, cl, WARN("stat path [watch]", "stat [-w] path"), ctx);
    const path = cl.args[1];
    const st = await (await ctx.zk(path)).exists(path, cl.has("w"));
    if (st === null) throw new ZkError(Err.NONODE, path);
    statLines(st).forEach((l) => ctx.out(l));
  },
};

const NONE: OptionsSpec = { options: [] };

/** `getAllChildrenNumber path`: the number of descendants. */
export const getAllChildrenNumber: CliCommand = {
  name: "getAllChildrenNumber",
  syntax: "path",
  async run(argv, ctx) {
    const cl = parseArgs(this, NONE, argv, 0);
    if (cl.args.length < 2) throw usageError(this);
    const path = cl.args[1];
    ctx.out(String(await (await ctx.zk(path)).getAllChildrenNumber(path)));
  },
};

/** `getEphemerals [path]`: this session's ephemeral nodes under the prefix, in server order. */
export const getEphemerals: CliCommand = {
  name: "getEphemerals",
  syntax: "path",
  async run(argv, ctx) {
    const cl = parseArgs(this, NONE, argv, 0);
    const prefix = cl.args.length < 2 ? "/" : cl.args[1];
    ctx.out(javaList(await (await ctx.zk(prefix)).getEphemerals(prefix)));
  },
};

/** How long `sync` waits for its answer (SyncCommand's 30 s). */
const SYNC_TIMEOUT_MS = 30_000;

/** `sync path`: "Sync is OK", or the failure's code. */
export const sync: CliCommand = {
  name: "sync",
  syntax: "path",
  async run(argv, ctx) {
    const cl = parseArgs(this, NONE, argv, 2);
    const path = cl.args[1];
    const zk = await ctx.zk(path);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), SYNC_TIMEOUT_MS);
    });
    const rc = zk.sync(path).then(() => Err.OK as number, (e) => {
      if (e instanceof ZkError) return e.code;
      throw e;
    });
    try {
      const result = await Promise.race([rc, timeout]);
      // A TimeoutException has no message: zkCli prints "null".
      if (result === "timeout") throw new CliError("null");
      syncResult(ctx, result);
    } finally {
      clearTimeout(timer);
    }
  },
};

function syncResult(ctx: CommandContext, rc: number): void {
  ctx.out(rc === Err.OK ? "Sync is OK" : `Sync has failed. rc=${rc}`);
}
