"""The seed's kafka-python session (its "python实践" section) against a running Kafka cluster.

usage: /usr/bin/python3 kafka_python_scenario.py BOOTSTRAP_SERVERS COUNT

1. KafkaProducer(bootstrap_servers=[...]).send("test", b"Hello kafka"), flushed.
2. KafkaConsumer(group_id="my.group", enable_auto_commit=True, auto_commit_interval_ms=5000)
   subscribed to ["my.topic"]; once it owns partitions, a second KafkaProducer sends COUNT JSON
   messages shaped like the seed's passwd feeder ({"message", "key", "Content"}); the consumer
   reads them all, then closes, which commits its offsets.

Prints one JSON line per step ({"step": ..., ...}) and exits non-zero on a failure.
"""

import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer


def emit(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


def main():
    servers, count = sys.argv[1], int(sys.argv[2])
    server_list = servers.split(",")

    producer = KafkaProducer(bootstrap_servers=server_list)
    meta = producer.send("test", b"Hello kafka").get(timeout=60)
    producer.flush()
    producer.close()
    emit("send-test", topic=meta.topic, partition=meta.partition, offset=meta.offset)

    consumer = KafkaConsumer(
        bootstrap_servers=servers,
        group_id="my.group",
        enable_auto_commit=True,
        auto_commit_interval_ms=5000,
    )
    consumer.subscribe(["my.topic"])
    deadline = time.time() + 90
    while not consumer.assignment():
        if time.time() > deadline:
            emit("error", message="consumer got no partitions of my.topic")
            sys.exit(1)
        consumer.poll(timeout_ms=500)
    # Resolve the starting offsets now ("latest", the default), before anything is sent.
    positions = {tp.partition: consumer.position(tp) for tp in consumer.assignment()}
    emit("assigned", partitions=sorted(positions))

    feeder = KafkaProducer(bootstrap_servers=servers)
    data = {"message": "test kafka data"}
    sent = []
    for n in range(1, count + 1):
        data["key"] = "ubuntu-passwd" + str(n)
        data["Content"] = "line %d\n" % n
        msg = json.dumps(data).encode()
        feeder.send("my.topic", msg)
        sent.append(msg)
    feeder.flush()
    feeder.close()
    emit("sent", count=len(sent))

    received = []
    deadline = time.time() + 60
    while len(received) < count and time.time() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            received.extend(r.value for r in records)
    consumer.close()  # commits the consumed offsets (auto commit)
    ok = sorted(received) == sorted(sent)
    emit("received", count=len(received), match=ok)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
