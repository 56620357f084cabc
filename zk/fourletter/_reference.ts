/** Test helper: the Apache 3.8.0 captures in `shared/reference/zookeeper` beside the repo. */

/** Where the captures live (`HERD_REFERENCE_DIR` overrides). */
export const REFERENCE_DIR = Deno.env.get("HERD_REFERENCE_DIR") ??
  new URL("../../../shared/reference/zookeeper", import.meta.url).pathname;

/** The text of one `### <name>` section of a capture file, up to the next `###` line. */
export async function referenceSection(file: string, name: string): Promise<string> {
  const text = await Deno.readTextFile(`${REFERENCE_DIR}/${file}`);
  const start = text.indexOf(`### ${name}\n`);
  if (start < 0) throw new Error(`no section ${name} in ${file}`);
  const body = text.substring(start + name.length + 5);
  const end = body.search(/^### /m);
  return end < 0 ? body : body.substring(0, end);
}
