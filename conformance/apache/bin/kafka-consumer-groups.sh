#!/usr/bin/env bash
# Apache's bin/kafka-consumer-groups.sh for Kafka 2.8.2: kafka.admin.ConsumerGroupCommand.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/kafka-run-class.sh" kafka.admin.ConsumerGroupCommand "$@"
