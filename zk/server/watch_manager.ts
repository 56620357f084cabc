/**
 * Server-side watches (Apache's WatchManager pair plus persistent modes). One-shot data/exist and
 * child watches fire once; persistent watches stay; persistent-recursive ones see every event under
 * their path except NodeChildrenChanged. A watcher gets one event per trigger however many of its
 * watches match.
 */
import { EventType, WatcherType } from "../jute/opcodes.ts";
import { parentOf } from "../tree/path.ts";
import { hashPath, SlotMap } from "../../internal/slot_map.ts";

export interface Watcher {
  /** Unique among the server's watchers (a connection's number): the reverse index's key. */
  readonly id: number;
  /** Delivers a WatcherEvent to the client. */
  notify(path: string, type: number): void;
}

const hashWatcher = (w: Watcher) => Math.imul(w.id, 0x9e3779b1) >>> 7;

/**
 * One kind of watch, indexed both ways: the watchers of each path, and the paths of each watcher,
 * so dropping a closed connection's watches costs what it holds, not every watch on the server.
 * SlotMaps, not Maps: one-shot watches go in and out of both indexes with every trigger (see
 * slot_map.ts).
 */
export class WatchTable<W extends Watcher> {
  readonly byPath: SlotMap<string, Set<W>> = new SlotMap(hashPath);
  readonly byWatcher: SlotMap<W, Set<string>> = new SlotMap<W, Set<string>>(hashWatcher);

  add(path: string, w: W): void {
    let s = this.byPath.get(path);
    if (!s) this.byPath.set(path, s = new Set());
    s.add(w);
    let p = this.byWatcher.get(w);
    if (!p) this.byWatcher.set(w, p = new Set());
    p.add(path);
  }

  /**
   * Adds the watchers of `path` to `into` (made when there are some) and returns it; one-shot
   * kinds (`keep` false) drop them.
   */
  take(path: string, into: Set<W> | null, keep: boolean): Set<W> | null {
    const s = this.byPath.get(path);
    if (!s) return into;
    into ??= new Set();
    for (const w of s) {
      into.add(w);
      if (!keep) this.unlink(w, path);
    }
    if (!keep) this.byPath.delete(path);
    return into;
  }

  remove(path: string, w: W): boolean {
    const s = this.byPath.get(path);
    if (!s || !s.delete(w)) return false;
    if (s.size === 0) this.byPath.delete(path);
    this.unlink(w, path);
    return true;
  }

  has(path: string, w: W): boolean {
    return this.byPath.get(path)?.has(w) ?? false;
  }

  removeWatcher(w: W): void {
    const paths = this.byWatcher.get(w);
    if (!paths) return;
    this.byWatcher.delete(w);
    for (const path of paths) {
      const s = this.byPath.get(path)!;
      s.delete(w);
      if (s.size === 0) this.byPath.delete(path);
    }
  }

  private unlink(w: W, path: string): void {
    const p = this.byWatcher.get(w)!;
    p.delete(path);
    if (p.size === 0) this.byWatcher.delete(w);
  }
}

export class WatchManager<W extends Watcher = Watcher> {
  readonly data: WatchTable<W> = new WatchTable();
  readonly child: WatchTable<W> = new WatchTable();
  readonly persistent: WatchTable<W> = new WatchTable();
  readonly recursive: WatchTable<W> = new WatchTable();
  private readonly tables = [this.data, this.child, this.persistent, this.recursive];

  addData(path: string, w: W): void {
    this.data.add(path, w);
  }
  addChild(path: string, w: W): void {
    this.child.add(path, w);
  }
  addPersistent(path: string, w: W, recursive: boolean): void {
    (recursive ? this.recursive : this.persistent).add(path, w);
  }

  trigger(path: string, type: number): void {
    // A set of this trigger's own, made only if a watch matches: a long-lived one cleared per
    // trigger would churn tables as a Map does.
    let fired: Set<W> | null = null;
    if (type === EventType.NodeChildrenChanged) {
      fired = this.child.take(path, fired, false);
    } else {
      fired = this.data.take(path, fired, false);
      if (type === EventType.NodeDeleted) fired = this.child.take(path, fired, false);
    }
    fired = this.persistent.take(path, fired, true);
    if (type !== EventType.NodeChildrenChanged && this.recursive.byPath.size > 0) {
      for (let p = path;; p = parentOf(p)) {
        fired = this.recursive.take(p, fired, true);
        if (p === "/") break;
      }
    }
    if (fired === null) return;
    for (const w of fired) w.notify(path, type);
  }

  /** Removes watches of `w` on `path` (removeWatches); returns whether any existed. */
  remove(path: string, w: W, watcherType: number): boolean {
    let found = false;
    if (watcherType === WatcherType.Children || watcherType === WatcherType.Any) {
      found = this.child.remove(path, w) || found;
    }
    if (watcherType === WatcherType.Data || watcherType === WatcherType.Any) {
      found = this.data.remove(path, w) || found;
      found = this.persistent.remove(path, w) || found;
      found = this.recursive.remove(path, w) || found;
    }
    return found;
  }

  /** Does `w` watch `path` with a watch of this type (checkWatches)? */
  has(path: string, w: W, watcherType: number): boolean {
    const c = this.child.has(path, w);
    const d = this.data.has(path, w) || this.persistent.has(path, w) ||
      this.recursive.has(path, w);
    if (watcherType === WatcherType.Children) return c;
    if (watcherType === WatcherType.Data) return d;
    return c || d;
  }

  /** Drops every watch of a closed connection. */
  removeWatcher(w: W): void {
    for (const t of this.tables) t.removeWatcher(w);
  }

  /** Total watch count (wchs, mntr zk_watch_count). */
  count(): number {
    let n = 0;
    for (const t of this.tables) for (const s of t.byPath.values()) n += s.size;
    return n;
  }

  /** path → watchers, merged over all kinds (wchp). */
  byPath(): Map<string, Set<W>> {
    const out = new Map<string, Set<W>>();
    for (const t of this.tables) {
      for (const [path, s] of t.byPath) {
        let all = out.get(path);
        if (!all) out.set(path, all = new Set());
        for (const w of s) all.add(w);
      }
    }
    return out;
  }
}
