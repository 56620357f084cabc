/**
 * The exceptions DumpLogSegments lets escape, as values: Kafka 2.8.2's tool catches almost
 * nothing, so a bad file name, a missing file or a corrupt batch ends the run with the JVM's
 * `Exception in thread "main" <class>: <message>` line after whatever was printed so far.
 * herd prints that line (and `Caused by:` when there is one) without the stack frames.
 *
 * @module
 */

/** A Java exception the tool reports as the JVM would, by class name and message. */
export class JavaException extends Error {
  override name = "JavaException";
  constructor(
    /** The Java class, e.g. `java.lang.NumberFormatException`. */
    readonly javaClass: string,
    /** The message, or null when Java's is null (the line then ends after the class). */
    readonly javaMessage: string | null,
    /** The `Caused by:` line's text, when Java prints one. */
    readonly causedBy?: string,
  ) {
    super(javaMessage === null ? javaClass : `${javaClass}: ${javaMessage}`);
  }

  /** The lines the JVM prints on stderr for it, uncaught. */
  uncaughtText(): string {
    const first = this.javaMessage === null
      ? this.javaClass
      : `${this.javaClass}: ${this.javaMessage}`;
    const cause = this.causedBy === undefined ? "" : `Caused by: ${this.causedBy}\n`;
    return `Exception in thread "main" ${first}\n${cause}`;
  }
}

/** Java's `"x".toLong` (StringOps.toLong → Long.parseLong) on a segment name's first part. */
export function parseJavaLong(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) {
    throw new JavaException(
      "java.lang.NumberFormatException",
      s === "" ? 'For input string: ""' : `For input string: "${s}"`,
    );
  }
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) {
    throw new JavaException("java.lang.NumberFormatException", `For input string: "${s}"`);
  }
  return Number(v);
}

/** What `new File(path)` gives back as its path: Java drops a trailing `/` and doubled ones. */
export function javaFilePath(path: string): string {
  let p = path.replace(/\/+/g, "/");
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

/** java.io.File.getName. */
export function javaFileName(path: string): string {
  const p = javaFilePath(path);
  return p.slice(p.lastIndexOf("/") + 1);
}

/** java.io.File.getAbsolutePath (no `..` resolution, as Java). */
export function javaAbsolutePath(path: string): string {
  const p = javaFilePath(path);
  if (p.startsWith("/")) return p;
  const cwd = Deno.cwd();
  return p === "" ? cwd : `${cwd === "/" ? "" : cwd}/${p}`;
}

/** The parent of a path as `getAbsoluteFile.getParent` gives it. */
export function javaAbsoluteParent(path: string): string {
  const abs = javaAbsolutePath(path);
  const i = abs.lastIndexOf("/");
  return i <= 0 ? "/" : abs.slice(0, i);
}

/**
 * Opens a segment for reading as `FileRecords.open(file, false)` does (FileChannel.open), turning
 * a missing file into Java's NoSuchFileException and a directory into the KafkaException its
 * first read raises.
 */
export function openForRead(path: string): Deno.FsFile {
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(path, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new JavaException("java.nio.file.NoSuchFileException", path);
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new JavaException("java.nio.file.AccessDeniedException", path);
    }
    throw e;
  }
  if (f.statSync().isDirectory) {
    f.close();
    throw new JavaException(
      "org.apache.kafka.common.KafkaException",
      "java.io.IOException: Is a directory",
      "java.io.IOException: Is a directory",
    );
  }
  return f;
}
