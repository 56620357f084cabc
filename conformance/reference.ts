/**
 * Where the recorded outputs of Apache ZooKeeper 3.8.0 and the Kafka 2.8.2 notes live: in this
 * repository, under `conformance/reference/` (its README says what each file is and how it was
 * recorded). Every test that compares herd with a capture reads it through here, so the repository
 * stands alone; `HERD_REFERENCE_DIR` points the tests at another copy of the same layout
 * (`zookeeper/`, `kafka/`).
 *
 * @example Read a capture
 * ```ts
 * import { referenceSection, referenceText } from "./reference.ts";
 * const acl = await referenceText("zookeeper/03-acl.cmds");
 * const ruok = await referenceSection("zookeeper/4lw.out", "ruok"); // "imok\n"
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The captures' root, ending in `/`: `conformance/reference/`, or `HERD_REFERENCE_DIR`. */
export const REFERENCE_DIR: string = withSlash(
  Deno.env.get("HERD_REFERENCE_DIR") ?? fileURLToPath(new URL("./reference/", import.meta.url)),
);

/** Apache ZooKeeper 3.8.0's captures, without a trailing `/`. */
export const ZOOKEEPER_REFERENCE_DIR: string = `${REFERENCE_DIR}zookeeper`;

/** A capture's text, by its path under the root (`zookeeper/4lw.out`). */
export function referenceText(path: string): Promise<string> {
  return Deno.readTextFile(`${REFERENCE_DIR}${path}`);
}

/**
 * The text of one `### <name>` section of a capture, up to the next `###` line: the four-letter
 * word and AdminServer captures put each command's output under such a heading.
 */
export async function referenceSection(path: string, name: string): Promise<string> {
  const text = await referenceText(path);
  const start = text.indexOf(`### ${name}\n`);
  if (start < 0) throw new Error(`no section ${name} in ${path}`);
  const body = text.substring(start + name.length + 5);
  const end = body.search(/^### /m);
  return end < 0 ? body : body.substring(0, end);
}

function withSlash(dir: string): string {
  return dir.endsWith("/") ? dir : `${dir}/`;
}
