#!/usr/bin/python3
"""kazoo (python3-kazoo, Debian's 2.8.0) against a ZooKeeper server.

Usage: kazoo_scenario.py HOST:PORT

Prints one JSON object per check on stdout:
  {"check": NAME, "ok": BOOL, "value": ..., "detail": ..., "error": ...}
`value` holds only what must be identical on herd and Apache (names, versions,
event types, exception classes); `detail` holds what may differ (timings,
session ids). The script expects a fresh server: paths are fixed so values can
be compared across targets.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback

from kazoo.client import KazooClient, KazooState
from kazoo.exceptions import (
    BadVersionError,
    InvalidACLError,
    NoAuthError,
    NoChildrenForEphemeralsError,
    NodeExistsError,
    NoNodeError,
    NotEmptyError,
)
from kazoo.recipe.counter import Counter
from kazoo.recipe.lock import Lock
from kazoo.security import ACL, Id, OPEN_ACL_UNSAFE, make_acl, make_digest_acl

HOSTS = sys.argv[1]
BASE = "/kazoo"
WAIT = 10.0  # seconds to wait for an event that must come
QUIET = 0.5  # seconds to wait for an event that must not come
USER_DIGEST = "user:2Om+GBbT2q/tS6pdvACZbbm7/1A="  # user:pw, see 03-acl.digest.txt

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


class Fail(Exception):
    pass


def must(cond, message):
    if not cond:
        raise Fail(message)


def raises(exc_class, fn, *args, **kwargs):
    """The name of the exception fn raised; fails unless it is exc_class."""
    try:
        fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - we report whatever came
        must(isinstance(e, exc_class), "expected %s, got %r" % (exc_class.__name__, e))
        return type(e).__name__
    raise Fail("expected %s, nothing raised" % exc_class.__name__)


def client(**kwargs):
    zk = KazooClient(hosts=HOSTS, timeout=10.0, **kwargs)
    zk.start(timeout=15)
    return zk


class Events:
    """Collects watch events as 'TYPE STATE path' strings."""

    def __init__(self):
        self.items = []
        self.cond = threading.Condition()

    def __call__(self, event):
        with self.cond:
            self.items.append("%s %s %s" % (event.type, event.state, event.path))
            self.cond.notify_all()

    def wait(self, count=1, timeout=WAIT):
        deadline = time.time() + timeout
        with self.cond:
            while len(self.items) < count:
                left = deadline - time.time()
                if left <= 0:
                    break
                self.cond.wait(left)
            return list(self.items)


def stat_view(stat):
    """The parts of a Stat that are the same on any server for the same history."""
    return {
        "version": stat.version,
        "cversion": stat.cversion,
        "aversion": stat.aversion,
        "dataLength": stat.dataLength,
        "numChildren": stat.numChildren,
        "ephemeral": stat.ephemeralOwner != 0,
    }


ZK = None  # the main client


@check
def four_letter_words():
    ruok = ZK.command(b"ruok")
    must(ruok == "imok", "ruok answered %r" % ruok)
    version = ZK.server_version()  # parsed from `envi`'s zookeeper.version
    must(tuple(version[:2]) == (3, 8), "server_version %r" % (version,))
    return {"server_version": list(version), "ruok": ruok}


@check
def crud_and_stat():
    p = BASE + "/crud"
    must(ZK.create(p, b"hello") == p, "create returned another path")
    data, stat = ZK.get(p)
    must(data == b"hello", "get %r" % data)
    must(stat.czxid == stat.mzxid and stat.pzxid == stat.czxid, "fresh node zxids")
    first = stat_view(stat)
    stat = ZK.set(p, b"world")
    must(stat.version == 1 and stat.mzxid > stat.czxid, "set stat %r" % (stat,))
    data, stat = ZK.get(p)
    must(data == b"world" and stat.version == 1, "get after set")
    ZK.set(p, b"", version=1)
    data, stat = ZK.get(p)
    must(data == b"" and stat.dataLength == 0, "empty data")
    ZK.delete(p, version=2)
    must(ZK.exists(p) is None, "still exists after delete")
    return {"created": first, "after_sets": stat_view(stat)}


@check
def create2_returns_stat():
    p = BASE + "/create2"
    path, stat = ZK.create(p, b"abc", include_data=True)
    must(path == p and stat.dataLength == 3 and stat.version == 0, "create2 %r %r" % (path, stat))
    return {"path": path, "stat": stat_view(stat)}


@check
def versions_bad_version():
    p = BASE + "/versions"
    ZK.create(p, b"v0")
    ZK.set(p, b"v1", version=0)
    errors = [
        raises(BadVersionError, ZK.set, p, b"x", version=0),
        raises(BadVersionError, ZK.set, p, b"x", version=7),
        raises(BadVersionError, ZK.delete, p, version=0),
    ]
    _, stat = ZK.get(p)
    must(stat.version == 1, "version changed by a failed write")
    ZK.delete(p, version=1)
    return errors


@check
def error_codes():
    p = BASE + "/errors"
    ZK.create(p, b"")
    ZK.create(p + "/child", b"")
    return {
        "exists": raises(NodeExistsError, ZK.create, p),
        "no_parent": raises(NoNodeError, ZK.create, BASE + "/missing/child"),
        "get_missing": raises(NoNodeError, ZK.get, BASE + "/missing"),
        "set_missing": raises(NoNodeError, ZK.set, BASE + "/missing", b""),
        "delete_missing": raises(NoNodeError, ZK.delete, BASE + "/missing"),
        "not_empty": raises(NotEmptyError, ZK.delete, p),
        "makepath": ZK.create(BASE + "/deep/a/b/c", b"x", makepath=True),
        "recursive_delete": ZK.delete(BASE + "/deep", recursive=True),
        "gone": ZK.exists(BASE + "/deep") is None,
    }


@check
def ephemeral_nodes():
    p = BASE + "/eph"
    ZK.create(p, b"e", ephemeral=True)
    _, stat = ZK.get(p)
    must(stat.ephemeralOwner == ZK.client_id[0], "ephemeralOwner is not our session")
    error = raises(NoChildrenForEphemeralsError, ZK.create, p + "/child")
    ZK.delete(p)
    return {"stat": stat_view(stat), "child": error}


@check
def sequential_names():
    parent = BASE + "/seq"
    ZK.create(parent, b"")
    names = [ZK.create(parent + "/s-", sequence=True) for _ in range(2)]
    # The suffix follows the parent's child count history, sequential or not.
    ZK.create(parent + "/plain")
    names.append(ZK.create(parent + "/s-", sequence=True))
    ZK.delete(parent + "/plain")
    names.append(ZK.create(parent + "/s-", sequence=True))
    names.append(ZK.create(parent + "/e-", ephemeral=True, sequence=True))
    names.append(ZK.create(parent + "/", sequence=True))
    names = [n[len(parent) + 1:] for n in names]
    # Apache 3.8.0 answers s-…4 after the delete, although exists() reports
    # the parent's cversion as 5 by then: the suffix does not count deletes.
    must(names == ["s-0000000000", "s-0000000001", "s-0000000003", "s-0000000004",
                   "e-0000000005", "0000000006"], "names %r" % names)
    return {"names": names, "cversion": ZK.exists(parent).cversion}


@check
def children_with_stat():
    parent = BASE + "/kids"
    ZK.create(parent, b"p")
    for name in ["b", "a", "c"]:
        ZK.create(parent + "/" + name, name.encode())
    ZK.delete(parent + "/c")
    children, stat = ZK.get_children(parent, include_data=True)
    must(sorted(children) == ["a", "b"], "children %r" % children)
    must(stat.numChildren == 2 and stat.cversion == 4, "stat %r" % (stat,))
    return {"children": sorted(children), "stat": stat_view(stat)}


@check
def data_watch():
    p = BASE + "/wdata"
    ZK.create(p, b"0")
    events = Events()
    ZK.get(p, watch=events)
    ZK.set(p, b"1")
    got = events.wait(1)
    ZK.set(p, b"2")  # watches are one-shot: no second event
    time.sleep(QUIET)
    once = list(events.items)
    deleted = Events()
    ZK.get(p, watch=deleted)
    ZK.delete(p)
    return {"changed": got, "one_shot": once, "deleted": deleted.wait(1)}


@check
def exists_watch():
    p = BASE + "/wexists"
    created = Events()
    must(ZK.exists(p, watch=created) is None, "node exists already")
    ZK.create(p, b"")
    deleted = Events()
    must(ZK.exists(p, watch=deleted) is not None, "exists returned None")
    ZK.delete(p)
    return {"created": created.wait(1), "deleted": deleted.wait(1)}


@check
def child_watch():
    parent = BASE + "/wchild"
    ZK.create(parent, b"")
    on_create = Events()
    ZK.get_children(parent, watch=on_create)
    ZK.set(parent, b"data changes do not fire child watches")
    ZK.create(parent + "/x", b"")
    got_create = on_create.wait(1)
    on_delete = Events()
    ZK.get_children(parent, watch=on_delete)
    ZK.delete(parent + "/x")
    got_delete = on_delete.wait(1)
    on_parent_delete = Events()
    ZK.get_children(parent, watch=on_parent_delete)
    ZK.delete(parent)
    return {"create": got_create, "delete": got_delete, "parent": on_parent_delete.wait(1)}


@check
def watch_from_other_client():
    p = BASE + "/wother"
    other = client()
    try:
        events = Events()
        ZK.exists(p, watch=events)
        other.create(p, b"from other")
        other.set(p, b"again")
        events.wait(1)
        time.sleep(QUIET)  # the second write must not fire the one-shot watch
        return list(events.items)
    finally:
        other.stop()
        other.close()


@check
def multi_success():
    base = BASE + "/multi"
    ZK.create(base, b"")
    t = ZK.transaction()
    t.create(base + "/a", b"1")
    t.create(base + "/b", b"2")
    t.set_data(base + "/a", b"3")
    t.check(base + "/b", 0)
    t.delete(base + "/b")
    t.create(base + "/s-", b"", sequence=True)
    results = t.commit()
    view = []
    for r in results:
        if isinstance(r, str) or isinstance(r, bool):
            view.append(r)
        else:
            view.append({"stat_version": r.version})
    data, stat = ZK.get(base + "/a")
    must(data == b"3" and stat.version == 1, "a after multi")
    must(ZK.exists(base + "/b") is None, "b survived its delete")
    return view


@check
def multi_failure_rolls_back():
    base = BASE + "/multi"
    t = ZK.transaction()
    t.create(base + "/c", b"")
    t.set_data(base + "/missing", b"")
    t.create(base + "/d", b"")
    failed = [type(r).__name__ for r in t.commit()]
    t = ZK.transaction()
    t.check(base + "/a", 99)
    t.create(base + "/e", b"")
    bad_version = [type(r).__name__ for r in t.commit()]
    for name in "cde":
        must(ZK.exists(base + "/" + name) is None, "%s survived a failed multi" % name)
    return {"missing": failed, "bad_version": bad_version}


@check
def acl_digest():
    p = BASE + "/acl-digest"
    ZK.create(p, b"secret", acl=[make_digest_acl("user", "pw", all=True)])
    outsider = {
        "get": raises(NoAuthError, ZK.get, p),
        "set": raises(NoAuthError, ZK.set, p, b"x"),
        "get_acls": raises(NoAuthError, ZK.get_acls, p),
        "child": raises(NoAuthError, ZK.create, p + "/c"),
    }
    insider = client(auth_data=[("digest", "user:pw")])
    try:
        data, _ = insider.get(p)
        acls, _ = insider.get_acls(p)
        must(data == b"secret", "authenticated get %r" % data)
        acl_view = [[a.perms, a.id.scheme, a.id.id] for a in acls]
        must(acl_view == [[31, "digest", USER_DIGEST]], "acl %r" % acl_view)
        insider.set(p, b"changed")
    finally:
        insider.stop()
        insider.close()
    late = client()
    try:
        late.add_auth("digest", "user:wrongpw")
        wrong = raises(NoAuthError, late.get, p)
        late.add_auth("digest", "user:pw")
        data, _ = late.get(p)
    finally:
        late.stop()
        late.close()
    return {"outsider": outsider, "acl": acl_view, "wrong_pw": wrong, "late_auth": data.decode()}


@check
def acl_world_read_and_invalid():
    p = BASE + "/acl-read"
    ZK.create(p, b"r", acl=[make_acl("world", "anyone", read=True)])
    data, stat = ZK.get(p)
    acls, _ = ZK.get_acls(p)
    result = {
        "read": data.decode(),
        "acl": [[a.perms, a.id.scheme, a.id.id] for a in acls],
        "write": raises(NoAuthError, ZK.set, p, b"x"),
        "set_acls": raises(NoAuthError, ZK.set_acls, p, OPEN_ACL_UNSAFE),
        "bogus_scheme": raises(InvalidACLError, ZK.create, BASE + "/acl-bogus", b"",
                               acl=[ACL(31, Id("bogus", "x"))]),
        "auth_without_auth": raises(InvalidACLError, ZK.create, BASE + "/acl-auth", b"",
                                    acl=[ACL(31, Id("auth", ""))]),
    }
    p2 = BASE + "/acl-set"
    ZK.create(p2, b"")
    stat = ZK.set_acls(p2, [make_acl("world", "anyone", read=True, write=True, admin=True)])
    result["set_acls_aversion"] = stat.aversion
    result["set_acls_bad_version"] = raises(BadVersionError, ZK.set_acls, p2, OPEN_ACL_UNSAFE,
                                            version=0)
    return result


@check
def session_close_removes_ephemerals():
    p = BASE + "/closing"
    other = client()
    other.create(p, b"", ephemeral=True)
    events = Events()
    must(ZK.exists(p, watch=events) is not None, "ephemeral missing")
    other.stop()  # closes the session
    other.close()
    got = events.wait(1)
    must(ZK.exists(p) is None, "ephemeral survived its session's close")
    return got


@check
def session_expiry_by_hijack():
    """kazoo's own test trick: a second client takes over the session id and closes it."""
    p = BASE + "/expired"
    victim = client()
    states = []
    lost = threading.Event()

    def listener(state):
        states.append(state)
        if state == KazooState.LOST:
            lost.set()

    victim.add_listener(listener)
    victim.create(p, b"", ephemeral=True)
    old_session = victim.client_id[0]
    events = Events()
    ZK.exists(p, watch=events)
    hijack = KazooClient(hosts=HOSTS, client_id=victim.client_id, timeout=10.0)
    hijack.start(timeout=15)
    hijack.stop()
    hijack.close()
    got = events.wait(1)
    must(lost.wait(WAIT), "victim never saw LOST (states %r)" % states)
    must(ZK.exists(p) is None, "ephemeral survived expiry")
    # kazoo starts a new session after LOST.
    deadline = time.time() + WAIT
    while not victim.connected and time.time() < deadline:
        time.sleep(0.05)
    must(victim.connected and victim.client_id[0] != old_session, "no new session")
    victim.stop()
    victim.close()
    return {"event": got, "lost": True}


