/**
 * Every four-letter word against a real herd ZkServer over TCP, compared with Apache 3.8.0's
 * captures (variable fields normalised) and with what Apache printed for the same scenario.
 */
import assert from "node:assert/strict";
import { withServer as withTestServer } from "../server/_test_server.ts";
import { fourLetter, RawSession } from "./_raw_session.ts";
import { referenceSection } from "./_reference.ts";
import { javaHex } from "./_java_format.ts";

function withServer(
  whitelist: Set<string> | "*",
  fn: (port: number) => Promise<void>,
): Promise<void> {
  return withTestServer((server) => fn(server.port), {
    tempDataDir: true,
    settings: { fourLetterWhitelist: whitelist },
  });
}

const DATE = /\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \S+ \d{4}/g;

/** Reduces a reply to its shape: versions, dates, hex ids and numbers replaced. */
function shape(word: string, text: string): string {
  let lines = text.split("\n");
  if (word === "envi" || word === "conf") lines = lines.map((l) => l.replace(/=.*/, "="));
  if (word === "mntr") {
    lines = lines.filter((l) => !/quota|per_namespace/.test(l)).map((l) => l.split("\t")[0]);
  }
  // Apache also lists emptied expiry buckets; herd lists only buckets with members.
  if (word === "dump") lines = lines.filter((l) => !l.startsWith("0 expire at "));
  return lines.join("\n")
    .replace(/^(Zookeeper version: |zookeeper\.version=).*$/gm, "$1V")
    .replace(DATE, "DATE")
    .replace(/0x[0-9a-f]+/g, "0xH")
    .replace(/\d+/g, "N");
}

const WORDS = [
  "ruok",
  "stat",
  "srvr",
  "conf",
  "envi",
  "cons",
  "dump",
  "wchs",
  "wchc",
  "wchp",
  "mntr",
  "isro",
  "dirs",
  "crst",
  "srst",
];

Deno.test("each word over TCP has the shape of Apache's 4lw.out", async () => {
  await withServer("*", async (port) => {
    for (const word of WORDS) {
      const got = await fourLetter(port, word);
      // The capture appends a newline after each reply.
      const want = (await referenceSection("4lw.out", word)).replace(/\n$/, "");
      assert.equal(shape(word, got), shape(word, want), `${word}:\n${got}`);
    }
  });
});

Deno.test("the whitelist rejects words as Apache does; srvr always runs", async () => {
  await withServer(new Set(["stat", "ruok", "conf", "isro"]), async (port) => {
    for (const word of ["dump", "envi"]) {
      assert.equal(
        (await fourLetter(port, word)) + "\n",
        await referenceSection("4lw-whitelist.out", word),
      );
    }
    for (const word of ["stat", "ruok", "conf", "isro"]) {
      const want = (await referenceSection("4lw-whitelist.out", word)).replace(/\n$/, "");
      assert.equal(shape(word, await fourLetter(port, word)), shape(word, want));
    }
    assert.match(await fourLetter(port, "srvr"), /^Zookeeper version: /);
    assert.equal(
      await fourLetter(port, "mntr"),
      "mntr is not executed because it is not in the whitelist.\n",
    );
  });
});

Deno.test("each word counts as a packet received, its reply as a packet sent", async () => {
  await withServer("*", async (port) => {
    await fourLetter(port, "ruok");
    const count = (text: string, what: string) =>
      Number(text.match(new RegExp(`^${what}: (\\d+)$`, "m"))![1]);
    const stat = await fourLetter(port, "stat");
    const srvr = await fourLetter(port, "srvr");
    assert.equal(count(stat, "Received"), 2);
    assert.equal(count(stat, "Sent"), 1);
    assert.equal(count(srvr, "Received"), 3);
    assert.equal(count(srvr, "Sent"), 2);
    assert.match(stat, /^ \/127\.0\.0\.1:\d+\[0\]\(queued=0,recved=1,sent=0\)$/m);
  });
});

