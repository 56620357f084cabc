/**
 * `acceptedEpoch` and `currentEpoch` in dataDir/version-2: the epoch as decimal text with no
 * newline, replaced atomically (write a temp file, fsync, rename) as Apache's QuorumPeer does.
 * Only ensemble members have them (DECISIONS.md): the ensemble issue calls these.
 */
export type EpochFile = "acceptedEpoch" | "currentEpoch";

export async function readEpoch(versionDir: string, name: EpochFile): Promise<number | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${versionDir}/${name}`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  const v = Number(text.trim());
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new Error(`${versionDir}/${name}: "${text}" is not an epoch`);
  }
  return v;
}

export async function writeEpoch(
  versionDir: string,
  name: EpochFile,
  epoch: number,
): Promise<void> {
  const path = `${versionDir}/${name}`;
  const tmp = `${path}.tmp`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    await f.write(new TextEncoder().encode(String(epoch)));
    await f.sync();
  } finally {
    f.close();
  }
  await Deno.rename(tmp, path);
}
