# Sourced by herd's bin/ scripts, as Apache's zkEnv.sh is by theirs (not run on its own).
#
# The caller sets ZOOBINDIR (its own directory, symlinks resolved). This finds the checkout above
# it, takes `--config <dir>` off the arguments as zkEnv.sh does, and sources
# `$ZOOCFGDIR/zookeeper-env.sh` and `$ZOOCFGDIR/java.env` (ZOOCFGDIR: `--config`, else the
# environment, else <checkout>/conf, Apache's <prefix>/conf). What those files set is exported,
# since herd's processes read ZOO_LOG_DIR, SERVER_JVMFLAGS, ZOOPIDFILE … from their environment
# where Apache's scripts paste them onto the java command line.
#
# herd_task then runs the deno.json task of that name with the script's arguments: the tasks are
# the one place the tools' Deno flags are written. `deno task -q` prints no `Task …` line, and
# INIT_CWD makes the tool read paths from the caller's directory (tools/task_cwd.ts).
# DENO names the deno binary when it is not the one on PATH (as JAVA does for Apache's).

HERD_USER_CWD="$PWD"
HERD_HOME="$(cd "$ZOOBINDIR/.." && pwd)"

if [ $# -gt 1 ] && [ "--config" = "$1" ]; then
  shift
  ZOOCFGDIR=$1
  shift
fi
ZOOCFGDIR="${ZOOCFGDIR:-$HERD_HOME/conf}"
export ZOOCFGDIR

set -a
if [ -f "$ZOOCFGDIR/zookeeper-env.sh" ]; then
  . "$ZOOCFGDIR/zookeeper-env.sh"
fi
if [ -f "$ZOOCFGDIR/java.env" ]; then
  . "$ZOOCFGDIR/java.env"
fi
set +a

DENO="${DENO:-deno}"
if ! command -v "$DENO" >/dev/null 2>&1; then
  echo "Error: deno could not be found in PATH (or set DENO to it)." >&2
  exit 1
fi

herd_task() {
  export INIT_CWD="$HERD_USER_CWD"
  exec "$DENO" task -q --config "$HERD_HOME/deno.json" "$@"
}
