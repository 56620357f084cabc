/**
 * Quotas: setquota, delquota, listquota. The quota of `/a/b` lives in
 * `/zookeeper/quota/a/b/zookeeper_limits` (3.8's StatsTrack text) with the server-maintained
 * usage in `zookeeper_stats` beside it. The requests (and so the txns) are Apache's: setquota
 * creates the missing `/zookeeper/quota/…` nodes one by one, then the limits node, then the
 * stats node as `count=0,bytes=0`, or rewrites the limits of an existing quota.
 *
 * @module
 */
import { Err, type ZkClient, ZkError } from "../../../zk/client/mod.ts";
import type { OptionsSpec } from "../cli_options.ts";
import { CliError } from "../errors.ts";
import { NumberFormatError, parseJavaInt, parseJavaLong } from "../java.ts";
import { StatsTrack } from "../stats_track.ts";
import { type CliCommand, type CommandContext, flag, parseArgs, utf8, valued } from "./command.ts";
import { visitSubTreeDFS } from "./tree.ts";

const QUOTA_ROOT = "/zookeeper/quota";
const LIMITS = "zookeeper_limits";
const STATS = "zookeeper_stats";
const quotaPath = (path: string) => QUOTA_ROOT + path;
const limitPath = (path: string) => `${quotaPath(path)}/${LIMITS}`;
const statPath = (path: string) => `${quotaPath(path)}/${STATS}`;
const decoder = new TextDecoder();

async function readTrack(zk: ZkClient, path: string): Promise<StatsTrack> {
  const { data } = await zk.getData(path);
  return StatsTrack.parse(data === null ? null : decoder.decode(data));
}

function isNoNode(e: unknown): boolean {
  return e instanceof ZkError && e.code === Err.NONODE;
}

const ONE_OF = ["n", "b", "N", "B"];
const DESCRIPTIONS = ["num soft quota", "bytes soft quota", "num hard quota", "bytes hard quota"];

const SET_QUOTA: OptionsSpec = {
  options: ONE_OF.map((k, i) => valued(k, DESCRIPTIONS[i])),
  group: { keys: ONE_OF, required: true },
};

/** `setquota -n|-b|-N|-B val path`. */
export const setquota: CliCommand = {
  name: "setquota",
  syntax: "-n|-b|-N|-B val path",
  async run(argv, ctx) {
    const cl = parseArgs(this, SET_QUOTA, argv, 2);
    const path = cl.args[1];
    if (path.startsWith(QUOTA_ROOT)) {
      ctx.err(`cannot set a quota under the path: ${QUOTA_ROOT}`);
      return;
    }
    const quota = new StatsTrack();
    quota.count = -1n;
    quota.bytes = -1n;
    quota.countHardLimit = -1n;
    quota.byteHardLimit = -1n;
    const checks: [string, (v: bigint) => void, boolean][] = [
      ["n", (v) => (quota.count = v), true],
      ["b", (v) => (quota.bytes = v), false],
      ["N", (v) => (quota.countHardLimit = v), true],
      ["B", (v) => (quota.byteHardLimit = v), false],
    ];
    try {
      for (const [key, setValue, isCount] of checks) {
        if (!cl.has(key)) continue;
        const text = cl.value(key)!;
        const v = isCount ? BigInt(parseJavaInt(text)) : parseJavaLong(text);
        if (isCount ? v <= 0n : v < 0n) {
          ctx.err(
            isCount
              ? "the num quota must be greater than zero"
              : "the bytes quota must be greater than or equal to zero",
          );
          return;
        }
        setValue(v);
      }
    } catch (e) {
      if (!(e instanceof NumberFormatError)) throw e;
      ctx.err("NumberFormatException happens when parsing the option value");
      return;
    }
    await createQuota(await ctx.zk(path), path, quota, ctx);
  },
};

async function createQuota(
  zk: ZkClient,
  path: string,
  quota: StatsTrack,
  ctx: CommandContext,
): Promise<void> {
  if (await zk.exists(path) === null) throw new CliError(`${path} does not exist.`);
  await checkIfChildQuota(zk, path);
  await checkIfParentQuota(zk, path);
  if (await zk.exists(QUOTA_ROOT) === null) {
    try {
      await zk.create("/zookeeper", null);
      await zk.create(QUOTA_ROOT, null);
    } catch (e) {
      if (!(e instanceof ZkError && e.code === Err.NODEEXISTS)) throw e;
    }
  }
  let node = QUOTA_ROOT;
  for (const part of path.split("/").slice(1)) {
    node += `/${part}`;
    if (await zk.exists(node) !== null) continue;
    try {
      await zk.create(node, null);
    } catch (e) {
      if (!(e instanceof ZkError && e.code === Err.NODEEXISTS)) throw e;
    }
  }
  const limits = `${node}/${LIMITS}`;
  const stats = `${node}/${STATS}`;
  if (await zk.exists(limits) === null) {
    await zk.create(limits, utf8(quota.toString()));
    const usage = new StatsTrack();
    usage.count = 0n;
    usage.bytes = 0n;
    await zk.create(stats, utf8(usage.toString()));
    checkQuota(await readTrack(zk, limits), await readTrack(zk, stats), ctx);
    return;
  }
  const current = await readTrack(zk, limits);
  if (quota.count > -1n) current.count = quota.count;
  if (quota.bytes > -1n) current.bytes = quota.bytes;
  if (quota.countHardLimit > -1n) current.countHardLimit = quota.countHardLimit;
  if (quota.byteHardLimit > -1n) current.byteHardLimit = quota.byteHardLimit;
  checkQuota(current, await readTrack(zk, stats), ctx);
  await zk.setData(limits, utf8(current.toString()), -1);
}

