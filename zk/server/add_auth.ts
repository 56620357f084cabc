/**
 * addAuth as Apache's authentication providers handle it: `digest user:password` adds the digest
 * id (and `super` when it is the configured superDigest), `ip` is accepted since the connection
 * already carries its ip id, and any other scheme fails.
 */
import type { Id } from "../jute/records.ts";
import { digestOf } from "../tree/acl.ts";

/** Adds what `scheme`/`auth` proves to `authInfo`; false when authentication fails. */
export function addAuth(
  authInfo: Id[],
  scheme: string,
  auth: Uint8Array | null,
  superDigest: string | undefined,
): boolean {
  const text = auth === null ? "" : new TextDecoder().decode(auth);
  if (scheme === "digest" && text.includes(":")) {
    const id = digestOf(text);
    if (!authInfo.some((a) => a.scheme === "digest" && a.id === id)) {
      authInfo.push({ scheme: "digest", id });
    }
    if (superDigest && id === superDigest && !authInfo.some((a) => a.scheme === "super")) {
      authInfo.push({ scheme: "super", id: "" });
    }
    return true;
  }
  return scheme === "ip";
}
