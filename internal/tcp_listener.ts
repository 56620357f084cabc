/**
 * The listening side both roles share: bind with an error that names the address, and an accept
 * loop that hands each socket (Nagle off) to the server.
 *
 * @module
 */

/**
 * Listens on `hostname:port`. Deno's own error says only "Address already in use (os error 98)":
 * this one adds `: binding to <hostname>:<port>`.
 *
 * @example
 * ```ts
 * import { listenTcp } from "./tcp_listener.ts";
 * const listener = listenTcp("127.0.0.1", 0);
 * listener.close();
 * ```
 */
export function listenTcp(hostname: string, port: number): Deno.TcpListener {
  try {
    return Deno.listen({ hostname, port, transport: "tcp" });
  } catch (e) {
    if (e instanceof Error) e.message = `${e.message}: binding to ${hostname}:${port}`;
    throw e;
  }
}

/**
 * Accepts connections until an accept fails, passing each to `accept` with TCP_NODELAY set
 * (output is batched by the connection, so Nagle only adds latency). Rejects with the failed
 * accept's error, which closing the listener also causes: the caller knows whether it stopped.
 *
 * @example
 * ```ts ignore
 * acceptLoop(listenTcp("0.0.0.0", 2181), (conn) => new Connection(conn, server).run())
 *   .catch((e) => stopped || log.error("main:NIOServerCnxnFactory", `accept failed: ${e}`));
 * ```
 */
export async function acceptLoop(
  listener: Deno.Listener,
  accept: (conn: Deno.Conn) => void,
): Promise<void> {
  // listener.accept() rather than `for await` over the listener: an async generator's queue
  // of pending next() calls links each to the one after, and once one was promoted (a quiet
  // spell is enough) every later accepted socket and its connection were kept by the dead one
  // before it until a full GC: 3.4 MB promoted per scavenge under session churn.
  for (;;) {
    const conn = await listener.accept();
    try {
      (conn as Deno.TcpConn).setNoDelay(true);
    } catch { /* not a TCP socket */ }
    accept(conn);
  }
}
