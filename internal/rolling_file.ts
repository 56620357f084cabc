/**
 * log4j's ROLLINGFILE appender (RollingFileAppender, as Apache ZooKeeper's log4j.properties up to
 * 3.7 and the commented-out block of 3.8's logback.xml configure it): lines go to `path`; once a
 * line brings the file to `maxFileSize` bytes or more, `path.N` is dropped, `path.i` becomes
 * `path.i+1`, `path` becomes `path.1` and a new `path` starts. So a file ends on a whole line and
 * exceeds the limit by less than one line, and at most `maxBackupIndex` old files are kept (0: the
 * file is cut back to empty instead). Apache 3.8.0 with log4j, `maxfilesize=2KB` and
 * `maxbackupindex=3`, left `zk.log` (833 B), `zk.log.1` (2,088), `.2` (2,188) and `.3` (2,142).
 *
 * @module
 */
import { dirname } from "node:path";
import { LineBuffer, type LogSink } from "./log.ts";

/** Where and how big. */
export interface RollingFileOptions {
  /** The live file; rolled ones are `path.1` (newest) … `path.<maxBackupIndex>`. */
  path: string;
  /** Roll once the file holds this many bytes or more. */
  maxFileSize: number;
  /** How many rolled files to keep. */
  maxBackupIndex: number;
  /** Told of the first write, open or rename failure (log4j's OnlyOnceErrorHandler). */
  onError?: (message: string) => void;
}

/**
 * A size-rolled log file. Lines are buffered per turn as the console's are; the only per-line
 * work beyond that is adding the line's byte count to one number and comparing it to the limit.
 *
 * @example
 * ```ts ignore
 * const file = new RollingFileAppender({ path: "/var/log/zk/zk.log", maxFileSize: 10 << 20, maxBackupIndex: 10 });
 * new Logger("", "INFO", file.sink).info("main:Test", "hello");
 * ```
 */
export class RollingFileAppender {
  #file: Deno.FsFile | null = null;
  /** Bytes in the live file, written or still buffered. */
  #size = 0;
  #failed = false;
  readonly #buf: LineBuffer;

  /** Opens (appending to) `options.path`, creating its directory; throws when it cannot. */
  constructor(private readonly options: RollingFileOptions) {
    Deno.mkdirSync(dirname(options.path), { recursive: true });
    this.#file = Deno.openSync(options.path, { append: true, create: true });
    this.#size = this.#file.statSync().size;
    this.#buf = new LineBuffer((bytes) => this.#write(bytes));
  }

  /** The LogSink that writes here. */
  readonly sink: LogSink = (line) => {
    this.#size += this.#buf.add(line);
    if (this.#size >= this.options.maxFileSize) {
      this.#buf.flush();
      this.rollOver();
    }
  };

  /** Writes what is buffered. */
  flush(): void {
    this.#buf.flush();
  }

  /** Writes what is buffered and closes the file; later lines are dropped. */
  close(): void {
    this.#buf.close();
    this.#file?.close();
    this.#file = null;
  }

  /** Starts a new live file now, shifting the rolled ones (buffered lines go to the old one). */
  rollOver(): void {
    this.#buf.flush();
    const { path, maxBackupIndex } = this.options;
    this.#file?.close();
    this.#file = null;
    try {
      if (maxBackupIndex > 0) {
        removeIfThere(`${path}.${maxBackupIndex}`);
        for (let i = maxBackupIndex - 1; i >= 1; i--) {
          renameIfThere(`${path}.${i}`, `${path}.${i + 1}`);
        }
        renameIfThere(path, `${path}.1`);
      }
      this.#file = Deno.openSync(path, { write: true, create: true, truncate: true });
    } catch (e) {
      this.#fail(`cannot roll ${path} over: ${(e as Error).message}`);
      // Keep logging to the live file if it is still there, rather than nowhere.
      try {
        this.#file = Deno.openSync(path, { append: true, create: true });
      } catch { /* reported above */ }
    }
    this.#size = 0;
  }

  #write(bytes: Uint8Array): void {
    if (this.#file === null) return;
    try {
      let off = 0;
      while (off < bytes.length) off += this.#file.writeSync(bytes.subarray(off));
    } catch (e) {
      this.#fail(`cannot write ${this.options.path}: ${(e as Error).message}`);
    }
  }

  #fail(message: string): void {
    if (this.#failed) return;
    this.#failed = true;
    this.options.onError?.(message);
  }
}

function removeIfThere(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    Deno.renameSync(from, to);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
