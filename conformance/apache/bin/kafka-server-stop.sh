#!/usr/bin/env bash
# Stop Apache Kafka brokers (kafka.Kafka) with SIGTERM, which makes them shut down cleanly
# (controlled shutdown through the controller), as Apache's bin/kafka-server-stop.sh does.
#
#   kafka-server-stop.sh [server.properties]
#
# Without an argument every kafka.Kafka JVM is signalled, like Apache's script. With one (our
# addition), only the brokers started with that properties file are: handy when several brokers
# share a machine. SIGNAL=KILL picks another signal.
set -euo pipefail

SIGNAL="${SIGNAL:-TERM}"
want="${1:-}"
if [ -n "$want" ] && [ -e "$want" ]; then want="$(cd "$(dirname "$want")" && pwd)/$(basename "$want")"; fi

pids=()
for dir in /proc/[0-9]*; do
  cmdline="$(tr '\0' ' ' <"$dir/cmdline" 2>/dev/null)" || continue
  case "$cmdline" in
    *java*" kafka.Kafka "*) ;;
    *) continue ;;
  esac
  if [ -n "$want" ]; then
    case "$cmdline" in
      *" kafka.Kafka $want "* | *" kafka.Kafka ${1:-} "*) ;;
      *) continue ;;
    esac
  fi
  pids+=("${dir#/proc/}")
done

if [ ${#pids[@]} -eq 0 ]; then
  echo "No kafka server to stop"
  exit 1
fi
kill -s "$SIGNAL" "${pids[@]}"
