import assert from "node:assert/strict";
import { OpCode } from "../../zk/jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../../zk/jute/records.ts";
import type { Txn, TxnEntry } from "../../zk/tree/txn.ts";
import { NULL_DATA } from "../../zk/tree/znode.ts";
import { apacheGate, runApache, runHerd } from "./_apache.ts";
import { create, logFile, REFERENCE_OUT, referenceEntries, SESSION, T0 } from "./_reference_log.ts";

const enc = new TextEncoder();
const OPEN = [...OPEN_ACL_UNSAFE];

const ALICE = [
  { perms: 31, id: { scheme: "digest", id: "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=" } },
  { perms: 1, id: { scheme: "ip", id: "10.0.0.0/8" } },
];

/** Every txn type a server logs, with awkward strings (commas, braces, %, newlines, UTF-8). */
function everyType(): TxnEntry[] {
  const txns: Txn[] = [
    { type: OpCode.createSession, timeOut: 4000 },
    { ...create("/a,b}%", "x,y}%\nz", 1), acl: ALICE } as Txn,
    { ...create("/é", "ünï", 2), type: OpCode.create2, ephemeral: true } as Txn,
    {
      type: OpCode.createContainer,
      path: "/c",
      data: enc.encode(""),
      acl: OPEN,
      parentCVersion: 3,
    },
    {
      type: OpCode.createTTL,
      path: "/t",
      data: enc.encode("t"),
      acl: ALICE,
      parentCVersion: 4,
      ttl: 86400000,
    },
    { type: OpCode.setData, path: "/é", data: new Uint8Array([0xff, 0x41, 0xc3]), version: 7 },
    { type: OpCode.setACL, path: "/a,b}%", acl: ALICE, version: 2 },
    { ...create("/null", "", 6), data: NULL_DATA } as Txn,
    { type: OpCode.setData, path: "/null", data: NULL_DATA, version: 1 },
    { type: OpCode.delete, path: "/t" },
    { type: OpCode.deleteContainer, path: "/c" },
    { type: OpCode.error, err: -110 },
    {
      type: OpCode.multi,
      txns: [
        create("/m", "one", 5),
        { type: OpCode.setData, path: "/m", data: enc.encode("two"), version: 1 },
        { type: OpCode.check, path: "/m", version: 1 },
        { type: OpCode.setACL, path: "/m", acl: ALICE, version: 1 },
        { type: OpCode.delete, path: "/m" },
      ],
    },
    {
      type: OpCode.multi,
      txns: [{ type: OpCode.error, err: 0 }, { type: OpCode.error, err: -101 }, {
        type: OpCode.error,
        err: -2,
      }],
    },
    { type: OpCode.closeSession, paths2Delete: ["/é", "/x,y"] },
  ];
  return txns.map((txn, i) => ({
    hdr: {
      clientId: i === 2 ? -0x7fffffffffffff00n : SESSION,
      cxid: i === 3 ? -2 : i * 3,
      zxid: 0x500000001 + i,
      time: T0 + i * 37_000_000, // crosses AM/PM and days
      type: txn.type,
    },
    txn,
  }));
}

