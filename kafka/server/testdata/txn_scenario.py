"""confluent-kafka against a Kafka broker: idempotence and transactions (kafka/server/txn_test.ts).

    python3 txn_scenario.py BOOTSTRAP [read]

With `read`, only reads back (after a broker restart). Otherwise prints one JSON object: what an idempotent producer wrote, what a transactional producer
committed and aborted (3 transactions over 2 partitions, one with consumer offsets), and what
read_committed and read_uncommitted consumers read back, with the end offsets. Run the same
against Apache Kafka 2.8.2 and herd: the outputs must be equal.
"""
import json
import sys

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

bootstrap = sys.argv[1]
read_only = sys.argv[2:] == ["read"]


def read_all(isolation):
    c = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "reader-" + isolation,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "isolation.level": isolation,
        "enable.partition.eof": True,
    })
    parts = [TopicPartition("txn", 0, 0), TopicPartition("txn", 1, 0)]
    c.assign(parts)
    values = []
    eof = set()
    while len(eof) < 2:
        m = c.poll(10)
        if m is None:
            break
        if m.error():
            if m.error().code() == -191:  # _PARTITION_EOF
                eof.add(m.partition())
                continue
            raise KafkaException(m.error())
        values.append(m.value().decode())
    marks = [c.get_watermark_offsets(p, 10, cached=False) for p in parts]
    positions = [p.offset for p in c.position(parts)]
    c.close()
    tags = {}
    for v in values:
        tag = v.split("-")[0]
        tags[tag] = tags.get(tag, 0) + 1
    return {"count": len(values), "tags": tags, "watermarks": marks, "positions": positions}


if read_only:
    print(json.dumps({
        "read_committed": read_all("read_committed"),
        "read_uncommitted": read_all("read_uncommitted"),
    }, sort_keys=True))
    sys.exit(0)

admin = AdminClient({"bootstrap.servers": bootstrap})
futures = admin.create_topics([
    NewTopic("idem", num_partitions=1, replication_factor=1),
    NewTopic("txn", num_partitions=2, replication_factor=1),
])
for f in futures.values():
    f.result(30)

out = {}

# An idempotent producer: 50 records, each acknowledged.
idem = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5})
errors = []
offsets = []


def report(err, msg):
    if err is not None:
        errors.append(str(err))
    else:
        offsets.append(msg.offset())


for i in range(50):
    idem.produce("idem", value=b"v%d" % i, key=b"k%d" % i, partition=0, on_delivery=report)
idem.flush(30)
out["idempotent"] = {"errors": errors, "offsets": sorted(offsets) == list(range(50))}

# A transactional producer: commit 100, abort 50, commit 20 with the group's offsets.
tx = Producer({"bootstrap.servers": bootstrap, "transactional.id": "herd-tx", "linger.ms": 5})
tx.init_transactions(30)


def send(n, tag):
    for i in range(n):
        tx.produce("txn", value=b"%s-%d" % (tag, i), partition=i % 2)
    tx.flush(30)


tx.begin_transaction()
send(100, b"one")
tx.commit_transaction(30)

tx.begin_transaction()
send(50, b"two")
tx.abort_transaction(30)

group = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": "herd-txn-group",
    "enable.auto.commit": False,
    "auto.offset.reset": "earliest",
    "isolation.level": "read_committed",
})
group.assign([TopicPartition("idem", 0, 0)])
consumed = 0
while consumed < 10:
    m = group.poll(10)
    if m is None:
        break
    if not m.error():
        consumed += 1
tx.begin_transaction()
send(20, b"three")
tx.send_offsets_to_transaction(
    [TopicPartition("idem", 0, 10)], group.consumer_group_metadata(), 30)
tx.commit_transaction(30)
committed = group.committed([TopicPartition("idem", 0)], 30)
out["group_committed"] = [(c.topic, c.partition, c.offset) for c in committed]
group.close()


out["read_committed"] = read_all("read_committed")
out["read_uncommitted"] = read_all("read_uncommitted")
out["end_offsets_sum"] = sum(hi for _, hi in out["read_uncommitted"]["watermarks"])

# A second producer with the same transactional id fences the first.
tx2 = Producer({"bootstrap.servers": bootstrap, "transactional.id": "herd-tx"})
tx2.init_transactions(30)
try:
    tx.begin_transaction()
    tx.produce("txn", value=b"zombie", partition=0)
    tx.commit_transaction(10)
    out["fenced"] = "not fenced"
except KafkaException as e:
    out["fenced"] = e.args[0].name()
tx.flush(5)
print(json.dumps(out, sort_keys=True))
