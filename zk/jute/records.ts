/** The data records shared by requests, responses, txns and snapshots (org.apache.zookeeper.data). */
import type { JuteReader } from "./reader.ts";
import type { JuteWriter } from "./writer.ts";

export interface Id {
  scheme: string;
  id: string;
}

export interface ACL {
  perms: number;
  id: Id;
}

/** The client-visible Stat. ephemeralOwner is a session id, which needs all 64 bits. */
export interface Stat {
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: number;
}

export function writeStat(w: JuteWriter, s: Stat): void {
  w.long(s.czxid);
  w.long(s.mzxid);
  w.long(s.ctime);
  w.long(s.mtime);
  w.int(s.version);
  w.int(s.cversion);
  w.int(s.aversion);
  w.bigLong(s.ephemeralOwner);
  w.int(s.dataLength);
  w.int(s.numChildren);
  w.long(s.pzxid);
}

export function readStat(r: JuteReader): Stat {
  return {
    czxid: r.long(),
    mzxid: r.long(),
    ctime: r.long(),
    mtime: r.long(),
    version: r.int(),
    cversion: r.int(),
    aversion: r.int(),
    ephemeralOwner: r.bigLong(),
    dataLength: r.int(),
    numChildren: r.int(),
    pzxid: r.long(),
  };
}

export function writeId(w: JuteWriter, id: Id): void {
  w.string(id.scheme);
  w.string(id.id);
}

export function readId(r: JuteReader): Id {
  return { scheme: r.str(), id: r.str() };
}

export function writeACLs(w: JuteWriter, acls: readonly ACL[] | null): void {
  if (acls === null) return w.int(-1);
  w.int(acls.length);
  for (const a of acls) {
    w.int(a.perms);
    writeId(w, a.id);
  }
}

export function readACLs(r: JuteReader): ACL[] | null {
  const n = r.count(12);
  if (n === -1) return null;
  const out: ACL[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { perms: r.int(), id: readId(r) };
  return out;
}

export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([
  { perms: 31, id: { scheme: "world", id: "anyone" } },
]);
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([
  { perms: 1, id: { scheme: "world", id: "anyone" } },
]);
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([
  { perms: 31, id: { scheme: "auth", id: "" } },
]);
