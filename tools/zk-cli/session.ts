/**
 * One ZooKeeper session of the shell, as zkCli holds one `ZooKeeper` object: created without
 * waiting for the connection (commands typed meanwhile wait for it, and fail with ConnectionLoss
 * when a connection attempt fails, as Apache's queued requests do), closed by `close`, `quit`
 * and `connect`.
 *
 * @module
 */
import {
  Err,
  KeeperState,
  parseConnectString,
  validatePath,
  type WatchedEvent,
  ZkClient,
  ZkError,
  type ZkState,
} from "../../zk/client/mod.ts";
import { crashOnNumber, JavaCrash } from "./errors.ts";
import { parseJavaInt } from "./java.ts";

/** How to open a session. */
export interface SessionOptions {
  /** Requested session timeout, ms. */
  timeout: number;
  /** Accept a read-only server (`-r`). */
  readOnly: boolean;
  /** Every event of the session: the shell's default watcher. */
  onEvent: (event: WatchedEvent) => void;
}

/** A session being established, live, or over. */
export class Session {
  readonly host: string;
  #opts: SessionOptions;
  #client: ZkClient | null = null;
  #pending: Promise<ZkClient>;
  /** Closed by us (close, quit, connect): no more events are reported. */
  #closed = false;
  /** Ended before it was ever established (expired or auth failed while connecting). */
  #failed = false;
  #attemptWaiters = new Set<() => void>();
  #establishedAs: ZkState = "CONNECTING";

  /**
   * Starts connecting to `host` ("h1:p1,h2:p2[/chroot]"). A malformed connect string throws a
   * JavaCrash, as Apache's ConnectStringParser kills zkCli.
   */
  constructor(host: string, opts: SessionOptions) {
    this.host = host;
    this.#opts = opts;
    checkPorts(host);
    try {
      parseConnectString(host);
    } catch (e) {
      throw new JavaCrash(`java.lang.IllegalArgumentException: ${(e as Error).message}`);
    }
    this.#pending = this.#connect();
    this.#pending.then(
      (client) => {
        if (this.#closed) client.close().catch(() => {});
        else this.#client = client;
      },
      () => {
        this.#failed = true;
      },
    );
  }

  /**
   * Connects, trying again after each connect timeout until a session is established (Apache's
   * client never gives up) or the session was closed meanwhile. Events of an attempt are only
   * reported once it is connected: the Closed of an attempt that timed out is not the user's.
   */
  async #connect(): Promise<ZkClient> {
    while (true) {
      let established = false;
      try {
        return await ZkClient.connect(this.host, {
          sessionTimeout: this.#opts.timeout,
          readOnly: this.#opts.readOnly,
          connectTimeout: Math.max(1000, this.#opts.timeout),
          watcher: (e) => {
            if (
              e.state === KeeperState.SyncConnected || e.state === KeeperState.ConnectedReadOnly
            ) {
              established = true;
              // The client object arrives just after this event; a prompt may be drawn between.
              this.#establishedAs = e.state === KeeperState.SyncConnected
                ? "CONNECTED"
                : "CONNECTEDREADONLY";
            }
            if (established && !this.#closed) this.#opts.onEvent(e);
          },
          log: (message) => this.#onLog(message),
        });
      } catch (e) {
        if (this.#closed || established || !(e instanceof ZkError)) throw e;
        if (e.code !== Err.CONNECTIONLOSS) throw e;
      }
    }
  }

  #onLog(message: string): void {
    if (this.#client !== null || !/^connection to .* failed/.test(message)) return;
    const waiters = [...this.#attemptWaiters];
    this.#attemptWaiters.clear();
    for (const fail of waiters) fail();
  }

  /** The state, as `ZooKeeper.getState()` names it. */
  get state(): ZkState {
    if (this.#closed || this.#failed) return "CLOSED";
    return this.#client?.state ?? this.#establishedAs;
  }

  /** `States.isAlive()`: neither closed nor failed authentication. */
  get alive(): boolean {
    const s = this.state;
    return s !== "CLOSED" && s !== "AUTH_FAILED";
  }

  /** The client if the session is established and open, without waiting. */
  get connected(): ZkClient | null {
    return this.#closed ? null : this.#client;
  }

  /**
   * The client, once connected. `path` (validated first, as Apache's client does before
   * queueing) names the node in the ConnectionLoss error of a failed connection attempt.
   */
  async client(path?: string, sequential = false): Promise<ZkClient> {
    if (path !== undefined) validatePath(path, sequential);
    if (this.#client !== null) return this.#client;
    if (this.#closed || this.#failed) throw new ZkError(Err.SESSIONEXPIRED, path);
    return await new Promise<ZkClient>((resolve, reject) => {
      const fail = () => reject(new ZkError(Err.CONNECTIONLOSS, path));
      this.#attemptWaiters.add(fail);
      this.#pending.then(
        (c) => {
          this.#attemptWaiters.delete(fail);
          if (this.#closed) reject(new ZkError(Err.SESSIONEXPIRED, path));
          else resolve(c);
        },
        () => {
          this.#attemptWaiters.delete(fail);
          reject(new ZkError(Err.SESSIONEXPIRED, path));
        },
      );
    });
  }

  /** Waits up to `ms` for the session; false if it was not established in time. */
  async waitConnected(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.#pending.then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Closes the session (ZooKeeper.close): the server drops it and the watcher hears Closed.
   * A session still connecting is abandoned, with the same Closed event.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    const client = this.#client;
    if (client !== null) {
      await client.close();
      this.#closed = true;
      return;
    }
    this.#closed = true;
    if (!this.#failed) {
      this.#opts.onEvent({ type: -1, state: KeeperState.Closed, path: null });
    }
  }
}

/** ConnectStringParser reads each port with Integer.parseInt: "connect foo:bar" kills zkCli. */
function checkPorts(connectString: string): void {
  const slash = connectString.indexOf("/");
  const hosts = slash >= 0 ? connectString.slice(0, slash) : connectString;
  for (const raw of hosts.split(",")) {
    const host = raw.trim();
    const colon = host.lastIndexOf(":");
    if (host.startsWith("[") || colon < 0 || colon === host.length - 1) continue;
    crashOnNumber(() => parseJavaInt(host.slice(colon + 1)));
  }
}
