/**
 * `kafka-server-start.sh -daemon`: the broker in the background, as kafka-run-class.sh -daemon
 * runs Apache's — detached, stdin closed, stdout and stderr in `$LOG_DIR/kafkaServer.out`
 * (created with its directory), and nothing printed by the script itself.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { TASK_CWD_VAR } from "../task_cwd.ts";

/** herd's `logs/` (beside bin/), Apache's default LOG_DIR for its own install. */
export function defaultLogDir(): string {
  return fileURLToPath(new URL("../../logs", import.meta.url));
}

/** The command that runs the broker in the foreground with `args`. */
export function foregroundCommand(args: readonly string[]): string[] {
  const exec = Deno.execPath();
  // A `deno compile` binary is its own entry point; under `deno run` (or a bundle) the script is.
  if (!/(^|[\\/])deno(\.exe)?$/.test(exec)) return [exec, ...args];
  const main = Deno.mainModule.startsWith("file:")
    ? fileURLToPath(Deno.mainModule)
    : Deno.mainModule;
  return [exec, "run", "--allow-all", main, ...args];
}

/** Starts the broker in the background; 0 once spawned, 1 if it could not be. */
export async function startDaemon(args: readonly string[]): Promise<number> {
  const logDir = Deno.env.get("LOG_DIR") || defaultLogDir();
  await Deno.mkdir(logDir, { recursive: true });
  const out = `${logDir}/kafkaServer.out`;
  const env = Deno.env.toObject();
  delete env[TASK_CWD_VAR];
  env.LOG_DIR = logDir;
  const [exec, ...rest] = foregroundCommand(args);
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", 'exec "$@" > "$0" 2>&1 < /dev/null', out, exec, ...rest],
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  return 0;
}
