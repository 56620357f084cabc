#!/usr/bin/env bash
# herd's kafka-server-stop.sh: sends SIGTERM (or $SIGNAL) to every herd broker on this host, as
# Apache's script signals every `kafka.Kafka` JVM; arguments are ignored, as Apache ignores them.
# The broker then shuts down cleanly (logs flushed, .kafka_cleanshutdown written, znodes gone).
SIGNAL=${SIGNAL:-TERM}
PIDS=$(ps ax -o pid=,args= | grep -E 'tools/kafka-server/main\.ts|herd-kafka-server(\.js)?( |$)' \
  | grep -v grep | awk '{print $1}')

if [ -z "$PIDS" ]; then
  echo "No kafka server to stop"
  exit 1
else
  kill -s "$SIGNAL" $PIDS
fi
