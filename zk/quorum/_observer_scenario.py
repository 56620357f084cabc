#!/usr/bin/python3
"""Writes to, or dumps, an Apache ZooKeeper ensemble for learner_peer_apache_test.ts.

Usage:
  _observer_scenario.py write HOST:PORT PHASE   one phase of writes (every kind of txn)
  _observer_scenario.py burst HOST:PORT N        N creates and N setData, pipelined
  _observer_scenario.py dump HOST:PORT          every znode outside /zookeeper as JSON

The dump syncs first, so it shows everything committed before it started.
"""

import base64
import json
import sys

from kazoo.client import KazooClient
from kazoo.security import make_digest_acl, OPEN_ACL_UNSAFE


def write(zk, phase):
    base = f"/p{phase}"
    zk.create(base, b"phase " + phase.encode())
    zk.create(f"{base}/data", b"\x00\xff binary", acl=[make_digest_acl("u", "pw", all=True)])
    for i in range(20):
        zk.create(f"{base}/seq-", str(i).encode(), sequence=True)
    zk.create(f"{base}/eph", b"gone when this client leaves", ephemeral=True)
    zk.create(f"{base}/deep/a/b", b"made with parents", makepath=True)
    zk.set(base, b"changed")
    zk.set(base, b"changed again")
    zk.set_acls(base, OPEN_ACL_UNSAFE)
    children = sorted(zk.get_children(base))
    for c in children[:5]:
        if c.startswith("seq-"):
            zk.delete(f"{base}/{c}")
    tx = zk.transaction()
    tx.create(f"{base}/multi1", b"one")
    tx.set_data(base, b"by multi")
    tx.delete(f"{base}/deep/a/b")
    tx.commit()
    try:
        zk.delete(f"{base}/missing")  # a failed write still takes a zxid: an error txn (§3.1)
    except Exception:
        pass
    # A failed multi is a txn (an error multi) that still takes a zxid.
    bad = zk.transaction()
    bad.create(f"{base}/multi2", b"two")
    bad.delete(f"{base}/nope")
    bad.commit()
    zk.create(f"{base}/empty", b"")
    zk.delete(f"{base}/deep/a")


def burst(zk, n):
    zk.ensure_path("/burst")
    for op in ("create", "set"):
        pending = []
        for i in range(n):
            path = f"/burst/n{i:05d}"
            if op == "create":
                pending.append(zk.create_async(path, b"x" * (i % 100)))
            else:
                pending.append(zk.set_async(path, b"y" * (i % 50)))
        for p in pending:
            p.get(timeout=60)


def dump(zk):
    zk.add_auth("digest", "u:pw")
    zk.sync("/")
    out = {}

    def walk(path):
        data, stat = zk.get(path)
        acls, _ = zk.get_acls(path)
        out[path] = {
            "acl": [f"{a.perms}:{a.id.scheme}:{a.id.id}" for a in acls],
            "data": None if data is None else base64.b64encode(data).decode(),
            "czxid": stat.czxid,
            "mzxid": stat.mzxid,
            "pzxid": stat.pzxid,
            "ctime": stat.ctime,
            "mtime": stat.mtime,
            "version": stat.version,
            "cversion": stat.cversion,
            "aversion": stat.aversion,
            "ephemeralOwner": format(stat.ephemeralOwner & (2**64 - 1), "x"),
            "dataLength": stat.dataLength,
            "numChildren": stat.numChildren,
        }
        for c in sorted(zk.get_children(path)):
            child = ("" if path == "/" else path) + "/" + c
            if child != "/zookeeper":
                walk(child)

    walk("/")
    print(json.dumps(out, sort_keys=True))


def main():
    cmd, hosts = sys.argv[1], sys.argv[2]
    zk = KazooClient(hosts=hosts, timeout=15)
    zk.start(timeout=30)
    try:
        if cmd == "write":
            write(zk, sys.argv[3])
        elif cmd == "burst":
            burst(zk, int(sys.argv[3]))
        else:
            dump(zk)
    finally:
        zk.stop()
        zk.close()


main()
