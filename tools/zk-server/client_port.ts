/**
 * Where `zkServer.sh status` looks for the server: the client port and address, found in zoo.cfg
 * the way Debian's zkServer.sh 3.8.0 finds them (line-oriented lookups, not a full parse), so
 * herd's `status` agrees with Apache's on the same file, including its messages when it cannot.
 *
 * @module
 */

/** What the lookup found, or the lines to print and give up with. */
export type ClientPortLookup =
  | { ok: true; address: string; port: string; ssl: boolean; notes: string[] }
  | { ok: false; notes: string[] };

/**
 * The value of the first line whose key is `key` followed by a non-letter, taken after the last
 * `=` as the script's `sed 's/.*=//'` does. Undefined when no line has the key.
 *
 * @example
 * ```ts
 * cfgValue("clientPort=2181\n", "clientPort"); // "2181"
 * ```
 */
export function cfgValue(cfg: string, key: string, exact = true): string | undefined {
  for (const line of cfg.split("\n")) {
    const body = line.replace(/^[ \t]*/, "");
    if (!body.startsWith(key)) continue;
    const next = body.charAt(key.length);
    if (exact && (next === "" || /[A-Za-z]/.test(next))) continue;
    return body.slice(body.lastIndexOf("=") + 1).replace(/\r$/, "");
  }
  return undefined;
}

/** zoo.cfg's dataDir as the script reads it (also used for the pid file). */
export function cfgDataDir(cfg: string): string | undefined {
  return cfgValue(cfg, "dataDir", false)?.trim();
}

/** `server.<myid>=…;[host:]port`: the client part after the last `;`. */
function serverClientPart(text: string, myid: string): string | undefined {
  for (const line of text.split("\n")) {
    const body = line.replace(/^[ \t]*/, "");
    if (!body.startsWith(`server.${myid}=`) || !body.includes(";")) continue;
    return body.slice(body.lastIndexOf(";") + 1).trim();
  }
  return undefined;
}

/**
 * Find the client port as zkServer.sh does: `clientPort`, else this server's `server.N` line
 * (N from `dataDir/myid`), else `secureClientPort`. `readText` reads myid and the dynamic file.
 *
 * @example
 * ```ts
 * const found = await findClientPort("clientPort=2181\n", () => Promise.resolve(undefined));
 * // { ok: true, address: "localhost", port: "2181", ssl: false, notes: [] }
 * ```
 */
export async function findClientPort(
  cfg: string,
  readText: (path: string) => Promise<string | undefined>,
): Promise<ClientPortLookup> {
  const notes: string[] = [];
  let address = cfgValue(cfg, "clientPortAddress") || "localhost";
  let port = cfgValue(cfg, "clientPort") ?? "";
  if (!/^[0-9]+$/.test(port)) {
    port = "";
    const myid = (await readText(`${cfgDataDir(cfg) ?? ""}/myid`))?.trim() ?? "";
    if (!/^[0-9]+$/.test(myid)) {
      notes.push(
        "myid could not be determined, will not able to locate clientPort in the server configs.",
      );
    } else {
      let part = serverClientPart(cfg, myid);
      if (!part) {
        notes.push("Client port not found in static config file. Looking in dynamic config file.");
        const dynamic = cfgValue(cfg, "dynamicConfigFile", false)?.trim();
        part = dynamic ? serverClientPart((await readText(dynamic)) ?? "", myid) : undefined;
      }
      if (!part) {
        notes.push("Client port not found in the server configs");
      } else {
        const hostPort = part.match(/^(.*):([0-9]+)/);
        if (hostPort) address = hostPort[1].replace(/^\[(.*)\]$/, "$1");
        port = part.slice(part.lastIndexOf(":") + 1);
      }
    }
  }
  if (port !== "") return { ok: true, address, port, ssl: false, notes };
  notes.push("Client port not found. Looking for secureClientPort in the static config.");
  const secure = cfgValue(cfg, "secureClientPort");
  if (!secure) {
    notes.push("Unable to find either secure or unsecure client port in any configs. Terminating.");
    return { ok: false, notes };
  }
  address = cfgValue(cfg, "secureClientPortAddress") || "localhost";
  return { ok: true, address, port: secure, ssl: true, notes };
}
