import assert from "node:assert/strict";
import { EventType, KeeperState, WatcherType } from "../jute/mod.ts";
import type { WatchedEvent, Watcher } from "./types.ts";
import { WatchRegistry } from "./watches.ts";

const named = (): Record<string, Watcher> => ({
  def: () => {},
  data: () => {},
  exist: () => {},
  child: () => {},
  pers: () => {},
  rec: () => {},
});

function ev(type: number, path: string): WatchedEvent {
  return { type, state: KeeperState.SyncConnected, path };
}

function setup() {
  const w = named();
  const reg = new WatchRegistry(w.def);
  const name = (list: Watcher[]) => list.map((x) => Object.keys(w).find((k) => w[k] === x)).sort();
  return { w, reg, name };
}

Deno.test("one-shot watches fire like Apache's ZKWatchManager and are consumed", () => {
  const { w, reg, name } = setup();
  reg.add("data", "/a", w.data);
  reg.add("exist", "/a", w.exist);
  reg.add("child", "/a", w.child);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeDataChanged, "/a"))), ["data", "exist"]);
  assert.deepEqual(reg.materialize(ev(EventType.NodeDataChanged, "/a")), []);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeChildrenChanged, "/a"))), ["child"]);

  reg.add("exist", "/b", w.exist);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeCreated, "/b"))), ["exist"]);

  reg.add("data", "/c", w.data);
  reg.add("child", "/c", w.child);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeDeleted, "/c"))), ["child", "data"]);
  assert.deepEqual(reg.isEmpty, true);
});

Deno.test("persistent watches stay; recursive ones cover descendants but not child events", () => {
  const { w, reg, name } = setup();
  reg.add("persistent", "/p", w.pers);
  reg.add("persistentRecursive", "/p", w.rec);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeDataChanged, "/p"))), ["pers", "rec"]);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeChildrenChanged, "/p"))), ["pers"]);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeCreated, "/p/x/y"))), ["rec"]);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeDeleted, "/p"))), ["pers", "rec"]);
  assert.deepEqual(reg.materialize(ev(EventType.NodeCreated, "/q")), []);
  reg.add("persistentRecursive", "/", w.rec);
  assert.deepEqual(name(reg.materialize(ev(EventType.NodeCreated, "/q"))), ["rec"]);
});

Deno.test("session events reach the default watcher and every registered one", () => {
  const { w, reg, name } = setup();
  reg.add("data", "/a", w.data);
  reg.add("child", "/b", w.child);
  reg.add("data", "/c", w.def);
  const got = reg.materialize({
    type: EventType.None,
    state: KeeperState.Disconnected,
    path: null,
  });
  assert.deepEqual(name(got), ["child", "data", "def"]);
  assert.deepEqual(reg.isEmpty, false);
});

Deno.test("removal selection, remaining watchers and removal events", () => {
  const { w, reg } = setup();
  reg.add("data", "/a", w.data);
  reg.add("child", "/a", w.child);
  reg.add("persistent", "/a", w.pers);
  const sel = reg.select("/a", WatcherType.Data, w.data);
  assert.deepEqual(sel, [{ kind: "data", watcher: w.data }]);
  // The persistent watch still needs the server's data watch.
  assert.deepEqual(reg.othersRemain("/a", WatcherType.Data, sel), true);
  const all = reg.select("/a", WatcherType.Any);
  assert.deepEqual(all.length, 3);
  assert.deepEqual(reg.othersRemain("/a", WatcherType.Any, all), false);
  const events = reg.remove("/a", all).map(([, e]) => e.type).sort();
  assert.deepEqual(
    events,
    [
      EventType.DataWatchRemoved,
      EventType.ChildWatchRemoved,
      EventType.PersistentWatchRemoved,
    ].sort(),
  );
  assert.deepEqual(reg.isEmpty, true);
  assert.deepEqual(reg.select("/a", WatcherType.Children), []);
});

Deno.test("paths lists every registered path per kind", () => {
  const { w, reg } = setup();
  reg.add("data", "/a", w.data);
  reg.add("exist", "/b", w.exist);
  reg.add("persistentRecursive", "/r", w.rec);
  assert.deepEqual(reg.paths(), {
    data: ["/a"],
    exist: ["/b"],
    child: [],
    persistent: [],
    persistentRecursive: ["/r"],
  });
});
