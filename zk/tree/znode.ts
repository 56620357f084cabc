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

export class Znode {
  children: Set<string> | null = null;
  constructor(
    public data: Uint8Array,
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
  ) {}

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
      dataLength: this.data.length,
      numChildren: n,
      pzxid: this.pzxid,
    };
  }
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
