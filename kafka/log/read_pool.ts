/**
 * Buffers that fetches read log data into, reused: a consumer's fetch reads ~1 MiB at a time, and
 * a new buffer per fetch is a large-object allocation that drives V8 into full collections
 * (measured: 33 mark-compacts for 600 1 MiB fetches, each a 10-50 ms stall for the consumer).
 * A pooled read hands its buffer back once the answer holding it is written.
 *
 * @module
 */

/** Smallest pooled buffer: below it a fresh allocation is cheap (young generation). */
const MIN_POOLED = 64 * 1024;
/** Largest pooled buffer; larger reads allocate and leave their buffer to the GC. */
const MAX_POOLED = 16 * 1024 * 1024;
/** Buffers kept per size class. */
const PER_CLASS = 8;

const classes = new Map<number, Uint8Array[]>();

function classOf(n: number): number {
  let size = MIN_POOLED;
  while (size < n) size *= 2;
  return size;
}

/**
 * A buffer of at least `n` bytes: pooled (give it back with {@link giveReadBuffer}) when
 * `n` is within the pooled sizes, else fresh.
 */
export function takeReadBuffer(n: number): Uint8Array {
  if (n < MIN_POOLED || n > MAX_POOLED) return new Uint8Array(n);
  const size = classOf(n);
  return classes.get(size)?.pop() ?? new Uint8Array(size);
}

/**
 * Returns the buffer a view from {@link takeReadBuffer} lies in (any view of it will do);
 * nothing may use it afterwards.
 */
export function giveReadBuffer(b: Uint8Array): void {
  const size = b.buffer.byteLength;
  if (size < MIN_POOLED || size > MAX_POOLED || size !== classOf(size)) return;
  let list = classes.get(size);
  if (!list) classes.set(size, list = []);
  if (list.length < PER_CLASS) list.push(new Uint8Array(b.buffer));
}
