/**
 * The client-side watch registry. The server keeps one watch per (connection, path, kind) and
 * sends one event; the client fans it out to every watcher registered for it, following
 * Apache's ZKWatchManager so a program ported from Java sees the same watchers fire.
 */
import { EventType, KeeperState, WatcherType } from "../jute/mod.ts";
import type { WatchedEvent, Watcher } from "./types.ts";

/** The five watch tables, as in Apache's client. */
export type WatchKind = "data" | "exist" | "child" | "persistent" | "persistentRecursive";

const KINDS: readonly WatchKind[] = [
  "data",
  "exist",
  "child",
  "persistent",
  "persistentRecursive",
];

/** The kinds a removeWatches of a given WatcherType covers. */
function kindsFor(watcherType: number): readonly WatchKind[] {
  switch (watcherType) {
    case WatcherType.Children:
      return ["child", "persistent", "persistentRecursive"];
    case WatcherType.Data:
      return ["data", "exist", "persistent", "persistentRecursive"];
    case WatcherType.Any:
      return KINDS;
    default:
      throw new RangeError(`unknown WatcherType ${watcherType}`);
  }
}

/** The event a removed watcher of this kind is told about. */
function removedEventType(kind: WatchKind): number {
  if (kind === "child") return EventType.ChildWatchRemoved;
  if (kind === "data" || kind === "exist") return EventType.DataWatchRemoved;
  return EventType.PersistentWatchRemoved;
}

/** Registered paths per kind, as sent in SetWatches2 after a reconnect. */
export type WatchPaths = Record<WatchKind, string[]>;

/** One watcher selected for removal. */
export interface Removal {
  kind: WatchKind;
  watcher: Watcher;
}

/** Watchers per kind and path, plus the default watcher. */
export class WatchRegistry {
  /** Receives every session state event and the events of `watch = true` registrations. */
  defaultWatcher: Watcher;
  #tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };

  constructor(defaultWatcher: Watcher = () => {}) {
    this.defaultWatcher = defaultWatcher;
  }

  /** Registers `watcher` for `path`; a watcher is held once per kind and path. */
  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.#tables[kind];
    let set = table.get(path);
    if (set === undefined) table.set(path, set = new Set());
    set.add(watcher);
  }

  /** True when no watch of any kind is registered. */
  get isEmpty(): boolean {
    return KINDS.every((k) => this.#tables[k].size === 0);
  }

  /** The registered paths per kind, each passed through `map` (e.g. to add a chroot). */
  paths(map: (path: string) => string = (p) => p): WatchPaths {
    const out = {} as WatchPaths;
    for (const k of KINDS) out[k] = [...this.#tables[k].keys()].map(map);
    return out;
  }

  /** True if `watcher` (or any watcher when undefined) is registered for `path` as `kind`. */
  has(kind: WatchKind, path: string, watcher?: Watcher): boolean {
    const set = this.#tables[kind].get(path);
    if (set === undefined) return false;
    return watcher === undefined ? set.size > 0 : set.has(watcher);
  }

  /**
   * The watchers an event goes to, removing the one-shot ones it consumes. Session events
   * (type None) go to the default watcher and every registered watcher, which stay registered.
   */
  materialize(event: WatchedEvent): Watcher[] {
    const out = new Set<Watcher>();
    const take = (kind: WatchKind, path: string) => {
      const set = this.#tables[kind].get(path);
      if (set === undefined) return;
      for (const w of set) out.add(w);
      this.#tables[kind].delete(path);
    };
    const path = event.path;
    if (event.type === EventType.None || path === null) {
      out.add(this.defaultWatcher);
      for (const k of KINDS) {
        for (const set of this.#tables[k].values()) for (const w of set) out.add(w);
      }
      return [...out];
    }
    switch (event.type) {
      case EventType.NodeDataChanged:
      case EventType.NodeCreated:
        take("data", path);
        take("exist", path);
        break;
      case EventType.NodeChildrenChanged:
        take("child", path);
        break;
      case EventType.NodeDeleted:
        take("data", path);
        take("exist", path);
        take("child", path);
        break;
    }
    for (const w of this.#tables.persistent.get(path) ?? []) out.add(w);
    // A recursive watch promises no child events, even when a child watch makes the server send one.
    if (event.type !== EventType.NodeChildrenChanged) {
      for (const p of ancestorsAndSelf(path)) {
        for (const w of this.#tables.persistentRecursive.get(p) ?? []) out.add(w);
      }
    }
    return [...out];
  }

  /** The watchers a removeWatches(path, watcherType, watcher) would remove. */
  select(path: string, watcherType: number, watcher?: Watcher): Removal[] {
    const out: Removal[] = [];
    for (const kind of kindsFor(watcherType)) {
      const set = this.#tables[kind].get(path);
      if (set === undefined) continue;
      if (watcher === undefined) {
        for (const w of set) out.push({ kind, watcher: w });
      } else if (set.has(watcher)) {
        out.push({ kind, watcher });
      }
    }
    return out;
  }

  /**
   * True if, after `removals`, some watcher would still need the server's watch on `path`
   * of `watcherType` (so the server watch must be checked, not removed).
   */
  othersRemain(path: string, watcherType: number, removals: readonly Removal[]): boolean {
    for (const kind of kindsFor(watcherType)) {
      const set = this.#tables[kind].get(path);
      if (set === undefined) continue;
      for (const w of set) {
        if (!removals.some((r) => r.kind === kind && r.watcher === w)) return true;
      }
    }
    return false;
  }

  /** Removes the selected watchers; returns the events to tell each of them. */
  remove(path: string, removals: readonly Removal[]): Array<[Watcher, WatchedEvent]> {
    const out: Array<[Watcher, WatchedEvent]> = [];
    for (const { kind, watcher } of removals) {
      const set = this.#tables[kind].get(path);
      if (set === undefined || !set.delete(watcher)) continue;
      if (set.size === 0) this.#tables[kind].delete(path);
      const type = removedEventType(kind);
      out.push([watcher, { type, state: KeeperState.SyncConnected, path }]);
    }
    return out;
  }

  /** Drops every registration. */
  clear(): void {
    for (const k of KINDS) this.#tables[k].clear();
  }
}

/** "/a/b" → "/a/b", "/a", "/". */
function* ancestorsAndSelf(path: string): Generator<string> {
  let p = path;
  for (;;) {
    yield p;
    if (p === "/") return;
    const i = p.lastIndexOf("/");
    p = i <= 0 ? "/" : p.slice(0, i);
  }
}