async function withFile(bytes: Uint8Array, body: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "herd-txnlog-" });
  try {
    const path = `${dir}/log.1`;
    await Deno.writeFile(path, bytes);
    await body(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("zk-txnlog prints Apache's reference capture byte for byte", async () => {
  await withFile(logFile(referenceEntries()), async (path) => {
    const r = await runHerd("zk-txnlog", [path]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, REFERENCE_OUT);
  });
});

Deno.test("zk-txnlog --help, a missing file, a file that is not a log", async () => {
  const help = await runHerd("zk-txnlog", ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: zk-txnlog \[-dhrvc\] <txn_log_file_name> \(-z <zxid>\)/);
  const missing = await runHerd("zk-txnlog", ["/nonexistent/log.1"]);
  assert.deepEqual([missing.code, missing.stderr], [
    1,
    "File doesn't exist or not readable: /nonexistent/log.1\n",
  ]);
  await withFile(new Uint8Array(64), async (path) => {
    const r = await runHerd("zk-txnlog", [path]);
    assert.deepEqual([r.code, r.stderr], [2, "Invalid magic number for log.1\n"]);
  });
});

const gate = apacheGate("zk-txnlog against TxnLogToolkit");
const compare = { ignore: gate.ignore };
const TOOLKIT = "org.apache.zookeeper.server.persistence.TxnLogToolkit";
/** Apache's tool and ours, each as (args, stdin) → run. */
const BOTH = [
  (args: string[], stdin?: string) => runApache(TOOLKIT, args, stdin),
  (args: string[], stdin?: string) => runHerd("zk-txnlog", args, stdin),
];

/** Runs both tools with the same arguments (the file path last) and compares everything. */
async function sameAsApache(bytes: Uint8Array, flags: string[] = []): Promise<void> {
  await withFile(bytes, async (path) => {
    const apache = await runApache(TOOLKIT, [...flags, path]);
    const herd = await runHerd("zk-txnlog", [...flags, path]);
    assert.equal(herd.stdout, apache.stdout);
    assert.equal(herd.code, apache.code);
    if (apache.code === 0) assert.equal(herd.stderr, apache.stderr);
    else assert.ok(herd.stderr.includes(apache.stderr.split("\n")[0]), herd.stderr);
  });
}

Deno.test({
  name: "zk-txnlog = TxnLogToolkit: the reference session, with and without digests",
  ...compare,
}, async () => {
  gate.check();
  await sameAsApache(logFile(referenceEntries()));
  await sameAsApache(logFile(referenceEntries(), { digest: false, dbid: 7n }));
});

Deno.test({
  name: "zk-txnlog = TxnLogToolkit: every txn type, odd strings, negative ids",
  ...compare,
}, async () => {
  gate.check();
  await sameAsApache(logFile(everyType()));
});

Deno.test({
  name: "zk-txnlog = TxnLogToolkit: CRC errors, a partial last txn, a cut file",
  ...compare,
}, async () => {
  gate.check();
  const good = logFile(everyType());
  const crc = good.slice();
  crc[16 + 12 + 10] ^= 1; // inside the first txn's header: decodes, but the checksum is wrong
  await sameAsApache(crc);
  const end = good.length - 4096;
  const partial = good.slice();
  partial[end - 1] = 0x41; // the last entry's 'B'
  await sameAsApache(partial);
  await sameAsApache(good.slice(0, end - 7)); // EOF inside the last entry
  await sameAsApache(good.slice(0, end)); // no preallocation at all
});

Deno.test({ name: "zk-txnlog = TxnLogToolkit: chop at a zxid (-c -z)", ...compare }, async () => {
  gate.check();
  for (const zxid of ["0x500000004", "21474836485", "0x1"]) {
    const results: { out: string; file: Uint8Array }[] = [];
    for (const run of BOTH) {
      await withFile(logFile(everyType()), async (path) => {
        const r = await run(["-c", "-z", zxid, path]);
        const dir = path.substring(0, path.lastIndexOf("/"));
        const name = [...Deno.readDirSync(dir)].map((e) => e.name).find((n) =>
          n.includes(".chopped")
        )!;
        results.push({
          out: `${r.code}\n${r.stdout}\n${name}`,
          file: await Deno.readFile(`${dir}/${name}`),
        });
      });
    }
    assert.equal(results[1].out, results[0].out, `chop at ${zxid}`);
    assert.deepEqual(results[1].file, results[0].file, `chopped file at ${zxid}`);
  }
});

Deno.test({
  name: "zk-txnlog = TxnLogToolkit: recovery mode (-r -y, -r -v -y, answers on stdin)",
  ...compare,
}, async () => {
  gate.check();
  const bad = logFile(everyType());
  bad[16 + 12 + 10] ^= 1;
  for (
    const [flags, stdin] of [[["-r", "-y"], ""], [["-r", "-v", "-y"], ""], [["-r"], "n\n"], [
      ["-r"],
      "y\n",
    ]] as const
  ) {
    const results: { out: string; file: Uint8Array }[] = [];
    for (const run of BOTH) {
      await withFile(bad, async (path) => {
        const r = await run([...flags, path], stdin);
        results.push({
          out: `${r.code}\n${r.stdout.replaceAll(path, "<log>")}`,
          file: await Deno.readFile(`${path}.fixed`),
        });
      });
    }
    assert.equal(results[1].out, results[0].out, flags.join(" "));
    assert.deepEqual(results[1].file, results[0].file, `${flags.join(" ")}: .fixed file`);
  }
});