CHILD = r"""
import sys, time
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1], timeout=4.0)
zk.start(timeout=15)
zk.create(sys.argv[2], b"", ephemeral=True)
print(zk._session_timeout, flush=True)
time.sleep(600)
"""


@check
def session_expiry_after_kill():
    """A client killed with SIGKILL: its ephemeral goes when the session times out."""
    p = BASE + "/killed"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, HOSTS, p], stdout=subprocess.PIPE)
    try:
        negotiated = int(proc.stdout.readline().decode().strip())
        events = Events()
        must(ZK.exists(p, watch=events) is not None, "child's ephemeral missing")
        killed_at = time.time()
        os.kill(proc.pid, signal.SIGKILL)
        got = events.wait(1, timeout=negotiated / 1000.0 * 3 + 5)
        elapsed = time.time() - killed_at
    finally:
        proc.kill()
        proc.wait()
    must(got, "ephemeral still there %.1f s after SIGKILL" % elapsed)
    # The server expires a session between its timeout and timeout + a tick.
    must(negotiated / 1000.0 * 0.5 <= elapsed <= negotiated / 1000.0 + 6,
         "expired after %.1f s, timeout %d ms" % (elapsed, negotiated))
    return {"negotiated_ms": negotiated, "event": got, "detail": "gone after %.1f s" % elapsed}


