#!/usr/bin/env bash
# Run a main class of Apache Kafka 2.8.2 from the jars conformance/apache/fetch.sh put in the cache:
# what Apache's bin/kafka-run-class.sh does, for a small machine.
#
#   kafka-run-class.sh [-daemon] [-name NAME] CLASS [ARGS...]
#
# Environment (the names Apache's scripts read): JAVA_HOME, KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS,
# KAFKA_LOG4J_OPTS, KAFKA_OPTS, LOG_DIR, CLASSPATH (appended). Ours: KAFKA_LIBS (the jar directory,
# default $HERD_CACHE/kafka-2.8.2/libs with HERD_CACHE defaulting to ~/.cache/herd).
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = "--help" ] || [ "$1" = "-h" ]; then
  echo "usage: $(basename "$0") [-daemon] [-name servicename] classname [opts]"
  exit 1
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONFIG_DIR="$(cd "$HERE/../config" && pwd)"
CACHE="${HERD_CACHE:-${HOME:-/root}/.cache/herd}"
KAFKA_HOME="${KAFKA_HOME:-$CACHE/kafka-2.8.2}"
KAFKA_LIBS="${KAFKA_LIBS:-$KAFKA_HOME/libs}"

if [ ! -f "$KAFKA_LIBS/kafka_2.12-2.8.2.jar" ]; then
  echo "$(basename "$0"): no Kafka jars in $KAFKA_LIBS; run conformance/apache/fetch.sh first" >&2
  exit 1
fi

DAEMON_MODE=false
DAEMON_NAME=""
while [ $# -gt 0 ]; do
  case "$1" in
    -daemon) DAEMON_MODE=true; shift ;;
    -name) DAEMON_NAME="$2"; shift 2 ;;
    -loggc) shift ;; # GC logging is off on this small-machine launcher; kept for compatibility
    *) break ;;
  esac
done

if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

LOG_DIR="${LOG_DIR:-$KAFKA_HOME/logs}"
mkdir -p "$LOG_DIR"

# The wildcard is expanded by the JVM, so the order inside libs/ does not depend on the shell.
CP="$KAFKA_LIBS/*"
if [ -n "${CLASSPATH:-}" ]; then CP="$CP:$CLASSPATH"; fi

KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256m}"
# Short-lived tools start faster with the serial collector and the C1 compiler alone.
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true}"
KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$CONFIG_DIR/tools-log4j.properties}"

# shellcheck disable=SC2206 # the *_OPTS variables are word lists, as in Apache's scripts
cmd=("$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS "-Dkafka.logs.dir=$LOG_DIR" \
  $KAFKA_LOG4J_OPTS ${KAFKA_OPTS:-} -cp "$CP" "$@")

if [ "$DAEMON_MODE" = true ]; then
  out="$LOG_DIR/${DAEMON_NAME:-kafka}.out"
  nohup "${cmd[@]}" >"$out" 2>&1 </dev/null &
else
  exec "${cmd[@]}"
fi
