#!/usr/bin/env bash
# herd's kafka-run-class.sh. Sourced by herd's bin/kafka-*.sh scripts, as Apache's scripts all go
# through kafka-run-class.sh: the caller sets HERD_BIN (its own directory, symlinks resolved);
# herd_task runs the deno.json task of that name with the script's arguments from the caller's
# directory (INIT_CWD, tools/task_cwd.ts), printing no `Task …` line. DENO names the deno binary
# when it is not the one on PATH.
#
# Run directly, `kafka-run-class.sh <class> [args]` runs the herd tool standing for that Kafka
# class (kafka.tools.GetOffsetShell, kafka.tools.ConsoleProducer, …), as Apache's runs the class.

if [ -z "$HERD_BIN" ]; then
  self="${BASH_SOURCE-$0}"
  while [ -h "$self" ]; do
    link="$(readlink "$self")"
    case "$link" in
      /*) self="$link" ;;
      *) self="$(dirname "$self")/$link" ;;
    esac
  done
  HERD_BIN="$(cd "$(dirname "$self")" && pwd)"
fi

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

# Run, not sourced: the class names the tool.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  if [ $# -lt 1 ]; then
    echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]"
    exit 1
  fi
  class="$1"
  shift
  case "$class" in
    kafka.tools.GetOffsetShell) herd_task kafka-get-offset-shell "$@" ;;
    kafka.tools.ConsoleProducer) herd_task kafka-console-producer "$@" ;;
    kafka.tools.ConsoleConsumer) herd_task kafka-console-consumer "$@" ;;
    kafka.admin.ConsumerGroupCommand) herd_task kafka-consumer-groups "$@" ;;
    kafka.admin.TopicCommand) herd_task kafka-topics "$@" ;;
    kafka.admin.ConfigCommand) herd_task kafka-configs "$@" ;;
    kafka.tools.DumpLogSegments) herd_task kafka-dump-log "$@" ;;
    *)
      echo "Error: Could not find or load main class $class" >&2
      echo "Caused by: java.lang.ClassNotFoundException: $class" >&2
      exit 1
      ;;
  esac
fi
