/**
 * The histories record_metadata_order.ts plays on Apache Kafka 2.8.2 (and metadata_order_test.ts
 * replays on herd's model): topic creations (one request each, in order, waiting for leaders),
 * deletions, a group coordinator lookup (which creates __consumer_offsets) and a restart.
 *
 * @module
 */

/** One step of a history. */
export interface OrderStep {
  /** A label. */
  name: string;
  /** Topics to create, in order, with their partition counts. */
  create?: [string, number][];
  /** Topics to delete (one request). */
  delete?: string[];
  /** A group whose coordinator to find (creates __consumer_offsets). */
  group?: string;
  /** Restart the broker first; the number of topics it then lists. */
  restart?: number;
  /** Named Metadata requests to make after the step. */
  ask?: string[][];
}

/** A history, on a fresh broker. */
export interface OrderSession {
  /** A label. */
  name: string;
  /** Its steps, in order. */
  steps: OrderStep[];
}

/** t07 … t40. */
const MANY: [string, number][] = Array.from(
  { length: 34 },
  (_, i) => [`t${String(i + 7).padStart(2, "0")}`, [1, 2, 3, 5, 8, 9][i % 6]],
);

/** The two histories. */
export const METADATA_ORDER_SESSIONS: OrderSession[] = [
  {
    name: "forward",
    steps: [
      { name: "1 topic", create: [["orders", 3]], ask: [["orders", "nope"]] },
      {
        name: "3 topics",
        create: [["zeta", 1], ["alpha", 5]],
        ask: [["alpha", "zeta", "orders"], ["zeta", "nope", "alpha", "zeta"]],
      },
      { name: "4 topics", create: [["mid", 13]], ask: [["mid", "orders", "alpha", "zeta"]] },
      { name: "orders deleted", delete: ["orders"] },
      {
        name: "5 topics",
        create: [["b5", 2], ["c6", 1]],
        ask: [["zeta", "mid", "alpha", "b5", "c6"], ["c6", "b5", "nope", "alpha", "x1", "mid"]],
      },
      { name: "13 topics", create: MANY.slice(0, 8) },
      { name: "40 topics", create: [...MANY.slice(8), ["wide", 40]] },
      { name: "35 topics", delete: ["t07", "t12", "t20", "alpha", "wide"] },
      { name: "with __consumer_offsets", group: "g1" },
      { name: "restarted", restart: 36 },
    ],
  },
  {
    name: "backward",
    steps: [
      { name: "1 topic", create: [["mid", 13]] },
      { name: "2 topics", create: [["alpha", 5]] },
      { name: "3 topics", create: [["zeta", 1]] },
      { name: "4 topics", create: [["orders", 3]] },
      { name: "mid deleted", delete: ["mid"] },
      { name: "zeta deleted", delete: ["zeta"] },
      { name: "restarted", restart: 2 },
      { name: "3 again", create: [["c6", 1]] },
    ],
  },
];
