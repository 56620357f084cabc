/**
 * The writing commands: create, set, delete, deleteall. Each sends exactly the requests
 * Apache's zkCli sends (so the server's txns and zxids match), and reports on the same stream:
 * `Created …` goes to stderr.
 *
 * @module
 */
import { CreateMode, Err, OPEN_ACL_UNSAFE, ZkError } from "../../../zk/client/mod.ts";
import { parseAcl } from "../acl_parser.ts";
import { type OptionsSpec, parseCommandLine } from "../cli_options.ts";
import { CliError, crashOnNumber, keeperMessage } from "../errors.ts";
import { statLines } from "../format.ts";
import { NumberFormatError, parseJavaInt, parseJavaLong } from "../java.ts";
import { type CliCommand, flag, parseArgs, utf8, valued } from "./command.ts";
import { deleteRecursive } from "./tree.ts";

/** EphemeralType.TTL's limit: 40 bits. */
const MAX_TTL = 2n ** 40n - 1n;

const CREATE: OptionsSpec = {
  options: [
    flag("e", "ephemeral"),
    flag("s", "sequential"),
    flag("c", "container"),
    valued("t", "ttl"),
  ],
};

/** The CreateMode the flags ask for (after CreateCommand's checks). */
function createMode(e: boolean, s: boolean, c: boolean, t: boolean): number {
  if (e && s) return CreateMode.EPHEMERAL_SEQUENTIAL;
  if (e) return CreateMode.EPHEMERAL;
  if (s) return t ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL;
  if (c) return CreateMode.CONTAINER;
  return t ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
}

/** `create [-s] [-e] [-c] [-t ttl] path [data] [acl]`: "Created <path>" on stderr. */
export const create: CliCommand = {
  name: "create",
  syntax: "[-s] [-e] [-c] [-t ttl] path [data] [acl]",
  async run(argv, ctx) {
    const cl = parseArgs(this, CREATE, argv, 2);
    const [e, s, c, t] = ["e", "s", "c", "t"].map((k) => cl.has(k));
    if (c && (e || s)) {
      throw new CliError(
        "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.",
      );
    }
    let ttl = 0n;
    if (t) {
      try {
        ttl = parseJavaLong(cl.value("t")!);
      } catch (err) {
        if (err instanceof NumberFormatError) {
          throw new CliError("-t argument must be a long value");
        }
        throw err;
      }
    }
    if (t && e) throw new CliError("TTLs cannot be used with Ephemeral znodes");
    if (t && c) throw new CliError("TTLs cannot be used with Container znodes");
    const mode = createMode(e, s, c, t);
    if (t && (ttl <= 0n || ttl > MAX_TTL)) {
      throw new CliError(`ttl must be positive and cannot be larger than: ${MAX_TTL}`);
    }
    const path = cl.args[1];
    const data = cl.args.length > 2 ? utf8(cl.args[2]) : null;
    const acl = cl.args.length > 3 ? parseAcl(cl.args[3], ctx.err) : OPEN_ACL_UNSAFE;
    const zk = await ctx.zk(path, s);
    try {
      // ZooKeeper.create refuses an empty ACL itself, without a path.
      if (acl.length === 0) throw new ZkError(Err.INVALIDACL);
      const created = await zk.create(path, data, {
        mode,
        acl,
        ttl: t ? Number(ttl) : undefined,
      });
      ctx.err(`Created ${created}`);
    } catch (err) {
      if (err instanceof ZkError && err.code === Err.EPHEMERALONLOCALSESSION) {
        ctx.err("Unable to create ephemeral node on a local session");
      } else if (err instanceof ZkError && err.code === Err.INVALIDACL) {
        ctx.err(keeperMessage(err.code, err.path));
      }
      throw err;
    }
  },
};

const SET: OptionsSpec = { options: [flag("s", "stats"), valued("v", "version")] };

/** `set [-s] [-v version] path data`: silent unless -s (then the new stat). */
export const set: CliCommand = {
  name: "set",
  syntax: "[-s] [-v version] path data",
  async run(argv, ctx) {
    const cl = parseArgs(this, SET, argv, 3);
    const path = cl.args[1];
    const data = utf8(cl.args[2]);
    const version = cl.has("v") ? crashOnNumber(() => parseJavaInt(cl.value("v")!)) : -1;
    const st = await (await ctx.zk(path)).setData(path, data, version);
    if (cl.has("s")) statLines(st).forEach((l) => ctx.out(l));
  },
};

const DELETE: OptionsSpec = { options: [valued("v", "version")] };

/** `delete [-v version] path`. */
export const del: CliCommand = {
  name: "delete",
  syntax: "[-v version] path",
  async run(argv, ctx) {
    let cl = parseArgs(this, DELETE, argv, 2);
    if (cl.args.length > 2) {
      // 3.8 warns about `delete path version` and then ignores the version.
      ctx.err(
        "'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.",
      );
      cl = parseCommandLine(DELETE, argv);
    }
    const path = cl.args[1];
    const version = cl.has("v") ? crashOnNumber(() => parseJavaInt(cl.value("v")!)) : -1;
    await (await ctx.zk(path)).delete(path, version);
  },
};

const DELETE_ALL: OptionsSpec = { options: [valued("b", "batch size")] };

/** `deleteall path [-b batch size]`: the subtree, leaves first, in multi batches (1000). */
export const deleteall: CliCommand = {
  name: "deleteall",
  syntax: "path [-b batch size]",
  async run(argv, ctx) {
    const cl = parseArgs(this, DELETE_ALL, argv, 2);
    let batchSize = 1000;
    if (cl.has("b")) {
      try {
        batchSize = parseJavaInt(cl.value("b")!);
      } catch (err) {
        if (err instanceof NumberFormatError) {
          throw new CliError("-b argument must be an int value");
        }
        throw err;
      }
    }
    const path = cl.args[1];
    if (!await deleteRecursive(await ctx.zk(path), path, batchSize)) {
      ctx.err("Failed to delete some node(s) in the subtree!");
    }
  },
};
