/**
 * Requests sent on one connection and not yet answered. ZooKeeper answers a connection's
 * requests in the order it sent them, so a reply for any other xid means the stream is broken.
 */
import { Err, type JuteReader, readResponse, type Response } from "../jute/mod.ts";
import { Fifo } from "./_fifo.ts";

/** Completion of one request: the reply's error code and, when it is OK, its body. */
export type Done = (err: number, res: Response | null) => void;

interface Pending {
  xid: number;
  type: number;
  done: Done;
}

/** The in-flight requests of a connection, oldest first. */
export class InFlight {
  #xid = 0;
  #fifo = new Fifo<Pending>();

  /** How many requests await a reply. */
  get size(): number {
    return this.#fifo.length;
  }

  /** The next xid: 1 … 2^31-1, wrapping (negative xids are reserved for the protocol). */
  nextXid(): number {
    this.#xid = this.#xid >= 0x7fffffff ? 1 : this.#xid + 1;
    return this.#xid;
  }

  /** Records a sent request of opcode `type`. */
  add(xid: number, type: number, done: Done): void {
    this.#fifo.push({ xid, type, done });
  }

  /**
   * Completes the oldest request with the reply body at `r`; throws (leaving the request
   * pending) if the reply is for another xid or its body does not decode.
   */
  complete(xid: number, err: number, r: JuteReader): void {
    const p = this.#fifo.peek();
    if (p === undefined || p.xid !== xid) {
      throw new Error(`reply xid ${xid} out of order, expected ${p?.xid}`);
    }
    const res = err === Err.OK ? readResponse(p.type, r) : null;
    this.#fifo.shift();
    p.done(err, res);
  }

  /** Fails every pending request with `code`, oldest first. */
  failAll(code: number): void {
    for (const p of this.#fifo.drain()) p.done(code, null);
  }
}
