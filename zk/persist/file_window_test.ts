import assert from "node:assert/strict";
import { JuteError } from "../jute/reader.ts";
import { FileWindow } from "./file_window.ts";

Deno.test("FileWindow: any forward range, across chunk edges, larger than a chunk, or after a jump", async () => {
  const path = await Deno.makeTempFile();
  try {
    const bytes = new Uint8Array(10_000).map((_, i) => (i * 7 + (i >> 8)) & 0xff);
    await Deno.writeFile(path, bytes);
    const f = Deno.openSync(path, { read: true });
    try {
      const win = new FileWindow(f, 64);
      const check = (at: number, n: number) => {
        const o = win.need(at, n);
        assert.deepEqual(win.buf.subarray(o, o + n), bytes.subarray(at, at + n), `${at}+${n}`);
      };
      check(0, 10);
      check(5, 59); // to the end of the first chunk
      check(60, 10); // across it
      check(61, 300); // more than a chunk: the window grows
      check(400, 8); // past the window: a seek
      check(400, 8); // the same range again
      for (let at = 500; at < 9_000; at += 97) check(at, 1 + (at % 150));
      check(9_990, 10); // up to the last byte
      assert.throws(() => win.need(9_995, 10), JuteError); // past the end
      assert.throws(() => win.need(100, 1), /moved back/);
      // A read of its own in between, then on forward: the next fill seeks again.
      const w2 = new FileWindow(f, 64);
      w2.need(0, 10);
      assert.deepEqual(w2.readAt(30, 20), bytes.subarray(30, 50));
      const o2 = w2.need(9_000, 16);
      assert.deepEqual(w2.buf.subarray(o2, o2 + 16), bytes.subarray(9_000, 9_016));
      assert.equal(w2.size, 10_000);
      assert.throws(() => w2.readAt(9_995, 10), JuteError);
      // Another reader moved the shared file's position: the next fill seeks again.
      f.seekSync(0, Deno.SeekMode.Start);
      const other = new FileWindow(f, 64);
      const o = other.need(5_000, 20);
      assert.deepEqual(other.buf.subarray(o, o + 20), bytes.subarray(5_000, 5_020));
    } finally {
      f.close();
    }
  } finally {
    await Deno.remove(path);
  }
});
