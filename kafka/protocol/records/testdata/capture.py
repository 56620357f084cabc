"""Produces the fixture topics with kafka-python 2.0.2 and confluent-kafka (see README.md).

Run by capture.sh with the broker's address; each topic gets one batch (or message set) per
producer flush, so every .bin file holds a few small batches that a test can walk.
"""
import sys

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

BOOTSTRAP = sys.argv[1]
# Long enough to span two snappy blocks (xerial: 32 KiB) and two LZ4 blocks (64 KiB).
BIG = b"".join(b"record %05d of a long compressible value; " % i for i in range(1700))

# (topic, api_version, compression, topic configs)
TOPICS = []
for codec in ["none", "gzip", "snappy", "lz4", "zstd"]:
    TOPICS.append((f"kp-v2-{codec}", None, codec, {}))
for codec in ["none", "gzip", "snappy", "lz4"]:
    # message.format.version 0.10.2 keeps magic 1 as sent (a 2.8 default topic converts to v2).
    TOPICS.append((f"kp-v1-{codec}", (0, 10, 1), codec, {"message.format.version": "0.10.2"}))
for codec in ["none", "gzip", "snappy", "lz4"]:
    # Magic 0 compressed sets are always rebuilt by the broker (absolute inner offsets), so these
    # hold Apache's own v0 encoders' output, lz4 with its pre-KIP-57 header checksum.
    TOPICS.append((f"kp-v0-{codec}", (0, 9), codec, {"message.format.version": "0.9.0"}))
TOPICS.append(("kp-v2-gzip-logappendtime", None, "gzip", {"message.timestamp.type": "LogAppendTime"}))
TOPICS.append(("kp-v2-none-logappendtime", None, "none", {"message.timestamp.type": "LogAppendTime"}))

admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP)
admin.create_topics([
    NewTopic(t, 1, 1, topic_configs=cfg) for (t, _, _, cfg) in TOPICS
] + [NewTopic("txn-v2", 1, 1)])
admin.close()

for topic, api, codec, _ in TOPICS:
    kwargs = {"bootstrap_servers": BOOTSTRAP, "linger_ms": 500, "batch_size": 1 << 20,
              "max_request_size": 1 << 21}
    if api is not None:
        kwargs["api_version"] = api
    if codec != "none":
        kwargs["compression_type"] = codec
    producer = KafkaProducer(**kwargs)
    headers = [("h1", b"v1"), ("h2", b"")] if api is None else None
    producer.send(topic, key=b"k0", value=b"hello", timestamp_ms=1700000000000)
    # The long value only where a codec has blocks to split it into; plain sets stay small.
    value = BIG if codec != "none" else BIG[:300]
    producer.send(topic, key=None, value=value, timestamp_ms=1700000000005)
    producer.send(topic, key=b"k2", value=None, headers=headers, timestamp_ms=1700000000003)
    producer.flush()
    producer.send(topic, key=b"k3", value=b"second batch", timestamp_ms=1700000000010)
    producer.flush()
    producer.close()

# An idempotent, transactional producer (librdkafka): one committed and one aborted transaction,
# so the log holds producer ids, sequences and both control (marker) batches.
from confluent_kafka import Producer  # noqa: E402

txn = Producer({"bootstrap.servers": BOOTSTRAP, "transactional.id": "herd-fixture",
                "linger.ms": 200, "compression.type": "none"})
txn.init_transactions(30)
txn.begin_transaction()
txn.produce("txn-v2", key=b"t1", value=b"committed one")
txn.produce("txn-v2", key=b"t2", value=b"committed two")
txn.commit_transaction(30)
txn.begin_transaction()
txn.produce("txn-v2", key=b"t3", value=b"aborted")
txn.flush(30)  # sent before the abort, so the log holds the aborted batch too
txn.abort_transaction(30)
txn.flush(30)
