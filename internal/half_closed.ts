/**
 * Sockets the server has closed for writing (FIN sent after its last reply) while a read was still
 * pending: they stay open until the client closes its side, and a sweep releases the ones whose
 * clients never do. Closing them outright would cancel the read, which Deno reports by building
 * an error with a stack trace.
 *
 * @module
 */

/** What can linger half-closed: a FramedConnection. */
export interface HalfClosable {
  /** When FIN was sent (Date.now()). */
  readonly halfClosedAt: number;
  /** Closes the socket for good. */
  release(): void;
}

/**
 * The half-closed sockets of one server.
 *
 * @example
 * ```ts
 * import { HalfClosedSockets } from "./half_closed.ts";
 * const sockets = new HalfClosedSockets();
 * sockets.add({ halfClosedAt: 1000, release: () => console.log("released") });
 * sockets.sweep(3000, 2000); // released
 * ```
 */
export class HalfClosedSockets<T extends HalfClosable = HalfClosable> {
  private readonly sockets = new Set<T>();

  get size(): number {
    return this.sockets.size;
  }

  add(c: T): void {
    this.sockets.add(c);
  }

  delete(c: T): void {
    this.sockets.delete(c);
  }

  /** Releases the sockets half-closed at least `graceMs` before `now`. */
  sweep(now: number, graceMs: number): void {
    for (const c of this.sockets) if (now - c.halfClosedAt >= graceMs) c.release();
  }

  releaseAll(): void {
    for (const c of [...this.sockets]) c.release();
  }
}
