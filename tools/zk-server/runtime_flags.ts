/**
 * How the server's runtime is started, in one place: the `deno run` permissions of
 * `start-foreground` and the V8 flags every launch of the server uses (the `start`, `zk-server` and
 * `compile` tasks in deno.json, `zk-server start`, the bench and the tests).
 *
 * `--heap-growing-percent=30`: V8 lets the old generation grow to about twice the live heap before
 * the next full collection, so a server that just took a million creates sat at ~850 bytes of RSS
 * per znode with ~290 of them live. Collecting once the heap is 30% over what survived keeps RSS
 * near the live size (~430 bytes per znode); the marking runs concurrently on the second core, and
 * the bench shows no throughput cost.
 *
 * @module
 */

/** The V8 flags of every server launch, as a `deno run`/`deno compile` argument. */
export const SERVER_V8_FLAGS = "--v8-flags=--heap-growing-percent=30";

/** The permissions `start-foreground` needs under `deno run`. */
export const SERVER_RUN_PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
];
