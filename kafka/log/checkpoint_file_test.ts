import assert from "node:assert/strict";
import { formatCheckpoint, parseCheckpoint, writeFileAtomic } from "./checkpoint_file.ts";
import {
  OFFSET_CHECKPOINT,
  parseOffsetCheckpoint,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from "./offset_checkpoint.ts";
import {
  LEADER_EPOCH_FORMAT,
  parseLeaderEpochCheckpoint,
  readLeaderEpochCheckpoint,
  writeLeaderEpochCheckpoint,
} from "./leader_epoch_checkpoint.ts";
import { LogFileFormatError } from "./log_errors.ts";

const F = "/data/recovery-point-offset-checkpoint";

function fails(
  text: string,
  line: number,
  problem: RegExp,
  parse: (text: string, file: string) => unknown = parseOffsetCheckpoint,
) {
  assert.throws(
    () => parse(text, F),
    (e) =>
      e instanceof LogFileFormatError && e.file === F && e.line === line && problem.test(e.message),
    JSON.stringify(text),
  );
}

Deno.test("checkpoints: version, count, then one line per entry, each ended by \\n", () => {
  const entries = [{ topic: "a", partition: 0, offset: 12 }, {
    topic: "b.c-d",
    partition: 7,
    offset: 0,
  }];
  assert.equal(formatCheckpoint(OFFSET_CHECKPOINT, entries), "0\n2\na 0 12\nb.c-d 7 0\n");
  assert.equal(formatCheckpoint(OFFSET_CHECKPOINT, []), "0\n0\n");
  assert.equal(
    formatCheckpoint(LEADER_EPOCH_FORMAT, [{ epoch: 0, startOffset: 0 }, {
      epoch: 3,
      startOffset: 77,
    }]),
    "0\n2\n0 0\n3 77\n",
  );
});

Deno.test("checkpoints: what Kafka reads leniently herd reads too", () => {
  assert.deepEqual(parseOffsetCheckpoint("", F), [], "a file Kafka created but never wrote");
  assert.deepEqual(parseOffsetCheckpoint("0\n", F), []);
  assert.deepEqual(parseOffsetCheckpoint("0\r\n1\r\nt  3\t9", F), [{
    topic: "t",
    partition: 3,
    offset: 9,
  }]);
  assert.deepEqual(parseLeaderEpochCheckpoint("0\n1\n+2 5 \n", F), [{ epoch: 2, startOffset: 5 }]);
});

Deno.test("checkpoints: malformed files are refused naming the file and the line", () => {
  fails("x\n", 1, /version line is not a number: 'x'/);
  fails("1\n0\n", 1, /unrecognized checkpoint version 1 \(expected 0\)/);
  fails("0\nmany\n", 2, /entry count is not a count: 'many'/);
  fails("0\n-1\n", 2, /not a count/);
  fails("0\n1\nt 0\n", 3, /malformed line 't 0': expected topic, partition and offset, found 2/);
  fails("0\n2\nt 0 1\nt x 1\n", 4, /partition 'x' is not an int32/);
  fails("0\n1\nt 2147483648 1\n", 3, /not an int32/);
  fails("0\n1\nt 0 1.5\n", 3, /offset '1.5' is not an integer/);
  fails("0\n1\nt 0 9223372036854775807\n", 3, /not an integer herd can hold/);
  fails("0\n1\n t 0 1\n", 3, /malformed line/);
  fails("0\n2\nt 0 1\n\n", 4, /malformed line ''/);
  fails("0\n3\nt 0 1\nt 1 1\n", 0, /expected 3 entries in checkpoint file, but found 2/);
  fails("0\n1\n1\n", 3, /expected epoch and start offset, found 1/, parseLeaderEpochCheckpoint);
  assert.throws(() => parseOffsetCheckpoint("0\n1\nt x 1\n", F), {
    message: `${F}:3: malformed line 't x 1': partition 'x' is not an int32`,
  });
});

Deno.test("checkpoints: written atomically through a .tmp that does not stay", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-klog-ckpt-" });
  try {
    const path = `${dir}/replication-offset-checkpoint`;
    assert.deepEqual(await readOffsetCheckpoint(path), [], "missing: no entries");
    await writeOffsetCheckpoint(path, [{ topic: "t", partition: 0, offset: 5 }]);
    assert.equal(await Deno.readTextFile(path), "0\n1\nt 0 5\n");
    // A stale .tmp from a crash mid-write is simply replaced.
    await Deno.writeTextFile(`${path}.tmp`, "garbage");
    await writeOffsetCheckpoint(path, [{ topic: "t", partition: 0, offset: 6 }]);
    assert.deepEqual(await readOffsetCheckpoint(path), [{ topic: "t", partition: 0, offset: 6 }]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      "replication-offset-checkpoint",
    ]);

    const epochs = `${dir}/leader-epoch-checkpoint`;
    await writeLeaderEpochCheckpoint(epochs, [{ epoch: 1, startOffset: 0 }]);
    assert.deepEqual(await readLeaderEpochCheckpoint(epochs), [{ epoch: 1, startOffset: 0 }]);
    await Deno.writeTextFile(epochs, "0\n1\nnope\n");
    await assert.rejects(readLeaderEpochCheckpoint(epochs), {
      message:
        `${epochs}:3: malformed line 'nope': expected epoch and start offset, found 1 fields`,
    });

    await writeFileAtomic(`${dir}/raw`, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await Deno.readFile(`${dir}/raw`), new Uint8Array([1, 2, 3]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkpoints: a generic format round-trips its entries", () => {
  const text = "0\n3\nx 1 2\ny 3 4\nz 5 6\n";
  const parsed = parseCheckpoint(OFFSET_CHECKPOINT, text, "f");
  assert.equal(formatCheckpoint(OFFSET_CHECKPOINT, parsed), text);
});
