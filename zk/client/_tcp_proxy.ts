/**
 * Test helper: a loopback TCP proxy in front of a server, so a test can cut a client's
 * connection (`cut`), refuse new ones (`mode = "refuse"`), or silently drop traffic
 * (`mode = "blackhole"`, as a network partition looks to both ends).
 */

/** How the proxy treats traffic. */
export type ProxyMode = "forward" | "refuse" | "blackhole";

/** A proxy from a free loopback port to `127.0.0.1:targetPort`. */
export class TcpProxy {
  mode: ProxyMode = "forward";
  readonly port: number;
  #listener: Deno.TcpListener;
  #conns = new Set<Deno.TcpConn>();
  #tasks = new Set<Promise<void>>();
  #accepting: Promise<void>;

  constructor(readonly targetPort: number) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = (this.#listener.addr as Deno.NetAddr).port;
    this.#accepting = this.#accept();
  }

  /** Number of client connections currently proxied. */
  get connections(): number {
    return this.#conns.size / 2;
  }

  /** Closes every proxied connection (the proxy keeps listening). */
  cut(): void {
    for (const c of this.#conns) closeQuietly(c);
    this.#conns.clear();
  }

  /** Stops listening and closes everything. */
  async close(): Promise<void> {
    this.#listener.close();
    this.cut();
    await this.#accepting;
    while (this.#tasks.size) await Promise.all([...this.#tasks]);
  }

  async #accept(): Promise<void> {
    for (;;) {
      let client: Deno.TcpConn;
      try {
        client = await this.#listener.accept();
      } catch {
        return;
      }
      if (this.mode === "refuse") {
        closeQuietly(client);
        continue;
      }
      const task = this.#proxy(client);
      this.#tasks.add(task);
      task.finally(() => this.#tasks.delete(task));
    }
  }

  async #proxy(client: Deno.TcpConn): Promise<void> {
    let server: Deno.TcpConn;
    try {
      server = await Deno.connect({ hostname: "127.0.0.1", port: this.targetPort });
    } catch {
      closeQuietly(client);
      return;
    }
    this.#conns.add(client);
    this.#conns.add(server);
    await Promise.all([this.#pump(client, server), this.#pump(server, client)]);
    this.#conns.delete(client);
    this.#conns.delete(server);
  }

  async #pump(from: Deno.TcpConn, to: Deno.TcpConn): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        if (this.mode === "blackhole") continue;
        let off = 0;
        while (off < n) off += await to.write(buf.subarray(off, n));
      }
    } catch {
      // one side closed
    }
    closeQuietly(from);
    closeQuietly(to);
  }
}

function closeQuietly(c: Deno.Conn): void {
  try {
    c.close();
  } catch {
    // already closed
  }
}
