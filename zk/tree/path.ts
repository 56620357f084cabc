/** Znode path rules, as Apache's PathUtils enforces them. */

/** Returns why `path` is not a valid znode path, or null when it is. */
export function invalidPathReason(path: string, sequential = false): string | null {
  if (sequential) path = path + "1";
  if (path.length === 0) return "Path length must be > 0";
  if (path.charCodeAt(0) !== 47) return "Path must start with / character";
  if (path.length === 1) return null;
  if (path.charCodeAt(path.length - 1) === 47) return "Path must not end with / character";
  let last = 47;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 47 && last === 47) return `empty node name specified @${i}`;
    if (c === 46 && last === 46) {
      const prev = path.charCodeAt(i - 2);
      const next = i + 1 === path.length ? 47 : path.charCodeAt(i + 1);
      if (prev === 47 && next === 47) return `relative paths not allowed @${i}`;
    } else if (c === 46) {
      const next = i + 1 === path.length ? 47 : path.charCodeAt(i + 1);
      if (last === 47 && next === 47) return `relative paths not allowed @${i}`;
    } else if (
      (c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)
    ) {
      return `invalid character @${i}`;
    }
    last = c;
  }
  return null;
}

/** "/a/b" → "/a"; "/a" → "/". */
export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.substring(0, i);
}

/** "/a/b" → "b". */
export function nameOf(path: string): string {
  return path.substring(path.lastIndexOf("/") + 1);
}

/** Joins a parent and a child name. */
export function childPath(parent: string, name: string): string {
  return parent === "/" ? "/" + name : parent + "/" + name;
}