@check
def large_data():
    p = BASE + "/large"
    blob = bytes((i * 7 + 3) % 251 for i in range(1000 * 1000))
    ZK.create(p, blob)
    data, stat = ZK.get(p)
    must(data == blob, "1 MB data came back different")
    blob2 = blob[::-1]
    ZK.set(p, blob2)
    data, stat = ZK.get(p)
    must(data == blob2, "1 MB set came back different")
    ZK.delete(p)
    return {"length": stat.dataLength, "sha256": hashlib.sha256(data).hexdigest()[:16]}


@check
def sync_and_recipes():
    synced = ZK.sync(BASE)
    counter = Counter(ZK, BASE + "/counter")
    counter += 5
    counter -= 2
    lock = Lock(ZK, BASE + "/lock", "me")
    with lock:
        contenders = lock.contenders()
    return {"sync": synced, "counter": counter.value, "contenders": contenders}


def main():
    global ZK
    try:
        ZK = client()
        ZK.ensure_path(BASE)
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"check": "connect", "ok": False, "error": repr(e)}), flush=True)
        return 1
    failures = 0
    for fn in CHECKS:
        started = time.time()
        row = {"check": fn.__name__}
        try:
            value = fn()
            if isinstance(value, dict) and "detail" in value:
                row["detail"] = value.pop("detail")
            row["ok"] = True
            row["value"] = value
        except Exception as e:  # noqa: BLE001
            failures += 1
            row["ok"] = False
            row["error"] = "%s: %s" % (type(e).__name__, e)
            if not isinstance(e, Fail):
                row["trace"] = traceback.format_exc()
        row["seconds"] = round(time.time() - started, 2)
        print(json.dumps(row, sort_keys=True, default=repr), flush=True)
    print(json.dumps({"check": "_done", "ok": True, "value": len(CHECKS)}), flush=True)
    ZK.stop()
    ZK.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
