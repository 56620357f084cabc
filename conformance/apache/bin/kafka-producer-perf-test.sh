#!/usr/bin/env bash
# Apache's bin/kafka-producer-perf-test.sh for Kafka 2.8.2: org.apache.kafka.tools.ProducerPerformance.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/kafka-run-class.sh" org.apache.kafka.tools.ProducerPerformance "$@"
