#!/usr/bin/env bash
# Re-creates the Apache-written fixtures in this folder (see README.md): starts herd's ZooKeeper and
# one Apache Kafka 2.8.2 broker on loopback, lets real clients produce to one topic per
# (client, message format, codec), stops the broker and copies each partition's first segment here.
#
#   kafka/protocol/records/testdata/capture.sh     # needs conformance/apache/fetch.sh, kcat,
#                                                  # python3-kafka/-snappy/-lz4/-zstandard/-xxhash,
#                                                  # python3-confluent-kafka
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../../.." && pwd)"
BIN="$REPO/conformance/apache/bin"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "port $1 never opened" >&2
  return 1
}

zkport="$(free_port)"
kport="$(free_port)"
printf 'tickTime=2000\ndataDir=%s/zk\nclientPort=%s\nadmin.enableServer=false\n' "$work" "$zkport" >"$work/zoo.cfg"
deno run -A "$REPO/tools/zk-server/main.ts" start-foreground "$work/zoo.cfg" >"$work/zk.out" 2>&1 &
pids+=($!)
wait_port "$zkport"

cat >"$work/server.properties" <<PROPS
broker.id=1
listeners=PLAINTEXT://127.0.0.1:$kport
log.dirs=$work/logs
zookeeper.connect=127.0.0.1:$zkport
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
num.network.threads=1
num.io.threads=2
PROPS
LOG_DIR="$work/klog" "$BIN/kafka-server-start.sh" "$work/server.properties" >"$work/kafka.out" 2>&1 &
pids+=($!)
wait_port "$kport"

/usr/bin/python3 "$HERE/capture.py" "127.0.0.1:$kport"

# librdkafka (kcat 1.7.1 on librdkafka 2.0.2): keys with -K, a header with -H.
for codec in none gzip snappy lz4 zstd; do
  printf 'k1:kcat one\n:kcat two %s\nk3:%s\n' "$(printf 'abc%.0s' $(seq 1 40))" "$(printf 'xyz%.0s' $(seq 1 2000))" |
    kcat -P -b "127.0.0.1:$kport" -t "kcat-v2-$codec" -z "$codec" -K: -H h1=v1 -X linger.ms=200
done

# The Java client (kafka-console-producer 2.8.2) with each codec.
for codec in gzip snappy lz4 zstd; do
  printf 'k1\tjava one\nk2\tjava two %s\n' "$(printf 'abc%.0s' $(seq 1 40))" |
    "$BIN/kafka-console-producer.sh" --bootstrap-server "127.0.0.1:$kport" --topic "java-v2-$codec" \
      --compression-codec "$codec" --property parse.key=true --property linger.ms=200 >/dev/null
done

kill "${pids[1]}"
wait "${pids[1]}" || true
for dir in "$work"/logs/*-0; do
  topic="$(basename "$dir" -0)"
  case "$topic" in __*) continue ;; esac
  cp "$dir/00000000000000000000.log" "$HERE/$topic.bin"
done
ls -l "$HERE"/*.bin
