/** ACL checks and the auth schemes: world, auth, digest, ip, super (Apache's semantics). */
import { createHash } from "node:crypto";
import type { ACL, Id } from "../jute/records.ts";
import { Err, ZkError } from "../jute/errors.ts";

/** "user:password" → "user:base64(sha1(user:password))", as DigestAuthenticationProvider. */
export function digestOf(userPassword: string): string {
  const user = userPassword.substring(0, userPassword.indexOf(":"));
  const hash = createHash("sha1").update(userPassword, "utf8").digest("base64");
  return `${user}:${hash}`;
}

/** Does an authenticated id match an ACL id of the same scheme? */
function matches(scheme: string, authId: string, aclId: string): boolean {
  if (scheme === "ip") return ipMatches(authId, aclId);
  return authId === aclId;
}

function ipv4ToInt(s: string): number | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

/** ip scheme: "10.0.0.0/8" or an exact address. */
export function ipMatches(clientIp: string, aclId: string): boolean {
  const slash = aclId.indexOf("/");
  const base = slash < 0 ? aclId : aclId.substring(0, slash);
  const bits = slash < 0 ? 32 : Number(aclId.substring(slash + 1));
  const a = ipv4ToInt(clientIp.replace(/^::ffff:/, ""));
  const b = ipv4ToInt(base);
  if (a === null || b === null) return clientIp === aclId;
  if (!(bits >= 0 && bits <= 32)) return false;
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** Is this ACL id well formed for its scheme (DigestAuthenticationProvider.isValid etc.)? */
export function isValidId(id: Id): boolean {
  switch (id.scheme) {
    case "world":
      return id.id === "anyone";
    case "digest":
      return id.id.split(":").length === 2;
    case "ip": {
      const slash = id.id.indexOf("/");
      const base = slash < 0 ? id.id : id.id.substring(0, slash);
      if (slash >= 0) {
        const bits = Number(id.id.substring(slash + 1));
        if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
      }
      return ipv4ToInt(base) !== null;
    }
    case "super":
      return true;
    default:
      return false;
  }
}

/** Throws NOAUTH unless one of `authInfo` grants `perm` under `acl`. */
export function checkACL(acl: readonly ACL[] | null, perm: number, authInfo: readonly Id[]): void {
  if (acl === null || acl.length === 0) return;
  for (const a of authInfo) if (a.scheme === "super") return;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    const { scheme, id } = a.id;
    if (scheme === "world" && id === "anyone") return;
    for (const auth of authInfo) {
      if (auth.scheme === scheme && matches(scheme, auth.id, id)) return;
    }
  }
  throw new ZkError(Err.NOAUTH);
}

/**
 * Turns a requested ACL into the stored one (PrepRequestProcessor.fixupACL): "auth" entries expand to
 * every authenticated id of the caller, ids are validated; an empty or invalid list is INVALIDACL.
 */
export function fixupACL(path: string, acl: readonly ACL[] | null, authInfo: readonly Id[]): ACL[] {
  if (acl === null || acl.length === 0) throw new ZkError(Err.INVALIDACL, path);
  // Most creates carry the one open ACL; it needs no dedup or expansion.
  if (acl.length === 1 && acl[0].id.scheme === "world" && acl[0].id.id === "anyone") {
    return [acl[0]];
  }
  const out: ACL[] = [];
  const seen = new Set<string>();
  const push = (a: ACL) => {
    const key = `${a.perms}|${a.id.scheme}|${a.id.id}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(a);
    }
  };
  for (const a of acl) {
    if (a.id.scheme === "world" && a.id.id === "anyone") {
      push(a);
    } else if (a.id.scheme === "auth") {
      let added = false;
      for (const auth of authInfo) {
        // Only schemes that authenticate a user (digest, super, sasl) expand "auth"; ip does not.
        if (auth.scheme === "digest" || auth.scheme === "super" || auth.scheme === "sasl") {
          push({ perms: a.perms, id: { scheme: auth.scheme, id: auth.id } });
          added = true;
        }
      }
      if (!added) throw new ZkError(Err.INVALIDACL, path);
    } else {
      if (!isValidId(a.id)) throw new ZkError(Err.INVALIDACL, path);
      push(a);
    }
  }
  return out;
}

/**
 * Interned ACL lists, referenced from znodes by a long id as Apache's ReferenceCountedACLCache does
 * (so snapshots carry the same map). -1 is OPEN_ACL_UNSAFE.
 */
export class ACLCache {
  private byKey = new Map<string, number>();
  readonly byId: Map<number, ACL[]> = new Map();
  private refs = new Map<number, number>();
  private nextId = 1;

  static readonly OPEN = -1;

  private static key(acl: readonly ACL[]): string {
    let k = "";
    for (const a of acl) k += `${a.perms},${a.id.scheme},${a.id.id};`;
    return k;
  }

  /** The id for this list, adding one reference. */
  intern(acl: readonly ACL[]): number {
    if (
      acl.length === 1 && acl[0].perms === 31 && acl[0].id.scheme === "world" &&
      acl[0].id.id === "anyone"
    ) {
      return ACLCache.OPEN;
    }
    const k = ACLCache.key(acl);
    let id = this.byKey.get(k);
    if (id === undefined) {
      id = this.nextId++;
      this.byKey.set(k, id);
      this.byId.set(
        id,
        acl.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } })),
      );
      this.refs.set(id, 0);
    }
    this.refs.set(id, this.refs.get(id)! + 1);
    return id;
  }

  /** Registers a list read from a snapshot under its stored id. */
  restore(id: number, acl: ACL[]): void {
    this.byId.set(id, acl);
    this.byKey.set(ACLCache.key(acl), id);
    this.refs.set(id, this.refs.get(id) ?? 0);
    if (id >= this.nextId) this.nextId = id + 1;
  }

  addRef(id: number): void {
    if (id !== ACLCache.OPEN) this.refs.set(id, (this.refs.get(id) ?? 0) + 1);
  }

  release(id: number): void {
    if (id === ACLCache.OPEN) return;
    const n = (this.refs.get(id) ?? 1) - 1;
    if (n > 0) {
      this.refs.set(id, n);
      return;
    }
    const acl = this.byId.get(id);
    if (acl) this.byKey.delete(ACLCache.key(acl));
    this.byId.delete(id);
    this.refs.delete(id);
  }

  get(id: number): ACL[] {
    if (id === ACLCache.OPEN) return OPEN;
    const acl = this.byId.get(id);
    if (!acl) throw new Error(`ACL id ${id} missing from cache`);
    return acl;
  }
}

const OPEN: ACL[] = [{ perms: 31, id: { scheme: "world", id: "anyone" } }];
