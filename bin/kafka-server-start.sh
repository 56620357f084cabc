#!/usr/bin/env bash
# herd's kafka-server-start.sh: [-daemon] server.properties [--override property=value]*
# (tools/kafka-server), from any directory. KAFKA_HEAP_OPTS and KAFKA_OPTS are accepted and
# ignored (there is no JVM); LOG_DIR is where -daemon writes kafkaServer.out (default: logs/).

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

if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi
. "$HERD_BIN/kafka-run-class.sh"

herd_task kafka-server-start "$@"
