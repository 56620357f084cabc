/**
 * Server-side watches (Apache's WatchManager pair plus persistent modes). One-shot data/exist and
 * child watches fire once; persistent watches stay; persistent-recursive ones see every event under
 * their path except NodeChildrenChanged. A watcher gets one event per trigger however many of its
 * watches match.
 */
import { EventType, WatcherType } from "../jute/opcodes.ts";
import { parentOf } from "../tree/path.ts";

export interface Watcher {
  /** Delivers a WatcherEvent to the client. */
  notify(path: string, type: number): void;
}

type Table<W> = Map<string, Set<W>>;

function add<W>(t: Table<W>, path: string, w: W): void {
  let s = t.get(path);
  if (!s) t.set(path, s = new Set());
  s.add(w);
}

function take<W>(t: Table<W>, path: string, into: Set<W>, keep: boolean): void {
  const s = t.get(path);
  if (!s) return;
  for (const w of s) into.add(w);
  if (!keep) t.delete(path);
}

function removeFrom<W>(t: Table<W>, path: string, w: W): boolean {
  const s = t.get(path);
  if (!s || !s.delete(w)) return false;
  if (s.size === 0) t.delete(path);
  return true;
}

export class WatchManager<W extends Watcher = Watcher> {
  readonly data: Table<W> = new Map();
  readonly child: Table<W> = new Map();
  readonly persistent: Table<W> = new Map();
  readonly recursive: Table<W> = new Map();
  private readonly fired = new Set<W>();

  addData(path: string, w: W): void {
    add(this.data, path, w);
  }
  addChild(path: string, w: W): void {
    add(this.child, path, w);
  }
  addPersistent(path: string, w: W, recursive: boolean): void {
    add(recursive ? this.recursive : this.persistent, path, w);
  }

  trigger(path: string, type: number): void {
    const fired = this.fired;
    if (type === EventType.NodeChildrenChanged) {
      take(this.child, path, fired, false);
    } else {
      take(this.data, path, fired, false);
      if (type === EventType.NodeDeleted) take(this.child, path, fired, false);
    }
    take(this.persistent, path, fired, true);
    if (type !== EventType.NodeChildrenChanged && this.recursive.size > 0) {
      for (let p = path;; p = parentOf(p)) {
        take(this.recursive, p, fired, true);
        if (p === "/") break;
      }
    }
    if (fired.size === 0) return;
    for (const w of fired) w.notify(path, type);
    fired.clear();
  }

  /** Removes watches of `w` on `path` (removeWatches); returns whether any existed. */
  remove(path: string, w: W, watcherType: number): boolean {
    let found = false;
    if (watcherType === WatcherType.Children || watcherType === WatcherType.Any) {
      found = removeFrom(this.child, path, w) || found;
    }
    if (watcherType === WatcherType.Data || watcherType === WatcherType.Any) {
      found = removeFrom(this.data, path, w) || found;
      found = removeFrom(this.persistent, path, w) || found;
      found = removeFrom(this.recursive, path, w) || found;
    }
    return found;
  }

  /** Does `w` watch `path` with a watch of this type (checkWatches)? */
  has(path: string, w: W, watcherType: number): boolean {
    const inT = (t: Table<W>) => t.get(path)?.has(w) ?? false;
    const c = inT(this.child);
    const d = inT(this.data) || inT(this.persistent) || inT(this.recursive);
    if (watcherType === WatcherType.Children) return c;
    if (watcherType === WatcherType.Data) return d;
    return c || d;
  }

  /** Drops every watch of a closed connection. */
  removeWatcher(w: W): void {
    for (const t of [this.data, this.child, this.persistent, this.recursive]) {
      for (const [path, s] of t) {
        if (s.delete(w) && s.size === 0) t.delete(path);
      }
    }
  }

  /** Total watch count (wchs, mntr zk_watch_count). */
  count(): number {
    let n = 0;
    for (const t of [this.data, this.child, this.persistent, this.recursive]) {
      for (const s of t.values()) n += s.size;
    }
    return n;
  }

  /** path → watchers, merged over all kinds (wchp). */
  byPath(): Map<string, Set<W>> {
    const out = new Map<string, Set<W>>();
    for (const t of [this.data, this.child, this.persistent, this.recursive]) {
      for (const [path, s] of t) for (const w of s) add(out, path, w);
    }
    return out;
  }
}
