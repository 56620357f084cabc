import assert from "node:assert/strict";
import { JuteWriter } from "../jute/writer.ts";
import { JuteError, JuteReader } from "../jute/reader.ts";
import { OpCode } from "../jute/opcodes.ts";
import type { Txn, TxnEntry } from "../tree/txn.ts";
import { NULL_DATA } from "../tree/znode.ts";
import { marshalTxnEntry, readTxn, unmarshalTxnEntry, writeTxn } from "./txn_codec.ts";
import { ALICE, create, enc, entry, OPEN, S2 } from "./_fixtures_test.ts";

function roundTrip(e: TxnEntry): TxnEntry {
  const w = new JuteWriter(16);
  marshalTxnEntry(w, e);
  return unmarshalTxnEntry(w.bytes());
}

const EVERY_TYPE: Txn[] = [
  create("/a", "hello", { acl: ALICE }),
  create("/a/b", "", { type: OpCode.create2, ephemeral: true, cv: 7 }),
  {
    type: OpCode.createContainer,
    path: "/c",
    data: enc.encode("box"),
    acl: OPEN,
    parentCVersion: 3,
  },
  {
    type: OpCode.createTTL,
    path: "/t",
    data: enc.encode("ttl"),
    acl: ALICE,
    parentCVersion: 4,
    ttl: 0xffffffffff,
  },
  { type: OpCode.delete, path: "/a/b" },
  { type: OpCode.deleteContainer, path: "/c" },
  { type: OpCode.setData, path: "/a", data: new Uint8Array([0, 255, 1]), version: 2 },
  { type: OpCode.setACL, path: "/a", acl: ALICE, version: 5 },
  { type: OpCode.check, path: "/a", version: 9 },
  { type: OpCode.createSession, timeOut: 30000 },
  { type: OpCode.closeSession, paths2Delete: ["/e1", "/e2"] },
  { type: OpCode.error, err: -110 },
  {
    type: OpCode.multi,
    txns: [
      create("/m", "x"),
      {
        type: OpCode.createContainer,
        path: "/m/c",
        data: enc.encode(""),
        acl: OPEN,
        parentCVersion: -1,
      },
      {
        type: OpCode.createTTL,
        path: "/m/t",
        data: enc.encode("t"),
        acl: OPEN,
        parentCVersion: 1,
        ttl: 1,
      },
      { type: OpCode.setData, path: "/m", data: enc.encode("y"), version: 1 },
      { type: OpCode.setACL, path: "/m", acl: ALICE, version: 1 },
      { type: OpCode.check, path: "/m", version: 1 },
      { type: OpCode.delete, path: "/m/t" },
      { type: OpCode.error, err: 0 },
    ],
  },
];

Deno.test("txn codec: every txn type survives marshal → unmarshal with its header", () => {
  for (const [i, txn] of EVERY_TYPE.entries()) {
    const e = entry(0x100000000 + i, txn, S2, 0x7fffffff - i);
    assert.deepEqual(roundTrip(e), e, `txn type ${txn.type}`);
  }
});

Deno.test("txn codec: TxnHeader layout is clientId, cxid, zxid, time, type (big-endian)", () => {
  const w = new JuteWriter();
  marshalTxnEntry(w, {
    hdr: { clientId: -2n, cxid: 1, zxid: 0x100000002, time: 3, type: OpCode.error },
    txn: { type: OpCode.error, err: -125 },
  });
  assert.deepEqual(
    [...w.bytes()],
    [
      ...[255, 255, 255, 255, 255, 255, 255, 254], // clientId -2
      ...[0, 0, 0, 1], // cxid
      ...[0, 0, 0, 1, 0, 0, 0, 2], // zxid
      ...[0, 0, 0, 0, 0, 0, 0, 3], // time
      ...[255, 255, 255, 255], // type -1 (error)
      ...[255, 255, 255, 131], // err -125
    ],
  );
});

Deno.test("txn codec: a multi carries each sub-txn as (type, length-prefixed body)", () => {
  const sub: Txn = { type: OpCode.delete, path: "/x" };
  const w = new JuteWriter();
  writeTxn(w, { type: OpCode.multi, txns: [sub, { type: OpCode.error, err: -101 }] });
  assert.deepEqual([...w.bytes()], [
    ...[0, 0, 0, 2], // count
    ...[0, 0, 0, 2], // type delete
    ...[0, 0, 0, 6, 0, 0, 0, 2, 47, 120], // buffer: string "/x"
    ...[255, 255, 255, 255], // type error
    ...[0, 0, 0, 4, 255, 255, 255, 155], // buffer: err -101
  ]);
});

Deno.test("txn codec: closeSession without a body (older logs) reads as no paths", () => {
  const t = readTxn(OpCode.closeSession, new JuteReader(new Uint8Array(0)));
  assert.deepEqual(t, { type: OpCode.closeSession, paths2Delete: [] });
});

Deno.test("txn codec: null data stays null (NULL_DATA, length -1); a null ACL reads as empty", () => {
  const w = new JuteWriter();
  w.string("/n");
  w.buffer(null);
  w.int(-1); // null ACL vector
  w.bool(false);
  w.int(1);
  const t = readTxn(OpCode.create, new JuteReader(w.bytes()));
  assert.ok(t.type === OpCode.create && t.data === NULL_DATA, "null data is NULL_DATA");
  assert.deepEqual(t.acl, []);
  const back = new JuteWriter();
  writeTxn(back, { ...t, acl: OPEN });
  assert.deepEqual([...back.bytes().subarray(6, 10)], [255, 255, 255, 255]);
  // An empty buffer is not null.
  const empty = create("/e", "");
  const out = new JuteWriter();
  writeTxn(out, empty);
  assert.deepEqual([...out.bytes().subarray(6, 10)], [0, 0, 0, 0]);
});

Deno.test("txn codec: a trailing TxnDigest (Apache 3.6+) is read with the entry", () => {
  const e = entry(5, { type: OpCode.setData, path: "/a", data: enc.encode("d"), version: 1 });
  const w = new JuteWriter();
  marshalTxnEntry(w, e);
  assert.deepEqual(unmarshalTxnEntry(w.bytes()), e, "no digest: none read");
  w.int(2); // digest version
  w.bigLong(-0x7ffffffffffffff0n); // tree digest: a Java long, sign and all
  assert.deepEqual(unmarshalTxnEntry(w.bytes()), {
    ...e,
    digest: { version: 2, treeDigest: -0x7ffffffffffffff0n },
  });
});

Deno.test("txn codec: unknown types and truncated bodies are JuteErrors", () => {
  assert.throws(() => readTxn(16, new JuteReader(new Uint8Array(8))), JuteError);
  const w = new JuteWriter();
  marshalTxnEntry(w, entry(1, create("/abc", "data")));
  const bytes = w.bytes();
  for (const cut of [10, 36, bytes.length - 1]) {
    assert.throws(() => unmarshalTxnEntry(bytes.subarray(0, cut)), JuteError, `cut at ${cut}`);
  }
});

Deno.test("txn codec: a create2 inside a multi is logged as a create, as Apache logs it", () => {
  const sub = create("/m2", "x", { type: OpCode.create2, cv: 3 });
  const e = entry(9, { type: OpCode.multi, txns: [sub] });
  const w = new JuteWriter();
  marshalTxnEntry(w, e);
  const bytes = w.bytes();
  assert.equal(new DataView(bytes.buffer).getInt32(32 + 4), OpCode.create);
  assert.deepEqual(unmarshalTxnEntry(bytes).txn, {
    type: OpCode.multi,
    txns: [{ ...sub, type: OpCode.create }],
  });
});
