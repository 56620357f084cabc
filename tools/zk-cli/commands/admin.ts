/**
 * Session and ensemble commands: config, reconfig, version, close.
 *
 * @module
 */
import { ZK_VERSION } from "../../../zk/server/server_view.ts";
import type { OptionsSpec } from "../cli_options.ts";
import { CliError } from "../errors.ts";
import { statLines } from "../format.ts";
import { NumberFormatError, parseJavaLong } from "../java.ts";
import { type CliCommand, flag, parseArgs, usageError, valued } from "./command.ts";

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const CONFIG_NODE = "/zookeeper/config";

/** `key=value` lines of a Java properties text (comments and blanks skipped), in order. */
function properties(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const sep = line.search(/[=:]/);
    if (sep < 0) out.push([line, ""]);
    else out.push([line.slice(0, sep).trim(), line.slice(sep + 1).trim()]);
  }
  return out;
}

/**
 * ConfigUtils.getClientConfigStr: "<version> <client host:port,…>" from the dynamic config.
 * Entries come in file order (Apache iterates a Hashtable, so its order is arbitrary).
 */
export function clientConfigString(config: string): string {
  let version = "";
  const clients: string[] = [];
  for (const [key, value] of properties(config)) {
    if (key === "version") version = value;
    if (!key.startsWith("server.")) continue;
    const client = value.split(";")[1];
    if (client === undefined) {
      clients.push("");
      continue;
    }
    const colon = client.lastIndexOf(":");
    clients.push(colon < 0 ? `0.0.0.0:${client}` : client);
  }
  return `${version} ${clients.join(",")}`;
}

const CONFIG: OptionsSpec = {
  options: [flag("c", "client connection string"), flag("w", "watch"), flag("s", "stats")],
};

/** `config [-c] [-w] [-s]`: the data of /zookeeper/config (empty when standalone). */
export const config: CliCommand = {
  name: "config",
  syntax: "[-c] [-w] [-s]",
  async run(argv, ctx) {
    const cl = parseArgs(this, CONFIG, argv, 1);
    const { data, stat } = await (await ctx.zk()).getData(CONFIG_NODE, cl.has("w"));
    const text = data === null ? "null" : decoder.decode(data);
    ctx.out(cl.has("c") ? clientConfigString(text) : text);
    if (cl.has("s")) statLines(stat).forEach((l) => ctx.out(l));
  },
};

const RECONFIG: OptionsSpec = {
  options: [
    flag("s", "stats"),
    valued("v", "required current config version"),
    valued("file", "path of config file to parse for membership"),
    valued("members", "comma-separated list of config strings for non-incremental reconfig"),
    valued("add", "comma-separated list of config strings for new servers"),
    valued("remove", "comma-separated list of server IDs to remove"),
  ],
};

/** The membership a `-file` names: its `server.N` lines and version, one per line. */
async function membersFromFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : e instanceof Deno.errors.PermissionDenied
      ? "Permission denied"
      : e instanceof Deno.errors.IsADirectory
      ? "Is a directory"
      : (e as Error).message;
    throw new CliError(`Error processing ${file}${file} (${why})`);
  }
  const props = properties(text);
  const servers = props.filter(([k]) => k.startsWith("server."));
  const version = props.find(([k]) => k === "version")?.[1] ?? "0";
  return [...servers.map(([k, v]) => `${k}=${v}`), `version=${version}`].join("\n");
}

/** `reconfig …`: dynamic reconfiguration (refused by a standalone server). */
export const reconfig: CliCommand = {
  name: "reconfig",
  syntax: "[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] " +
    "| [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]",
  async run(argv, ctx) {
    const cl = parseArgs(this, RECONFIG, argv, 0);
    const [file, members, add, remove] = ["file", "members", "add", "remove"].map((k) => cl.has(k));
    if (!(file || members) && !add && !remove) throw usageError(this);
    let version = -1n;
    if (cl.has("v")) {
      try {
        version = parseJavaLong(cl.value("v")!, 16);
      } catch (e) {
        if (!(e instanceof NumberFormatError)) throw e;
        throw new CliError("-v must be followed by a long (configuration version)");
      }
    }
    if ((file || members) && (add || remove)) {
      throw new CliError(
        "Can't use -file or -members together with -add or -remove (mixing incremental and " +
          "non-incremental modes is not allowed)",
      );
    }
    if (file && members) {
      throw new CliError(
        "Can't use -file and -members together (conflicting non-incremental modes)",
      );
    }
    const joining = add ? cl.value("add")!.toLowerCase() : null;
    const leaving = remove ? cl.value("remove")!.toLowerCase() : null;
    let newMembers = members ? cl.value("members")!.toLowerCase() : null;
    if (file) newMembers = await membersFromFile(cl.value("file")!);
    const result = await (await ctx.zk()).reconfig(joining, leaving, newMembers, Number(version));
    const text = result.data === null ? "" : decoder.decode(result.data);
    ctx.out(`Committed new configuration:\n${text}`);
    if (cl.has("s")) statLines(result.stat).forEach((l) => ctx.out(l));
  },
};

/** `version`: the CLI's version, which is herd's server version. */
export const version: CliCommand = {
  name: "version",
  syntax: "",
  async run(argv, ctx) {
    const cl = parseArgs(this, { options: [] }, argv, 0);
    if (cl.args.length > 1) throw usageError(this);
    ctx.out(`ZooKeeper CLI version: ${ZK_VERSION}`);
    await Promise.resolve();
  },
};

/** `close`: closes the session; commands then say "Not connected" until `connect`. */
export const close: CliCommand = {
  name: "close",
  syntax: "",
  async run(argv, ctx) {
    parseArgs(this, { options: [] }, argv, 0);
    await ctx.session.close();
  },
};
