/**
 * Read every transcript under a directory.
 *
 * @module
 */
import { parseTranscript, type Transcript } from "./transcript.ts";

/** The transcripts under `dir` (recursively): ZooKeeper first, then Kafka, by name. */
export async function loadTranscripts(dir: string): Promise<Transcript[]> {
  const files: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`);
      else if (/\.ya?ml$/.test(e.name)) files.push(`${d}/${e.name}`);
    }
  };
  await walk(dir);
  const all = await Promise.all(
    files.map(async (f) => parseTranscript(f, await Deno.readTextFile(f))),
  );
  // ZooKeeper first, then Kafka; by name within each.
  return all.sort((a, b) => a.system.localeCompare(b.system) * -1 || a.name.localeCompare(b.name));
}

/** The default transcript directory beside this file. */
export const TRANSCRIPT_DIR: string = new URL("./transcripts", import.meta.url).pathname;