/** Refuses a quota on a node whose subtree already has one. */
async function checkIfChildQuota(zk: ZkClient, path: string): Promise<void> {
  const own = quotaPath(path);
  try {
    await visitSubTreeDFS(zk, own, false, async (node) => {
      let children: string[];
      try {
        children = await zk.getChildren(node);
      } catch (e) {
        if (isNoNode(e)) return;
        throw e;
      }
      if (node !== own && children.includes(LIMITS)) {
        const child = node.slice(QUOTA_ROOT.length);
        throw new CliError(`${path} has a child ${child} which has a quota`);
      }
    });
  } catch (e) {
    if (!isNoNode(e)) throw e;
  }
}

/** Refuses a quota on a node that has an ancestor with one. */
async function checkIfParentQuota(zk: ZkClient, path: string): Promise<void> {
  const parts = path.split("/");
  let node = QUOTA_ROOT;
  for (let i = 1; i < parts.length - 1; i++) {
    node += `/${parts[i]}`;
    let children: string[];
    try {
      children = await zk.getChildren(node);
    } catch (e) {
      if (isNoNode(e)) return;
      throw e;
    }
    if (children.length === 0) return;
    if (node !== quotaPath(path) && children.includes(LIMITS)) {
      throw new CliError(`${path} has a parent ${node.slice(QUOTA_ROOT.length)} which has a quota`);
    }
  }
}

/** Warns (on stdout) when the new quota is already exceeded. */
function checkQuota(quota: StatsTrack, usage: StatsTrack, ctx: CommandContext): void {
  if (
    (quota.count > -1n && quota.count < usage.count) ||
    (quota.countHardLimit > -1n && quota.countHardLimit < usage.count)
  ) {
    ctx.out(`[Warning]: the count quota you create is less than the existing count:${usage.count}`);
  }
  if (
    (quota.bytes > -1n && quota.bytes < usage.bytes) ||
    (quota.byteHardLimit > -1n && quota.byteHardLimit < usage.bytes)
  ) {
    ctx.out(`[Warning]: the bytes quota you create is less than the existing bytes:${usage.bytes}`);
  }
}

const DEL_QUOTA: OptionsSpec = {
  options: ONE_OF.map((k, i) => flag(k, DESCRIPTIONS[i])),
  group: { keys: ONE_OF, required: false },
};

/** `delquota [-n|-b|-N|-B] path`: clears one limit, or removes the whole quota. */
export const delquota: CliCommand = {
  name: "delquota",
  syntax: "[-n|-b|-N|-B] path",
  async run(argv, ctx) {
    const cl = parseArgs(this, DEL_QUOTA, argv, 2);
    const path = cl.args[1];
    const zk = await ctx.zk();
    try {
      if (await zk.exists(limitPath(path)) === null) {
        ctx.out(`Quota does not exist for ${path}`);
        return;
      }
      let track: StatsTrack;
      try {
        track = await readTrack(zk, limitPath(path));
      } catch (e) {
        if (!isNoNode(e)) throw e;
        ctx.err(`quota does not exist for ${path}`);
        return;
      }
      if (!ONE_OF.some((k) => cl.has(k))) {
        for (const child of await zk.getChildren(quotaPath(path))) {
          await zk.delete(`${quotaPath(path)}/${child}`, -1);
        }
        await trimQuotaTree(zk, quotaPath(path));
        return;
      }
      if (cl.has("n")) track.count = -1n;
      if (cl.has("b")) track.bytes = -1n;
      if (cl.has("N")) track.countHardLimit = -1n;
      if (cl.has("B")) track.byteHardLimit = -1n;
      await zk.setData(limitPath(path), utf8(track.toString()), -1);
    } catch (e) {
      if (!isNoNode(e)) throw e;
      ctx.err(`quota for ${path} does not exist.`);
    }
  },
};

/** Removes the now-empty `/zookeeper/quota/…` nodes upwards (DelQuotaCommand.trimProcQuotas). */
async function trimQuotaTree(zk: ZkClient, node: string): Promise<void> {
  while (node !== QUOTA_ROOT) {
    if ((await zk.getChildren(node)).length !== 0) return;
    await zk.delete(node, -1);
    node = node.slice(0, node.lastIndexOf("/"));
  }
}

/** `listquota path`: the limits and the usage; "absolute path is …" goes to stderr. */
export const listquota: CliCommand = {
  name: "listquota",
  syntax: "path",
  async run(argv, ctx) {
    const cl = parseArgs(this, { options: [] }, argv, 2);
    const path = cl.args[1];
    ctx.err(`absolute path is ${limitPath(path)}`);
    const zk = await ctx.zk();
    try {
      const limits = await readTrack(zk, limitPath(path));
      const stats = await readTrack(zk, statPath(path));
      ctx.out(`Output quota for ${path} ${limits}`);
      ctx.out(`Output stat for ${path} ${stats}`);
    } catch (e) {
      if (!isNoNode(e)) throw e;
      ctx.err(`quota for ${path} does not exist.`);
    }
  },
};
