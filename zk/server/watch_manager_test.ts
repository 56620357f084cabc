import assert from "node:assert/strict";
import { EventType, WatcherType } from "../jute/opcodes.ts";
import { type Watcher, WatchManager } from "./watch_manager.ts";

let clients = 0;

class Client implements Watcher {
  readonly id = ++clients;
  events: string[] = [];
  constructor(readonly name: string) {}
  notify(path: string, type: number): void {
    this.events.push(`${type} ${path}`);
  }
}

/** Watches the reverse index still holds, which must match the path index exactly. */
function reverseCount(m: WatchManager<Client>): number {
  let n = 0;
  for (const t of [m.data, m.child, m.persistent, m.recursive]) {
    for (const [w, paths] of t.byWatcher) {
      for (const p of paths) assert.ok(t.byPath.get(p)?.has(w), `${w.name} ${p} in both`);
      n += paths.size;
    }
  }
  return n;
}

Deno.test("one-shot watches fire once, persistent ones stay, recursive ones see the subtree", () => {
  const m = new WatchManager<Client>();
  const a = new Client("a"), b = new Client("b");
  m.addData("/x", a);
  m.addChild("/x", a);
  m.addPersistent("/x", b, false);
  m.addPersistent("/", b, true);
  m.trigger("/x", EventType.NodeDataChanged);
  m.trigger("/x", EventType.NodeDataChanged);
  assert.deepEqual(a.events, ["3 /x"]);
  // b's persistent and recursive watches both match: one event per trigger.
  assert.deepEqual(b.events, ["3 /x", "3 /x"]);
  m.trigger("/x", EventType.NodeChildrenChanged);
  assert.deepEqual(a.events, ["3 /x", "4 /x"]);
  assert.deepEqual(b.events, ["3 /x", "3 /x", "4 /x"]); // recursive skips children-changed
  assert.equal(m.count(), 2);
  assert.equal(reverseCount(m), 2);
});

Deno.test("a closed watcher's watches all go, other watchers' stay", () => {
  const m = new WatchManager<Client>();
  const a = new Client("a"), b = new Client("b");
  for (let i = 0; i < 100; i++) {
    m.addData(`/n${i}`, a);
    m.addChild(`/n${i}`, a);
    m.addData(`/n${i}`, b);
  }
  m.addPersistent("/n1", a, true);
  assert.equal(m.count(), 301);
  m.removeWatcher(a);
  assert.equal(m.count(), 100);
  assert.equal(reverseCount(m), 100);
  assert.deepEqual([...m.byPath().get("/n5")!].map((w) => w.name), ["b"]);
  m.trigger("/n1", EventType.NodeDeleted);
  assert.deepEqual(a.events, []);
  assert.deepEqual(b.events, ["2 /n1"]);
  assert.equal(reverseCount(m), 99);
});

Deno.test("fired and removed watches leave nothing behind in either index", () => {
  const m = new WatchManager<Client>();
  const a = new Client("a");
  for (let round = 0; round < 3; round++) {
    m.addData("/r", a);
    m.addChild("/r", a);
    m.trigger("/r", EventType.NodeDeleted);
  }
  assert.equal(a.events.length, 3);
  m.addData("/s", a);
  m.addPersistent("/s", a, false);
  assert.ok(m.has("/s", a, WatcherType.Data));
  assert.ok(m.remove("/s", a, WatcherType.Any));
  assert.ok(!m.has("/s", a, WatcherType.Any));
  assert.equal(m.count(), 0);
  assert.equal(reverseCount(m), 0);
  for (const t of [m.data, m.child, m.persistent, m.recursive]) {
    assert.equal(t.byPath.size, 0);
    assert.equal(t.byWatcher.size, 0);
  }
});
