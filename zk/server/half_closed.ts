/**
 * Sockets the server has closed for writing (FIN sent after its last reply) while a read was still
 * pending: they stay open until the client closes its side, and a sweep releases the ones whose
 * clients never do. Closing them outright would cancel the read, which Deno reports by building
 * an error with a stack trace.
 */
import type { Connection } from "./connection.ts";

export class HalfClosedSockets {
  private readonly sockets = new Set<Connection>();

  get size(): number {
    return this.sockets.size;
  }

  add(c: Connection): void {
    this.sockets.add(c);
  }

  delete(c: Connection): void {
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
