/** A znode as the tree stores it: StatPersisted fields, data, an ACL cache id and child names. */
import type { Stat } from "../jute/records.ts";

/** ephemeralOwner of a container node (EphemeralType.CONTAINER). */
export const CONTAINER_OWNER = -0x8000000000000000n;
const EXTENDED_MASK = -0x100000000000000n; // 0xff00000000000000 as a signed long
const TTL_MASK = 0xffffffffffn;

/** ephemeralOwner of a TTL node: 0xff, extended type 0x0000, then the ttl in ms. */
export function ttlOwner(ttl: number): bigint {
  return EXTENDED_MASK | BigInt(ttl);
}

export function isTTLOwner(owner: bigint): boolean {
  return owner !== CONTAINER_OWNER && (owner & EXTENDED_MASK) === EXTENDED_MASK;
}

export function ttlOfOwner(owner: bigint): number {
  return Number(owner & TTL_MASK);
}

/** A session-owned (NORMAL) ephemeral. */
export function isSessionOwner(owner: bigint): boolean {
  return owner !== 0n && owner !== CONTAINER_OWNER && !isTTLOwner(owner);
}

/**
 * The data of a node created or set with a null buffer. Apache keeps null apart from an empty
 * array (getData answers null, snapshots and logs write length -1), so herd keeps this one instance
 * apart from every empty array read off the wire.
 */
export const NULL_DATA = new Uint8Array(0);

/** The buffer to put on the wire or disk: null for NULL_DATA. */
export function wireData(d: Uint8Array): Uint8Array | null {
  return d === NULL_DATA ? null : d;
}

/** Data up to this size is kept as a one-byte string: a fifth of a Uint8Array's overhead. */
const SMALL_DATA = 4096;

/** Bytes → a string with one char per byte (code points 0..255). */
function toBinary(b: Uint8Array): string {
  if (b.length <= 8192) return String.fromCharCode.apply(null, b as unknown as number[]);
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

function fromBinary(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** How a znode holds its data: null, a one-byte string for small data, else the bytes. */
export type StoredData = string | Uint8Array | null;

function store(d: Uint8Array): StoredData {
  if (d === NULL_DATA) return null;
  return d.length <= SMALL_DATA ? toBinary(d) : d;
}

export class Znode {
  children: Set<string> | null = null;
  /** The data as stored (see StoredData); `data` converts. */
  raw: StoredData;
  /**
   * This node's share of the tree's digest as last counted, an int32 (a small integer to V8, so
   * no boxed number per node). DataTree keeps it current; taking a node's old digest out before a
   * change then costs nothing (Apache caches it the same way: DataNode.digestCached).
   */
  digestCache = 0;

  constructor(
    data: Uint8Array,
    public acl: number,
    public czxid: number,
    public mzxid: number,
    public ctime: number,
    public mtime: number,
    public version: number,
    /** Stored as Apache does: the count of child creations, not of changes. */
    public cversion: number,
    public aversion: number,
    public ephemeralOwner: bigint,
    public pzxid: number,
  ) {
    this.raw = store(data);
  }

  /** The data as bytes (NULL_DATA for null); allocates for small data, so hot paths use `raw`. */
  get data(): Uint8Array {
    const r = this.raw;
    return r === null ? NULL_DATA : typeof r === "string" ? fromBinary(r) : r;
  }

  set data(d: Uint8Array) {
    this.raw = store(d);
  }

  get dataLength(): number {
    return this.raw === null ? 0 : this.raw.length;
  }

  get numChildren(): number {
    return this.children === null ? 0 : this.children.size;
  }

  addChild(name: string): void {
    if (this.children === null) this.children = new Set();
    this.children.add(name);
  }

  removeChild(name: string): void {
    this.children?.delete(name);
  }

  /** The Stat a client sees (DataNode.copyStat): cversion counts changes, extended owners hidden. */
  stat(): Stat {
    const n = this.numChildren;
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      ctime: this.ctime,
      mtime: this.mtime,
      version: this.version,
      cversion: this.cversion * 2 - n,
      aversion: this.aversion,
      ephemeralOwner: isSessionOwner(this.ephemeralOwner) ? this.ephemeralOwner : 0n,
      dataLength: this.dataLength,
      numChildren: n,
      pzxid: this.pzxid,
    };
  }
}
