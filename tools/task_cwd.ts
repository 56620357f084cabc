/**
 * Imported first by every tool's `main.ts`, for its side effect: a tool started by a deno.json
 * task runs in the directory the user ran `deno task` from, not in the checkout.
 *
 * `deno task` runs its command in the directory of its deno.json and passes the user's directory
 * as `INIT_CWD`; herd's tasks hand that on as `HERD_TASK_CWD` (a name of herd's own, so an
 * `INIT_CWD` inherited from some outer npm script or test runner is never mistaken for it). Paths
 * on the command line and a relative `dataDir` in zoo.cfg are then read where the user stands, as
 * Apache's scripts read them. The bin/ scripts set `INIT_CWD` to their caller's directory.
 *
 * @module
 */

/** The variable the deno.json tasks set to `$INIT_CWD`. */
export const TASK_CWD_VAR = "HERD_TASK_CWD";

function taskCwd(): string | undefined {
  try {
    return Deno.env.get(TASK_CWD_VAR) || undefined;
  } catch {
    // Run without env access (not through a task): stay where we are.
    return undefined;
  }
}

const dir = taskCwd();
if (dir !== undefined) {
  try {
    Deno.chdir(dir);
  } catch (e) {
    console.error(`cannot change to ${dir}, the directory the task was run from: ${e}`);
    Deno.exit(1);
  }
}
