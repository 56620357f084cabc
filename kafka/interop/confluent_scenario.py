# confluent-kafka (librdkafka): keyed records in every codec, and an idempotent producer. Run by
# kafka/interop/confluent.ts against herd's broker and Apache 2.8.2's:
#
#   python3 confluent_scenario.py BOOTSTRAP
#
# Prints facts that do not depend on the broker, one per line; exits 1 with the reason on stderr
# when something does not hold. (Transactions through librdkafka: kafka/txn's own tests.)
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

BOOTSTRAP = sys.argv[1]
CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]
QUIET = {"log_level": 0}


def check(ok, what):
    if not ok:
        raise AssertionError(what)


def create(topic, partitions):
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP, **QUIET})
    for f in admin.create_topics([NewTopic(topic, partitions, 1)]).values():
        f.result(60)


def produce(conf, topic, records):
    """Send (partition, key, value) records and wait for every delivery report."""
    reports = []

    def on_delivery(err, msg):
        reports.append((err, msg.partition() if msg else None, msg.offset() if msg else None))

    p = Producer({"bootstrap.servers": BOOTSTRAP, **QUIET, **conf})
    for partition, key, value in records:
        p.produce(topic, key=key, value=value, partition=partition, on_delivery=on_delivery)
        p.poll(0)
    left = p.flush(60)
    check(left == 0, "%d records were not delivered" % left)
    errors = [r for r in reports if r[0] is not None]
    check(not errors, "delivery errors: %s" % errors)
    return reports


def read(topic, partitions, want):
    """Every record of the topic from the start: {partition: [(offset, key, value)]}."""
    c = Consumer({
        "bootstrap.servers": BOOTSTRAP,
        "group.id": "confluent-reader-" + topic,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        **QUIET,
    })
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    got = {p: [] for p in range(partitions)}
    total, deadline = 0, time.time() + 60
    while total < want:
        check(time.time() < deadline, "read %d of %d" % (total, want))
        for m in c.consume(num_messages=500, timeout=0.5):
            check(m.error() is None, "consume error %s" % m.error())
            got[m.partition()].append((m.offset(), m.key(), m.value()))
            total += 1
    # Nothing more: a duplicate would arrive now.
    for m in c.consume(num_messages=500, timeout=0.3):
        if m.error() is None:
            got[m.partition()].append((m.offset(), m.key(), m.value()))
    c.close()
    return got


def codecs():
    for codec in CODECS:
        topic = "confluent-" + codec
        create(topic, 2)
        records = [(i % 2, b"%s-k%d" % (codec.encode(), i), b"%s-v%d-" % (codec.encode(), i) * 20)
                   for i in range(60)]
        produce({"compression.type": codec, "linger.ms": 20}, topic, records)
        got = read(topic, 2, len(records))
        for p in range(2):
            want = [(k, v) for (q, k, v) in records if q == p]
            check([(k, v) for (_, k, v) in got[p]] == want, "%s partition %d: keys and values" % (codec, p))
            check([o for (o, _, _) in got[p]] == list(range(len(want))), "%s offsets" % codec)
        print("%s: 60 keyed records on 2 partitions, read back in order with their keys" % codec)


def idempotent():
    topic = "confluent-idempotent"
    create(topic, 3)
    n = 600
    records = [(i % 3, b"k%d" % i, b"v%d" % i) for i in range(n)]
    conf = {"enable.idempotence": True, "linger.ms": 5, "batch.num.messages": 50,
            "compression.type": "lz4"}
    reports = produce(conf, topic, records[:n // 2])
    reports += produce(conf, topic, records[n // 2:])
    for p in range(3):
        offsets = [o for (_, q, o) in reports if q == p]
        check(offsets == list(range(n // 3)), "partition %d acknowledged offsets in order" % p)
    got = read(topic, 3, n)
    for p in range(3):
        want = [v for (q, _, v) in records if q == p]
        check([v for (_, _, v) in got[p]] == want, "partition %d: once each, in order" % p)
    print("idempotent: %d records from two producers, each once, in order, offsets 0..%d per partition"
          % (n, n // 3 - 1))


try:
    codecs()
    idempotent()
except Exception as e:  # noqa: BLE001 - the test prints why
    print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
    sys.exit(1)
