#!/usr/bin/env bash
# Apache's bin/kafka-configs.sh for Kafka 2.8.2: kafka.admin.ConfigCommand.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/kafka-run-class.sh" kafka.admin.ConfigCommand "$@"
