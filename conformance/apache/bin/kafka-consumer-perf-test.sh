#!/usr/bin/env bash
# Apache's bin/kafka-consumer-perf-test.sh for Kafka 2.8.2: kafka.tools.ConsumerPerformance.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/kafka-run-class.sh" kafka.tools.ConsumerPerformance "$@"
