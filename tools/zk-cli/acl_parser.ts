/**
 * zkCli's ACL syntax (`scheme:id:perms[,scheme:id:perms…]`), parsed the way Apache's AclParser
 * does: an entry without two colons is reported and skipped, an unknown permission letter is
 * reported and ignored. The id is everything between the first and the last colon, so
 * `ip:127.0.0.1:r` and `digest:user:hash=:cdrwa` work.
 *
 * @module
 */
import type { ACL } from "../../zk/client/mod.ts";
import { Perms } from "../../zk/client/mod.ts";
import { javaSplit } from "./java.ts";

const PERM_LETTERS: Record<string, number> = {
  r: Perms.READ,
  w: Perms.WRITE,
  c: Perms.CREATE,
  d: Perms.DELETE,
  a: Perms.ADMIN,
};

/**
 * Parses an ACL list; complaints go to `err` one line each, as AclParser prints them.
 *
 * @example
 * ```ts
 * parseAcl("world:anyone:r,ip:10.0.0.1:cdrwa", console.error);
 * // [{ perms: 1, id: { scheme: "world", id: "anyone" } }, { perms: 31, id: … }]
 * ```
 */
export function parseAcl(text: string, err: (line: string) => void): ACL[] {
  const acl: ACL[] = [];
  for (const entry of javaSplit(text, ",")) {
    const first = entry.indexOf(":");
    const last = entry.lastIndexOf(":");
    if (first === -1 || first === last) {
      err(`${entry} does not have the form scheme:id:perm`);
      continue;
    }
    let perms = 0;
    for (const c of entry.slice(last + 1)) {
      if (c in PERM_LETTERS) perms |= PERM_LETTERS[c];
      else err(`Unknown perm type: ${c}`);
    }
    acl.push({ perms, id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) } });
  }
  return acl;
}
