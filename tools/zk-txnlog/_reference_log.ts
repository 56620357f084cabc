/**
 * Test data for zk-txnlog: log files as Apache writes them, and the txns behind Apache's reference
 * capture `reference/zookeeper/txnlogtoolkit.out` with that capture's text.
 *
 * @module
 */
import { JuteWriter } from "../../zk/jute/writer.ts";
import { OpCode } from "../../zk/jute/opcodes.ts";
import { OPEN_ACL_UNSAFE } from "../../zk/jute/records.ts";
import { Adler32 } from "../../zk/persist/checksum.ts";
import { marshalTxnEntry } from "../../zk/persist/txn_codec.ts";
import type { Txn, TxnEntry } from "../../zk/tree/txn.ts";

const enc = new TextEncoder();
const OPEN = [...OPEN_ACL_UNSAFE];
/** The session of the reference capture. */
export const SESSION = 0x100003f9ebc0000n;
/** 2026-11-24 23:18:20.919 UTC, the first txn of the reference capture. */
export const T0 = 0x1a20fda65f7;

/** A log file as Apache writes one: each entry with a TxnDigest, then preallocated zeros. */
export function logFile(
  entries: TxnEntry[],
  opts: { digest?: boolean; dbid?: bigint } = {},
): Uint8Array {
  const w = new JuteWriter(4096);
  w.int(0x5a4b4c47);
  w.int(2);
  w.bigLong(opts.dbid ?? 0n);
  const body = new JuteWriter();
  for (const e of entries) {
    body.reset();
    marshalTxnEntry(body, e);
    if (opts.digest ?? true) {
      body.int(2);
      body.long(0x51c6d660 + e.hdr.zxid);
    }
    const b = body.bytes();
    w.long(Adler32.of(b));
    w.int(b.length);
    w.raw(b);
    w.byte(0x42);
  }
  const out = new Uint8Array(w.pos + 4096);
  out.set(w.bytes());
  return out;
}

/** A plain create txn with an explicit parent cversion. */
export const create = (path: string, data: string, cv: number): Txn => ({
  type: OpCode.create,
  path,
  data: enc.encode(data),
  acl: OPEN,
  ephemeral: false,
  parentCVersion: cv,
});

/** The txns behind reference/zookeeper/txnlogtoolkit.out (the hard-quota session). */
export function referenceEntries(): TxnEntry[] {
  const limits = "count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=2";
  const txns: [number, Txn][] = [
    [0x0, { type: OpCode.createSession, timeOut: 30000 }],
    [0x1, create("/hq", "hq", 1)],
    [0x6, create("/zookeeper/quota/hq", "", 1)],
    [0x8, create("/zookeeper/quota/hq/zookeeper_limits", limits, 1)],
    [0x9, create("/zookeeper/quota/hq/zookeeper_stats", "count=0,bytes=0", 2)],
    [0xe, create("/hq/a", "1", 1)],
    [0xf, { type: OpCode.error, err: -125 }],
    [0x10, { type: OpCode.error, err: -125 }],
    [0x11, create("/sq", "sq", 2)],
    [0x16, create("/zookeeper/quota/sq", "", 2)],
    [
      0x18,
      create(
        "/zookeeper/quota/sq/zookeeper_limits",
        "count=1,bytes=-1=;byteHardLimit=-1;countHardLimit=-1",
        1,
      ),
    ],
    [0x19, create("/zookeeper/quota/sq/zookeeper_stats", "count=0,bytes=0", 2)],
    [0x1c, create("/sq/a", "1", 1)],
    [0x1d, create("/sq/b", "1", 2)],
    [0x2b, {
      type: OpCode.setData,
      path: "/zookeeper/quota/hq/zookeeper_limits",
      data: enc.encode("count=-1,bytes=-1=;byteHardLimit=4;countHardLimit=2"),
      version: 1,
    }],
    [0x2c, { type: OpCode.error, err: -125 }],
    [0x2d, { type: OpCode.closeSession, paths2Delete: [] }],
  ];
  return txns.map(([cxid, txn], i) => ({
    hdr: {
      clientId: SESSION,
      cxid,
      zxid: i + 1,
      time: T0 + i * 10 + (i >= 7 ? 100 : 0),
      type: txn.type,
    },
    txn,
  }));
}

/** reference/zookeeper/txnlogtoolkit.out without its log4j lines. */
export const REFERENCE_OUT = `ZooKeeper Transactional Log File with dbid 0 txnlog format version 2
11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0x0 zxid 0x1 createSession 30000
11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0x1 zxid 0x2 create /hq,hq,[31,s{'world,'anyone}
],false,1
11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0x6 zxid 0x3 create /zookeeper/quota/hq,,[31,s{'world,'anyone}
],false,1
11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0x8 zxid 0x4 create /zookeeper/quota/hq/zookeeper_limits,count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=2,[31,s{'world,'anyone}
],false,1
11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0x9 zxid 0x5 create /zookeeper/quota/hq/zookeeper_stats,count=0,bytes=0,[31,s{'world,'anyone}
],false,2
11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0xe zxid 0x6 create /hq/a,1,[31,s{'world,'anyone}
],false,1
11/24/26, 11:18:20 PM UTC session 0x100003f9ebc0000 cxid 0xf zxid 0x7 error -125
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x10 zxid 0x8 error -125
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x11 zxid 0x9 create /sq,sq,[31,s{'world,'anyone}
],false,2
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x16 zxid 0xa create /zookeeper/quota/sq,,[31,s{'world,'anyone}
],false,2
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x18 zxid 0xb create /zookeeper/quota/sq/zookeeper_limits,count=1,bytes=-1=;byteHardLimit=-1;countHardLimit=-1,[31,s{'world,'anyone}
],false,1
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x19 zxid 0xc create /zookeeper/quota/sq/zookeeper_stats,count=0,bytes=0,[31,s{'world,'anyone}
],false,2
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x1c zxid 0xd create /sq/a,1,[31,s{'world,'anyone}
],false,1
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x1d zxid 0xe create /sq/b,1,[31,s{'world,'anyone}
],false,2
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x2b zxid 0xf setData /zookeeper/quota/hq/zookeeper_limits,count=-1,bytes=-1=;byteHardLimit=4;countHardLimit=2,1
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x2c zxid 0x10 error -125
11/24/26, 11:18:21 PM UTC session 0x100003f9ebc0000 cxid 0x2d zxid 0x11 closeSession v{}
EOF reached after 17 txns.
`;
