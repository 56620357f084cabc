import assert from "node:assert/strict";
import { FakeView } from "./_test_view.ts";
import { FOUR_LETTER_WORDS, fourLetterCode, replyPackets, runFourLetterWord } from "./words.ts";
import { referenceSection } from "./_reference.ts";

Deno.test("every word Apache 3.8 knows is dispatched", () => {
  assert.deepStrictEqual([...FOUR_LETTER_WORDS].sort(), [
    "conf",
    "cons",
    "crst",
    "dirs",
    "dump",
    "envi",
    "gtmk",
    "hash",
    "isro",
    "mntr",
    "ruok",
    "srst",
    "srvr",
    "stat",
    "stmk",
    "wchc",
    "wchp",
    "wchs",
  ]);
  assert.deepStrictEqual(fourLetterCode(0x72756f6b), "ruok");
  assert.deepStrictEqual(fourLetterCode(0x61626364), null);
});

Deno.test("words outside the whitelist get Apache's rejection, srvr always runs", async () => {
  const v = new FakeView();
  v.fourLetterWhitelist = new Set(["stat", "ruok", "conf", "isro"]);
  for (const word of ["dump", "envi"]) {
    assert.deepStrictEqual(
      runFourLetterWord(word, v) + "\n",
      await referenceSection("4lw-whitelist.out", word),
    );
  }
  assert.deepStrictEqual(runFourLetterWord("ruok", v), "imok");
  assert.deepStrictEqual(runFourLetterWord("srvr", v).startsWith("Zookeeper version: "), true);
  assert.deepStrictEqual(
    runFourLetterWord("nope", v),
    "nope is not executed because it is not in the whitelist.\n",
  );
});

Deno.test("each word counts one packet received and its reply chunks sent", () => {
  const v = new FakeView();
  runFourLetterWord("ruok", v);
  assert.deepStrictEqual(v.counted, { received: 1, sent: 1 });
  runFourLetterWord("wchc", v);
  assert.deepStrictEqual(v.counted, { received: 2, sent: 2 });
  runFourLetterWord("hash", v);
  assert.deepStrictEqual(v.counted, { received: 3, sent: 2 });
  assert.deepStrictEqual(replyPackets("x".repeat(8192)), 1);
  assert.deepStrictEqual(replyPackets("x".repeat(8193)), 2);
  runFourLetterWord("mntr", v);
  assert.deepStrictEqual(v.counted.sent > 3, true);
});