Deno.test("sessions, ephemerals and watches print as Apache printed the same scenario", async () => {
  await withServer("*", async (port) => {
    const a = await RawSession.open(port, 10000);
    const b = await RawSession.open(port, 30000);
    try {
      await a.create("/p", "x");
      await a.create("/eph", "e", true);
      await a.create("/eph2", "e", true);
      await a.create("/q");
      await a.create("/q/a", "abc");
      await a.create("/zookeeper/quota/q");
      await a.create("/zookeeper/quota/q/zookeeper_limits", "count=5,bytes=-1");
      await a.create("/zookeeper/quota/q/zookeeper_stats", "count=0,bytes=0");
      await a.watch("exists", "/p");
      await a.watch("getData", "/eph");
      await a.watch("getChildren", "/q");
      await a.watch("exists", "/nonexist");
      await b.watch("getData", "/p");
      await b.addWatch("/q", 1);
      await b.addWatch("/p", 0);
      const [sa, sb] = [a.sessionId, b.sessionId].map((id) => `0x${javaHex(id)}`);

      const cons = await fourLetter(port, "cons");
      const long = new RegExp(
        `^ ${a.remote}\\[1\\]\\(queued=0,recved=\\d+,sent=\\d+,sid=${sa},lop=(?:ADDW|EXIS|GETD|GETC),` +
          `est=\\d+,to=10000,lcxid=0x[0-9a-f]+,lzxid=0xa,lresp=\\d+,llat=\\d+,minlat=\\d+,` +
          `avglat=\\d+,maxlat=\\d+\\)$`,
        "m",
      );
      assert.match(cons, long);
      assert.match(cons, /^ \/127\.0\.0\.1:\d+\[0\]\(queued=0,recved=1,sent=0\)$/m);

      assert.equal(
        await fourLetter(port, "wchs"),
        "2 connections watching 4 paths\nTotal watches:5\n",
      );
      assert.equal(
        await fourLetter(port, "wchp"),
        `/p\n\t${sa}\n\t${sb}\n/q\n\t${sb}\n/eph\n\t${sa}\n/nonexist\n\t${sa}\n\n`,
      );
      assert.equal(
        await fourLetter(port, "wchc"),
        `${sa}\n\t/p\n\t/eph\n\t/nonexist\n${sb}\n\t/p\n\t/q\n\n`,
      );

      const dump = await fourLetter(port, "dump");
      assert.match(dump, /^Session Sets \(\d\)\/\(2\):$/m);
      assert.match(dump, new RegExp(`^\t${sa}$`, "m"));
      assert.match(
        dump,
        new RegExp(`^Sessions with Ephemerals \\(1\\):\n${sa}:\n\t/eph2\n\t/eph\n`, "m"),
      );
      assert.match(dump, new RegExp(`^\tip: ${a.remote} sessionId: ${sa}$`, "m"));
      assert.match(dump, /^\tip: \/127\.0\.0\.1:\d+ sessionId: 0x0$/m);

      const mntr = new Map(
        (await fourLetter(port, "mntr")).trim().split("\n").map((l) =>
          l.split("\t") as [string, string]
        ),
      );
      assert.equal(mntr.get("zk_watch_count"), "8");
      assert.equal(mntr.get("zk_ephemerals_count"), "2");
      assert.equal(mntr.get("zk_global_sessions"), "2");
      assert.equal(mntr.get("zk_znode_count"), "13");
      assert.equal(mntr.get("zk_approximate_data_size"), "185");
      assert.equal(mntr.get("zk_q_quota_count_limit_per_namespace"), "5");
      assert.equal(mntr.get("zk_q_quota_count_usage_per_namespace"), "2");
      assert.equal(mntr.get("zk_q_quota_bytes_usage_per_namespace"), "3");
      assert.equal(mntr.get("zk_q_quota_bytes_limit_per_namespace"), "-1");

      assert.equal(await fourLetter(port, "crst"), "Connection stats reset.\n");
      assert.match(
        await fourLetter(port, "cons"),
        new RegExp(
          `^ ${a.remote}\\[1\\]\\(queued=0,recved=0,sent=0,sid=${sa},lop=NA,.*,to=10000,lzxid=0xffffffffffffffff,`,
          "m",
        ),
      );
    } finally {
      a.close();
      b.close();
    }
  });
});
