/**
 * The problems DumpLogSegments collects while it dumps and prints on stderr at the end: index
 * entries that do not match the log, offsets that do not follow each other, time index entries
 * out of order. Kafka keeps them in a Scala 2.12 `mutable.HashMap` keyed by absolute path, so
 * the files come out in that table's order; a file's pairs come newest first where Kafka prepends
 * them to a List, oldest first where it appends to an ArrayBuffer.
 *
 * @module
 */
import { scalaHashMapOrder } from "./decoders.ts";

/** Pairs of numbers per file, in the order Kafka prints them. */
export class PairsByFile {
  readonly #pairs = new Map<string, [number, number][]>();

  /** `newestFirst`: Kafka prepends (`::=` on a List) rather than appends. */
  constructor(private readonly newestFirst: boolean) {}

  /** Records a pair for `file` (an absolute path). */
  add(file: string, a: number, b: number): void {
    let list = this.#pairs.get(file);
    if (list === undefined) this.#pairs.set(file, list = []);
    list.push([a, b]);
  }

  /** Whether nothing was recorded. */
  get empty(): boolean {
    return this.#pairs.size === 0;
  }

  /** Each file with its pairs, in Kafka's printing order. */
  *entries(): Generator<[string, [number, number][]]> {
    for (const file of scalaHashMapOrder([...this.#pairs.keys()])) {
      const list = this.#pairs.get(file)!;
      yield [file, this.newestFirst ? [...list].reverse() : list];
    }
  }
}
