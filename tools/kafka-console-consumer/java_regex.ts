/**
 * `--whitelist` takes a java.util.regex.Pattern, matched against whole topic names
 * (`matcher(topic).matches()`). herd reads the Java syntax, refuses what Java refuses with
 * Java's PatternSyntaxException message (measured with JDK 17: `Dangling meta character '*' near
 * index 0`, the pattern, a caret under the index), and translates the rest to a JavaScript
 * RegExp. Topic names are ASCII letters, digits, `.`, `_` and `-`, so where the two engines differ
 * (line terminators, Unicode classes) no topic can tell.
 *
 * Not read (refused with a clear error rather than matched differently): character-class
 * union and intersection (`[a[b]]`, `&&`), inline flags other than at the start, `\G`, `\X`,
 * `\R`, `\N{…}`, and `\p{…}` beyond the POSIX and ASCII classes.
 *
 * @module
 */

/** java.util.regex.PatternSyntaxException, with Java's getMessage(). */
export class JavaPatternSyntaxError extends Error {
  override name = "java.util.regex.PatternSyntaxException";
  constructor(description: string, pattern: string, index: number) {
    const caret = index >= 0 && index < pattern.length ? `\n${" ".repeat(index)}^` : "";
    super(`${description} near index ${index}\n${pattern}${caret}`);
  }
}

/** A pattern herd cannot read although Java may (see the module comment). */
export class UnsupportedPatternError extends Error {
  override name = "UnsupportedPatternError";
}

/** Java's POSIX character classes (US-ASCII only), as JavaScript class contents. */
const POSIX: Record<string, string> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: " \\t\\n\\x0B\\f\\r",
};

/** Escapes Java and JavaScript read alike. */
const SAME_ESCAPES = new Set("tnrfdDsSwWbB0123456789xuc");

/** Java's escapes as JavaScript: [inside a class, outside one]. */
const JAVA_ONLY: Record<string, string> = {
  a: "\\x07",
  e: "\\x1B",
  A: "^",
  z: "$",
  Z: "$",
  h: " \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000",
};

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&");
}

/**
 * Compiles a Java regex for whole-name matching.
 *
 * @throws JavaPatternSyntaxError where Java's Pattern.compile would throw.
 * @throws UnsupportedPatternError for Java syntax herd does not translate.
 * @example
 * ```ts
 * compileJavaPattern("orders-.*").test("orders-eu"); // true
 * compileJavaPattern("orders").test("orders-eu"); // false: the whole name must match
 * ```
 */
