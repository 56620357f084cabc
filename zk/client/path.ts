/**
 * Client-side path rules: the same validation Apache's client applies before sending
 * (so a bad path fails fast with the message zkCli users know), and chroot mapping.
 */

/** A path the server would reject, caught before sending. */
export class InvalidPathError extends TypeError {
  override name = "InvalidPathError";
  constructor(readonly path: string, readonly reason: string) {
    super(`Invalid path string "${path}" caused by ${reason}`);
  }
}

function isInvalidChar(c: number): boolean {
  return (c > 0x00 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) ||
    (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff);
}

function reasonFor(path: string, sequential: boolean): string | null {
  if (path.length === 0) return "Path length must be > 0";
  if (path[0] !== "/") return "Path must start with / character";
  if (path.length === 1) return null;
  if (path[path.length - 1] === "/" && !sequential) return "Path must not end with / character";
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const prev = path[i - 1];
    const endsSegment = i + 1 === path.length || path[i + 1] === "/";
    if (c === 0) return `null character not allowed @${i}`;
    if (path[i] === "/" && prev === "/") return `empty node name specified @${i}`;
    if (path[i] === "." && prev === "." && path[i - 2] === "/" && endsSegment) {
      return `relative paths not allowed @${i}`;
    }
    if (path[i] === "." && prev === "/" && endsSegment) return `relative paths not allowed @${i}`;
    if (isInvalidChar(c)) return `invalid character @${i}`;
  }
  return null;
}

/**
 * Throws InvalidPathError unless `path` is a valid znode path. A sequential create may end
 * in "/" (the server appends the counter).
 *
 * @example
 * ```ts
 * import { validatePath } from "./path.ts";
 * validatePath("/a/b"); // ok
 * ```
 */
export function validatePath(path: string, sequential = false): void {
  const reason = reasonFor(path, sequential);
  if (reason !== null) throw new InvalidPathError(path, reason);
}

/** The server path for a client path under `chroot`. */
export function prependChroot(chroot: string | null, path: string): string {
  if (chroot === null) return path;
  return path === "/" ? chroot : chroot + path;
}

/** The client path for a server path; paths outside the chroot are returned unchanged. */
export function stripChroot(chroot: string | null, path: string): string {
  if (chroot === null || !path.startsWith(chroot)) return path;
  if (path.length === chroot.length) return "/";
  return path[chroot.length] === "/" ? path.slice(chroot.length) : path;
}
