/**
 * Access control: getAcl, setAcl, addauth, whoami.
 *
 * @module
 */
import { Err, validatePath, ZkError } from "../../../zk/client/mod.ts";
import { parseAcl } from "../acl_parser.ts";
import type { OptionsSpec } from "../cli_options.ts";
import { crashOnNumber, keeperMessage } from "../errors.ts";
import { aclText, statLines } from "../format.ts";
import { parseJavaInt } from "../java.ts";
import { type CliCommand, flag, parseArgs, utf8, valued } from "./command.ts";
import { visitSubTreeDFS } from "./tree.ts";

const GET_ACL: OptionsSpec = { options: [flag("s", "stats")] };

/** `getAcl [-s] path`: each entry as `'scheme,'id` and `: perms`, then the stat with -s. */
export const getAcl: CliCommand = {
  name: "getAcl",
  syntax: "[-s] path",
  async run(argv, ctx) {
    const cl = parseArgs(this, GET_ACL, argv, 2);
    const path = cl.args[1];
    const { acl, stat } = await (await ctx.zk(path)).getACL(path);
    for (const entry of acl) ctx.out(aclText(entry));
    if (cl.has("s")) statLines(stat).forEach((l) => ctx.out(l));
  },
};

const SET_ACL: OptionsSpec = {
  options: [flag("s", "stats"), valued("v", "version"), flag("R", "recursive")],
};

/**
 * `setAcl [-s] [-v version] [-R] path acl`. With -R every node of the subtree gets the ACL;
 * a node that refuses prints the error's message with no newline, as Apache's does.
 */
export const setAcl: CliCommand = {
  name: "setAcl",
  syntax: "[-s] [-v version] [-R] path acl",
  async run(argv, ctx) {
    const cl = parseArgs(this, SET_ACL, argv, 3);
    const path = cl.args[1];
    const acl = parseAcl(cl.args[2], ctx.err);
    const version = cl.has("v") ? crashOnNumber(() => parseJavaInt(cl.value("v")!)) : -1;
    const zk = await ctx.zk(path);
    // ZooKeeper.setACL refuses an empty ACL itself, without a path.
    const setOne = (p: string) => {
      validatePath(p);
      if (acl.length === 0) throw new ZkError(Err.INVALIDACL);
      return zk.setACL(p, acl, version);
    };
    if (cl.has("R")) {
      await visitSubTreeDFS(zk, path, false, async (p) => {
        try {
          await setOne(p);
        } catch (e) {
          if (!(e instanceof ZkError)) throw e;
          ctx.print(keeperMessage(e.code, e.path));
        }
      });
      return;
    }
    const stat = await setOne(path);
    if (cl.has("s")) statLines(stat).forEach((l) => ctx.out(l));
  },
};

/** `addauth scheme auth`: adds credentials; a refusal ends the session (AuthFailed). */
export const addauth: CliCommand = {
  name: "addauth",
  syntax: "scheme auth",
  async run(argv, ctx) {
    const cl = parseArgs(this, { options: [] }, argv, 2);
    // Without auth data zkCli sends a null buffer, which servers refuse (AuthFailed); an empty
    // one would be accepted. ZkClient.addAuth passes null through to the wire as -1.
    const auth = cl.args.length >= 3 ? utf8(cl.args[2]) : null;
    const zk = await ctx.zk();
    // zkCli does not wait for the answer; waiting makes the next command see its outcome (an
    // AuthFailed session is "Not connected") instead of racing it. The outcome is reported by
    // the watcher, not here.
    await zk.addAuth(cl.args[1], auth).catch(() => {});
  },
};

/** `whoami`: the identities the session is authenticated as. */
export const whoami: CliCommand = {
  name: "whoami",
  syntax: "",
  async run(argv, ctx) {
    parseArgs(this, { options: [] }, argv, 0);
    const infos = await (await ctx.zk()).whoAmI();
    ctx.out("Auth scheme: User");
    for (const info of infos) ctx.out(`${info.authScheme}: ${info.user}`);
  },
};
