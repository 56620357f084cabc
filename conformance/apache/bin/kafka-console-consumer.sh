#!/usr/bin/env bash
# Apache's bin/kafka-console-consumer.sh for Kafka 2.8.2: kafka.tools.ConsoleConsumer.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/kafka-run-class.sh" kafka.tools.ConsoleConsumer "$@"
