#!/usr/bin/env bash
# Start an Apache Kafka 2.8.2 broker (kafka.Kafka), as Apache's bin/kafka-server-start.sh does:
#
#   kafka-server-start.sh [-daemon] server.properties [--override property=value]*
#
# Heap defaults to 320 MiB (KAFKA_HEAP_OPTS), sized for three brokers on a 2-core machine; the
# broker's log4j writes server.log, controller.log and state-change.log under LOG_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ $# -lt 1 ] || [ "$1" = "--help" ] || [ "$1" = "-h" ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi

export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$HERE/../config/log4j.properties}"
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx320m -Xms320m}"
export KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -Djava.awt.headless=true}"

args=(-name kafkaServer)
if [ "$1" = "-daemon" ]; then
  args=(-daemon "${args[@]}")
  shift
fi
exec "$HERE/kafka-run-class.sh" "${args[@]}" kafka.Kafka "$@"
