#!/usr/bin/env bash
# herd's kafka-configs.sh: Kafka 2.8's ConfigCommand (tools/kafka-configs), from any directory.

# Where this script really is (it may be reached through a symlink, e.g. from /usr/local/bin).
self="${BASH_SOURCE-$0}"
while [ -h "$self" ]; do
  link="$(readlink "$self")"
  case "$link" in
    /*) self="$link" ;;
    *) self="$(dirname "$self")/$link" ;;
  esac
done
HERD_BIN="$(cd "$(dirname "$self")" && pwd)"
. "$HERD_BIN/kafka-run-class.sh"

herd_task kafka-configs "$@"