export function compileJavaPattern(pattern: string): RegExp {
  const p = pattern;
  const fail = (what: string, index: number): never => {
    throw new JavaPatternSyntaxError(what, p, index);
  };
  const unsupported = (what: string): never => {
    throw new UnsupportedPatternError(`herd cannot read ${what} in the pattern '${p}'`);
  };
  let flags = "";
  let i = 0;
  // Inline flags at the very start: (?i), (?s), (?m), (?is) …
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(p);
  if (lead) {
    for (const [k, f] of lead[1].split("").entries()) {
      if (!"ismduxU".includes(f)) fail("Unknown inline modifier", 2 + k);
      if (f === "x") unsupported("comments mode (?x)");
      if ("ism".includes(f) && !flags.includes(f)) flags += f;
    }
    i = lead[0].length;
  }
  let out = "";
  const groups: number[] = [];
  let canRepeat = false;

  /** One escape at p[i] === "\\"; returns the JavaScript text and moves i past it. */
  const escape = (inClass: boolean): string => {
    if (i + 1 >= p.length) fail("Unexpected internal error", p.length);
    const c = p[i + 1];
    if (!/[a-zA-Z]/.test(c)) {
      i += 2;
      return /[0-9]/.test(c) ? `\\${c}` : escapeLiteral(c);
    }
    if (c === "Q") {
      const end = p.indexOf("\\E", i + 2);
      const literal = p.slice(i + 2, end < 0 ? p.length : end);
      i = end < 0 ? p.length : end + 2;
      return inClass ? literal.replace(/[\\\]^-]/g, "\\$&") : escapeLiteral(literal);
    }
    if (c === "p" || c === "P") {
      const m = /^\{(\w+)\}/.exec(p.slice(i + 2));
      const name = m ? m[1] : p[i + 2];
      const body = POSIX[name.replace(/^Is/, "")];
      if (body === undefined) unsupported(`the character property \\${c}{${name}}`);
      i += 2 + (m ? m[0].length : 1);
      if (inClass && c === "P") unsupported(`\\P{${name}} inside a class`);
      return inClass ? body! : `[${c === "P" ? "^" : ""}${body}]`;
    }
    if (SAME_ESCAPES.has(c)) {
      i += 2;
      return `\\${c}`;
    }
    const js = JAVA_ONLY[c];
    if (js !== undefined) {
      i += 2;
      if (c === "h") return inClass ? js : `[${js}]`;
      if (inClass && (c === "A" || c === "z" || c === "Z")) {
        fail("Illegal/unsupported escape sequence", i - 1);
      }
      return js;
    }
    if ("GXRNkHvV".includes(c)) unsupported(`\\${c}`);
    return fail("Illegal/unsupported escape sequence", i + 1);
  };

  /** A character class at p[i] === "["; returns the JavaScript class. */
  const charClass = (): string => {
    i++;
    let js = "[";
    if (p[i] === "^") {
      js += "^";
      i++;
    }
    let first = true;
    let prev: string | undefined; // the last single character, for ranges
    for (;;) {
      if (i >= p.length) fail("Unclosed character class", p.length - 1);
      const c = p[i];
      if (c === "]" && !first) {
        i++;
        return `${js}]`;
      }
      first = false;
      if (c === "[" || (c === "&" && p[i + 1] === "&")) {
        unsupported("a class union or intersection");
      }
      if (c === "\\") {
        const before = i;
        const e = escape(true);
        prev = i - before === 2 && !/[a-zA-Z]/.test(p[before + 1]) ? p[before + 1] : undefined;
        js += e;
        continue;
      }
      if (c === "-" && prev !== undefined && i + 1 < p.length && p[i + 1] !== "]") {
        let to = p[i + 1];
        let width = 1;
        if (to === "\\") {
          if (i + 2 >= p.length || /[a-zA-Z]/.test(p[i + 2])) {
            unsupported("an escape ending a range");
          }
          to = p[i + 2];
          width = 2;
        }
        if (to === "[") unsupported("a class union or intersection");
        if (to.charCodeAt(0) < prev.charCodeAt(0)) fail("Illegal character range", i + width);
        js += `-${escapeLiteral(to)}`;
        i += 1 + width;
        prev = undefined;
        continue;
      }
      js += c === "]" || c === "\\" || c === "^" || c === "-" ? `\\${c}` : c;
      prev = c;
      i++;
    }
  };

  while (i < p.length) {
    const c = p[i];
    if (c === "\\") {
      out += escape(false);
      canRepeat = true;
    } else if (c === "[") {
      out += charClass();
      canRepeat = true;
    } else if (c === "(") {
      groups.push(i);
      if (p[i + 1] === "?") {
        const rest = p.slice(i + 2);
        const m = /^(:|=|!|<=|<!|>|<[a-zA-Z][a-zA-Z0-9]*>)/.exec(rest);
        if (m) {
          // Atomic groups have no JavaScript form; as a plain group they match the same names.
          out += m[1] === ">" ? "(?:" : `(?${m[1]}`;
          i += 2 + m[1].length;
        } else if (rest.startsWith("<")) {
          return /^<[a-zA-Z]/.test(rest)
            ? fail("named capturing group is missing trailing '>'", p.length)
            : fail("capturing group name does not start with a Latin letter", i + 3);
        } else if (/^[a-zA-Z-]/.test(rest)) {
          const f = /^[a-zA-Z-]*/.exec(rest)![0];
          const bad = [...f].findIndex((x) => !"idmsuxU-".includes(x));
          if (bad >= 0) fail("Unknown inline modifier", i + 2 + bad);
          unsupported("inline flags after the start");
        } else fail("Unknown inline modifier", i + 2);
      } else {
        out += "(";
        i++;
      }
      canRepeat = false;
      continue;
    } else if (c === ")") {
      if (groups.length === 0) fail("Unmatched closing ')'", i - 1);
      groups.pop();
      out += ")";
      i++;
      canRepeat = true;
      continue;
    } else if (c === "|") {
      out += "|";
      i++;
      canRepeat = false;
      continue;
    } else if (c === "*" || c === "+" || c === "?") {
      if (!canRepeat) fail(`Dangling meta character '${c}'`, i);
      out += c;
      i++;
      if (p[i] === "?") out += p[i++];
      else if (p[i] === "+") i++; // possessive: greedy matches the same whole names
      canRepeat = false;
      continue;
    } else if (c === "{") {
      if (!canRepeat) {
        out += "\\{";
        i++;
        canRepeat = true;
        continue;
      }
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (!m && /^\{\d+(,\d*)?$/.test(p.slice(i))) fail("Unclosed counted closure", p.length);
      if (!m) fail("Illegal repetition", i + 1);
      const lo = Number(m![1]);
      const hi = m![3] ? Number(m![3]) : undefined;
      if (hi !== undefined && hi < lo) fail("Illegal repetition range", i + m![0].length - 1);
      out += m![0];
      i += m![0].length;
      if (p[i] === "?") out += p[i++];
      else if (p[i] === "+") i++;
      canRepeat = false;
      continue;
    } else {
      out += c === "/" ? "\\/" : c === "}" || c === "]" ? `\\${c}` : c;
      i++;
      canRepeat = true;
      continue;
    }
  }
  if (groups.length > 0) fail("Unclosed group", p.length);
  try {
    return new RegExp(`^(?:${out})$`, flags);
  } catch (e) {
    return unsupported(`this pattern (${e instanceof Error ? e.message : e})`);
  }
}
