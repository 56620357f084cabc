#!/usr/bin/python3
"""kazoo clients of a three-server ensemble, for herd_ensemble_test.ts and leader_apache_test.ts.

Usage:
  _herd_ensemble_clients.py writes HOSTS STOPFILE   one session on HOSTS (a,b,c) creating /acked/wN
                                                    until STOPFILE exists, riding out reconnects
                                                    and leader kills; prints JSON with the names
                                                    of every write acknowledged
  _herd_ensemble_clients.py basic HOST PATH         create, set, read and delete PATH through
                                                    HOST, a watch firing; prints JSON

Any failed check raises, so the exit status says whether the ensemble behaved.
"""

import json
import os
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import NodeExistsError
from kazoo.retry import KazooRetry


def client(hosts):
    zk = KazooClient(
        hosts=hosts,
        timeout=15,
        connection_retry=KazooRetry(max_tries=-1, delay=0.1, backoff=1.5, max_delay=1),
    )
    zk.start(timeout=30)
    return zk


def writes(hosts, stopfile):
    states = []
    zk = client(hosts)
    zk.add_listener(lambda s: states.append(str(s)))
    retry = KazooRetry(max_tries=-1, delay=0.1, backoff=1.5, max_delay=1, deadline=60)
    session = zk.client_id[0]
    retry(zk.ensure_path, "/acked")
    acked = []
    n = 0
    while not os.path.exists(stopfile):
        n += 1
        name = f"w{n}"

        def create():
            try:
                zk.create(f"/acked/{name}", str(n).encode())
            except NodeExistsError:
                pass  # a retry of a create that committed before the connection was lost

        retry(create)
        acked.append(name)
        time.sleep(0.01)
    children = set(retry(zk.get_children, "/acked"))
    missing = [a for a in acked if a not in children]
    same = zk.client_id[0] == session
    seen = list(states)
    zk.stop()
    print(json.dumps({"acked": acked, "missing": missing, "states": seen, "sameSession": same}))


def basic(host, path):
    zk = client(host)
    fired = threading.Event()
    zk.create(path, b"one")
    zk.get(path, watch=lambda e: fired.set())
    stat = zk.set(path, b"two")
    assert stat.version == 1, stat
    if not fired.wait(15):
        raise AssertionError("the data watch did not fire")
    assert zk.get(path)[0] == b"two"
    zk.delete(path)
    assert zk.exists(path) is None
    zk.stop()
    print(json.dumps({"ok": True}))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "writes":
        writes(sys.argv[2], sys.argv[3])
    elif cmd == "basic":
        basic(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown command {cmd}")
