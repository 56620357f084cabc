/**
 * Every command zkCli 3.8 has that works on the session (Apache's CliCommand classes). The shell
 * itself handles connect, history, redo, printwatches and quit.
 *
 * @module
 */
import { addauth, getAcl, setAcl, whoami } from "./acl.ts";
import { close, config, reconfig, version } from "./admin.ts";
import type { CliCommand } from "./command.ts";
import { delquota, listquota, setquota } from "./quota.ts";
import { get, getAllChildrenNumber, getEphemerals, ls, stat, sync } from "./read.ts";
import { addWatch, removewatches } from "./watches.ts";
import { create, del, deleteall, set } from "./write.ts";

export type { CliCommand, CommandContext } from "./command.ts";

/** The session commands by name. */
export const COMMANDS: ReadonlyMap<string, CliCommand> = new Map(
  [
    addWatch,
    addauth,
    close,
    config,
    create,
    del,
    deleteall,
    delquota,
    get,
    getAcl,
    getAllChildrenNumber,
    getEphemerals,
    listquota,
    ls,
    reconfig,
    removewatches,
    set,
    setAcl,
    setquota,
    stat,
    sync,
    version,
    whoami,
  ].map((c) => [c.name, c]),
);
