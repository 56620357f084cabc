/**
 * V8 flags the server runs with: on `deno run` command lines (deno.json tasks, `zk-server start`,
 * the bench) and baked into the `deno compile` binary. V8 reads them only at start-up, so they
 * cannot be set from inside the program (`node:v8` setFlagsFromString has no effect on them).
 *
 * `--no-allocation-site-pretenuring`: V8 sees the znodes and path strings a write burst creates
 * survive and starts allocating everything from those sites straight into the old generation,
 * including the short-lived requests, replies and decoded strings of every later request. That
 * garbage then waits for a full collection. Measured on a 1M-znode fill (16×64 creates, 2 cores):
 * RSS 3 s after the fill 1,140 → 742 MiB, after 25 s idle 571 → 370 MiB, fill 11.2 → 9.4 s.
 *
 * @module
 */
export const SERVER_V8_FLAGS: readonly string[] = ["--no-allocation-site-pretenuring"];

/** SERVER_V8_FLAGS as one `deno run` / `deno compile` argument. */
export function v8FlagsArg(): string {
  return `--v8-flags=${SERVER_V8_FLAGS.join(",")}`;
}
