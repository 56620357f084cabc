/**
 * Watches beyond `get -w`/`ls -w`/`stat -w`: addWatch (persistent, optionally recursive) and
 * removewatches. Events reach the shell's watcher, which prints them.
 *
 * @module
 */
import { AddWatchMode, WatcherType } from "../../../zk/client/mod.ts";
import type { OptionsSpec } from "../cli_options.ts";
import { type CliCommand, flag, parseArgs, usageError, valued } from "./command.ts";

const ADD_WATCH: OptionsSpec = { options: [valued("m", "")] };
const MODES: Record<string, number> = {
  PERSISTENT: AddWatchMode.PERSISTENT,
  PERSISTENT_RECURSIVE: AddWatchMode.PERSISTENT_RECURSIVE,
};

/** `addWatch [-m mode] path`: a persistent watch, recursive unless `-m PERSISTENT`. */
export const addWatch: CliCommand = {
  name: "addWatch",
  syntax: "[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - " +
    "default is PERSISTENT_RECURSIVE",
  async run(argv, ctx) {
    const cl = parseArgs(this, ADD_WATCH, argv, 0);
    if (cl.args.length !== 2) throw usageError(this);
    let mode: number = AddWatchMode.PERSISTENT_RECURSIVE;
    if (cl.has("m")) {
      const name = cl.value("m")!.toUpperCase();
      if (!(name in MODES)) throw usageError(this);
      mode = MODES[name];
    }
    const path = cl.args[1];
    await (await ctx.zk(path)).addWatch(path, mode);
  },
};

const REMOVE_WATCHES: OptionsSpec = {
  options: [
    flag("c", "child watcher type"),
    flag("d", "data watcher type"),
    flag("a", "any watcher type"),
    flag("l", "remove locally when there is no server connection"),
  ],
};

/** `removewatches path [-c|-d|-a] [-l]`: every watcher of the type (default any) on the path. */
export const removewatches: CliCommand = {
  name: "removewatches",
  syntax: "path [-c|-d|-a] [-l]",
  async run(argv, ctx) {
    const cl = parseArgs(this, REMOVE_WATCHES, argv, 2);
    const path = cl.args[1];
    const type = cl.has("c")
      ? WatcherType.Children
      : cl.has("d")
      ? WatcherType.Data
      : WatcherType.Any;
    await (await ctx.zk(path)).removeAllWatches(path, type, cl.has("l"));
  },
};
