#!/usr/bin/python3
"""kazoo clients of a herd learner in an Apache 3.8.0 ensemble, for ensemble_member_apache_test.ts.

Usage:
  _ensemble_clients.py basic HERD APACHE      writes, reads, watches and ephemerals through herd,
                                              checked against an Apache server; prints JSON
  _ensemble_clients.py steady HERD STOPFILE   one session on herd setting /steady until STOPFILE
                                              exists, riding out reconnects; prints JSON
  _ensemble_clients.py sessions HERD APACHE   4 s sessions on herd: one idle but alive outlives
                                              10 s; one whose process died expires; prints JSON
  _ensemble_clients.py die HERD               (internal) an ephemeral, then exit without closing

Any failed check raises, so the exit status says whether herd behaved.
"""

import json
import os
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.retry import KazooRetry


def client(hosts, **kw):
    zk = KazooClient(
        hosts=hosts,
        timeout=15,
        connection_retry=KazooRetry(max_tries=-1, delay=0.1, backoff=1.5, max_delay=1),
        **kw,
    )
    zk.start(timeout=30)
    return zk


def wait(event, what):
    if not event.wait(15):
        raise AssertionError(f"timed out waiting for {what}")


def basic(herd, apache):
    out = {}
    zk = client(herd)
    ap = client(apache)
    # create, set, read, delete through herd
    zk.create("/h", b"one")
    data, stat = zk.get("/h")
    assert data == b"one" and stat.version == 0, (data, stat)
    stat = zk.set("/h", b"two")
    assert stat.version == 1, stat
    assert zk.get("/h")[0] == b"two"
    ap.sync("/h")
    assert ap.get("/h")[0] == b"two", "Apache does not see herd's write"
    # a version-checked write that fails: the leader's error txn answers the client on herd
    try:
        zk.set("/h", b"x", version=7)
        raise AssertionError("a bad version was accepted")
    except Exception as e:  # BadVersionError
        assert type(e).__name__ == "BadVersionError", repr(e)
    # a data watch set on herd fires for a change made on Apache
    fired = threading.Event()
    events = []

    def on_data(event):
        events.append((event.type, event.path))
        fired.set()

    zk.get("/h", watch=on_data)
    ap.set("/h", b"from apache")
    wait(fired, "the data watch on herd")
    assert events == [("CHANGED", "/h")], events
    # a child watch fires for a create made through herd itself
    kids = threading.Event()
    zk.get_children("/h", watch=lambda e: kids.set())
    zk.create("/h/c", b"")
    wait(kids, "the child watch on herd")
    # writes made on Apache are read from herd (after sync, as a client must ask)
    ap.create("/a", b"made on apache")
    zk.sync("/a")
    assert zk.get("/a")[0] == b"made on apache"
    # an ephemeral vanishes when its session closes, everywhere
    eph = client(herd)
    eph.create("/eph", b"", ephemeral=True)
    owner = eph.exists("/eph").ephemeralOwner
    out["session"] = hex(eph.client_id[0])
    assert owner == eph.client_id[0], (owner, eph.client_id)
    ap.sync("/eph")
    assert ap.exists("/eph") is not None
    eph.stop()
    eph.close()
    ap.sync("/eph")
    assert ap.exists("/eph") is None, "the ephemeral outlived its session on Apache"
    zk.sync("/eph")
    assert zk.exists("/eph") is None, "the ephemeral outlived its session on herd"
    # multi, and delete
    tx = zk.transaction()
    tx.create("/m1", b"1")
    tx.set_data("/h", b"by multi")
    results = tx.commit()
    assert results[0] == "/m1", results
    zk.delete("/h/c")
    zk.delete("/h")
    zk.delete("/m1")
    ap.sync("/")
    assert ap.exists("/h") is None
    out["children"] = sorted(zk.get_children("/"))
    zk.stop()
    ap.stop()
    print(json.dumps(out))


def steady(herd, stopfile):
    states = []
    zk = client(herd)
    zk.add_listener(lambda s: states.append(str(s)))
    retry = KazooRetry(max_tries=-1, delay=0.1, backoff=1.5, max_delay=1)
    session = zk.client_id[0]
    zk.ensure_path("/steady")
    writes = 0
    while not os.path.exists(stopfile):
        writes += 1
        retry(zk.set, "/steady", str(writes).encode())
        time.sleep(0.02)
    final = retry(zk.get, "/steady")[0]
    same = zk.client_id[0] == session
    seen = list(states)  # stop() itself reports LOST
    zk.stop()
    print(json.dumps({
        "writes": writes,
        "final": final.decode(),
        "states": seen,
        "sameSession": same,
    }))


def die(herd):
    zk = KazooClient(hosts=herd, timeout=4)
    zk.start(timeout=30)
    zk.create("/dead", b"", ephemeral=True)
    print(hex(zk.client_id[0]), flush=True)
    os._exit(0)  # the socket closes; no closeSession is sent


def sessions(herd, apache):
    import subprocess

    alive = KazooClient(hosts=herd, timeout=4)
    alive.start(timeout=30)
    alive.create("/alive", b"", ephemeral=True)
    subprocess.run([sys.executable, __file__, "die", herd, "-"], check=True, capture_output=True)
    ap = client(apache)
    ap.sync("/dead")
    assert ap.exists("/dead") is not None
    died = time.monotonic()
    expired_after = None
    while time.monotonic() - died < 10:
        ap.sync("/")
        if expired_after is None and ap.exists("/dead") is None:
            expired_after = time.monotonic() - died
        assert ap.exists("/alive") is not None, "an idle live session on herd expired"
        time.sleep(0.2)
    assert expired_after is not None, "a dead client's session on herd never expired"
    alive.stop()
    ap.stop()
    print(json.dumps({"expiredAfter": round(expired_after, 2)}))


if __name__ == "__main__":
    cmd, host, arg = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
    if cmd == "die":
        die(host)
    elif cmd == "sessions":
        sessions(host, arg)
    elif cmd == "basic":
        basic(host, arg)
    elif cmd == "steady":
        steady(host, arg)
    else:
        raise SystemExit(f"unknown command {cmd}")
