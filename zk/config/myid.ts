// dataDir/myid: the server id of an ensemble member (QuorumPeerConfig.setupMyId). Standalone
// servers need none, so a missing file is not an error.
import { join } from "node:path";
import { ConfigError } from "./config_error.ts";

/**
 * Parses a myid file's text. Like Apache, only the first line counts; unlike Apache, spaces
 * around the number are forgiven. Apache takes any Java long; herd takes the non-negative
 * integers it can hold exactly. Ids above 255 are legal but share the session id's top byte
 * (Apache's docs ask for 1-255), and TTL nodes need 254 or less.
 *
 * @example
 * ```ts
 * import { parseMyid } from "./mod.ts";
 * parseMyid("1\n", "/data/zk1/myid"); // 1
 * ```
 */
export function parseMyid(text: string, file: string): number {
  const first = text.split(/\r\n|\r|\n/, 1)[0].trim();
  if (!/^\d+$/.test(first) || !Number.isSafeInteger(Number(first))) {
    const shown = first === "" ? "an empty line" : `"${first}"`;
    throw new ConfigError({ file, line: 1 }, `serverid ${shown} is not a number`);
  }
  return Number(first);
}

/**
 * Reads `dataDir/myid`: the server id, or undefined when there is no such file (as Apache, which
 * ignores a myid that is not a regular file).
 *
 * @example
 * ```ts ignore
 * import { readMyid } from "./mod.ts";
 * const id = await readMyid("/data/server/zk1/data"); // 1, after `echo 1 > zk1/data/myid`
 * ```
 */
export async function readMyid(dataDir: string): Promise<number | undefined> {
  const file = join(dataDir, "myid");
  let text: string;
  try {
    if (!(await Deno.stat(file)).isFile) return undefined;
    text = await Deno.readTextFile(file);
  } catch (e) {
    // No dataDir at all (or a file in its place) means no myid; whether the dataDir can be made
    // is the data layer's question, answered with Apache's "Unable to create data directory".
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw new ConfigError({ file }, `cannot be read: ${(e as Error).message}`);
  }
  return parseMyid(text, file);
}
