/**
 * kcat (librdkafka): `-P` with keys in every codec into topics it auto-creates, `-L` (the metadata
 * listing, masked), and `-C` back from the start; compared with what kcat printed against Apache
 * 2.8.2's broker (`testdata/kcat-L.txt`, `testdata/kcat-C.txt`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { expectFixture, mask } from "./_expect.ts";
import { type Broker, onPath, runOk } from "./_target.ts";

const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"];

/** Why kcat cannot run here, or undefined. */
export function kcatMissing(): string | undefined {
  return onPath("kcat") ? undefined : "kcat is not installed (apt-get install kcat)";
}

/**
 * kcat -L's listing cut to what this scenario owns: the header and brokers, then the kcat-*
 * topics in name order (other tests' topics may share the broker; the order itself is
 * compared in kafka/handlers/metadata_order_apache_test.ts).
 */
export function kcatListing(text: string): string {
  const lines = text.split("\n");
  const head: string[] = [];
  const blocks: string[][] = [];
  for (const line of lines) {
    if (line.startsWith("  topic ")) blocks.push([line]);
    else if (line.startsWith("    ") && blocks.length > 0) blocks[blocks.length - 1].push(line);
    else if (blocks.length === 0 && !/^ \d+ topics:$/.test(line)) head.push(line);
  }
  const ours = blocks.filter((b) => b[0].startsWith('  topic "kcat-'))
    .sort((a, b) => a[0] < b[0] ? -1 : 1);
  return [...head, ...ours.flat(), ""].join("\n");
}

/** Run the kcat scenario against `broker`. */
export async function kcatScenario(broker: Broker): Promise<void> {
  const B = broker.bootstrap;
  const sent: string[] = [];
  for (const codec of CODECS) {
    const lines = Array.from({ length: 30 }, (_, i) => `${codec}-k${i}=${codec}-v${i}`);
    // The first produce to a topic that does not exist creates it (auto.create.topics.enable).
    await runOk("kcat", ["-b", B, "-P", "-t", `kcat-${codec}`, "-K", "=", "-z", codec], {
      stdin: lines.join("\n") + "\n",
    });
    sent.push(...lines.map((l) => `kcat-${codec} ${l}`));
  }
  const listing = await runOk("kcat", ["-b", B, "-L"]);
  await expectFixture("kcat-L", kcatListing(mask(listing.out, broker)), broker);
  let consumed = "";
  for (const codec of CODECS) {
    const r = await runOk("kcat", [
      "-b",
      B,
      "-C",
      "-t",
      `kcat-${codec}`,
      "-o",
      "beginning",
      "-e",
      "-f",
      "%t %p %o %k=%s\n",
    ]);
    consumed += r.out;
  }
  assert.deepEqual(
    consumed.trimEnd().split("\n").map((l) => l.replace(/^(\S+) \d+ \d+ /, "$1 ")),
    sent,
  );
  await expectFixture("kcat-C", consumed, broker);
}
