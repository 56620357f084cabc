/** Helpers for building ACLs, chiefly the digest scheme. */
import { createHash } from "node:crypto";
import type { ACL } from "../jute/mod.ts";

/**
 * The digest id for "user:password", as the server stores it: "user:" + base64(sha1(...)).
 *
 * @example
 * ```ts
 * import { digestId } from "./acl.ts";
 * digestId("bob", "secret"); // "bob:<base64 sha1 of bob:secret>"
 * ```
 */
export function digestId(user: string, password: string): string {
  const hash = createHash("sha1").update(`${user}:${password}`).digest("base64");
  return `${user}:${hash}`;
}

/**
 * An ACL entry granting `perms` (a Perms bitmask) to a digest user.
 *
 * @example
 * ```ts
 * import { digestACL } from "./acl.ts";
 * const acl = [digestACL(31, "bob", "secret")];
 * ```
 */
export function digestACL(perms: number, user: string, password: string): ACL {
  return { perms, id: { scheme: "digest", id: digestId(user, password) } };
}
