# Sourced by herd's bin/kafka-*.sh scripts (not run on its own), as Apache's scripts all go
# through kafka-run-class.sh. The caller sets HERD_BIN (its own directory, symlinks resolved);
# herd_task runs the deno.json task of that name with the script's arguments from the caller's
# directory (INIT_CWD, tools/task_cwd.ts), printing no `Task …` line. DENO names the deno binary
# when it is not the one on PATH.

HERD_HOME="$(cd "$HERD_BIN/.." && pwd)"
DENO="${DENO:-deno}"
if ! command -v "$DENO" >/dev/null 2>&1; then
  echo "Error: deno could not be found in PATH (or set DENO to it)." >&2
  exit 1
fi

herd_task() {
  export INIT_CWD="$PWD"
  exec "$DENO" task -q --config "$HERD_HOME/deno.json" "$@"
}
