/**
 * What Apache 2.8.2's broker made each scenario print, kept in `testdata/<name>.txt`, and the
 * masks that make two runs comparable (ports, temp paths, member ids). Every scenario's output is
 * compared with its fixture on both brokers, so a fixture that passes on Apache's broker is
 * Apache's behaviour, and herd must match it.
 *
 * `HERD_INTEROP_RECORD=1` makes the Apache run rewrite the fixtures instead of comparing.
 *
 * @module
 */
import { lineDiff } from "../../zk/interop/_diff.ts";
import type { Broker } from "./_target.ts";

const TESTDATA = new URL("./testdata/", import.meta.url).pathname;
const RECORD = Deno.env.get("HERD_INTEROP_RECORD") === "1";

/** Escape `s` for use inside a RegExp. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Mask what differs between two runs of the same broker: its port, its log dir, the ZooKeeper
 * address, and the random part of group member ids (kept at the same width, so the columns of
 * tables stay aligned).
 */
export function mask(text: string, broker: Broker): string {
  const port = broker.bootstrap.split(":").pop()!;
  return text
    .replace(new RegExp(literal(broker.logDir), "g"), "LOGDIR")
    .replace(new RegExp(literal(broker.zookeeper.split("/")[0]), "g"), "ZOOKEEPER")
    .replace(new RegExp(`127\\.0\\.0\\.1:${port}\\b`, "g"), "127.0.0.1:PORT")
    .replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
    );
}

/**
 * Compare `actual` (already masked) with fixture `name`; on Apache's broker under
 * HERD_INTEROP_RECORD=1, write it instead.
 */
export async function expectFixture(name: string, actual: string, broker: Broker): Promise<void> {
  const path = `${TESTDATA}${name}.txt`;
  if (RECORD && broker.kind === "apache") {
    await Deno.writeTextFile(path, actual);
    return;
  }
  const expected = await Deno.readTextFile(path);
  if (actual !== expected) {
    throw new Error(
      `${name} on ${broker.kind}'s broker differs from Apache's (testdata/${name}.txt; - Apache, + ${broker.kind}):\n${
        lineDiff(expected.split("\n"), actual.split("\n"))
      }`,
    );
  }
}
