/**
 * The `.lock` file of a log dir, held for the broker's lifetime as Kafka's LogManager holds it, so
 * two brokers never write one dir.
 *
 * Kafka 2.8.2 locks `<dir>/.lock` with Java's `FileChannel.tryLock()`, which on Linux is a POSIX
 * record lock (`fcntl(F_SETLK)`, seen in /proc/locks as `POSIX ADVISORY WRITE … 0 EOF`). Deno's
 * `FsFile.lock` is `flock(2)`, and on Linux the two kinds never see each other: a herd broker
 * holding a flock would not stop an Apache broker, nor the reverse. So on Linux herd takes the
 * same POSIX lock through libc (FFI); elsewhere, or when FFI is not allowed, it falls back to
 * flock, which still keeps two herd brokers apart.
 *
 * POSIX locks belong to the process, not the descriptor: a second lock from this process would
 * succeed, and closing any descriptor of the file would drop the lock. So this process keeps its
 * own set of the dirs it holds (Java keeps one per JVM for the same reason, and Kafka answers a
 * second LogManager in the same JVM with the same message), and nothing else here opens `.lock`.
 *
 * @module
 */

/** Kafka's KafkaException when a dir is held elsewhere, with its message. */
export class LogDirLockedError extends Error {
  override name = "org.apache.kafka.common.KafkaException";
  constructor(readonly dir: string) {
    super(
      `Failed to acquire lock on file .lock in ${dir}. ` +
        "A Kafka instance in another process or thread is using this directory.",
    );
  }
}

/** A held lock; `release` is idempotent. */
export interface DirLock {
  readonly dir: string;
  release(): void;
}

/** The dirs this process holds, by real path. */
const held = new Set<string>();

const F_SETLK = 6;
const F_WRLCK = 1;
const O_RDWR_CREAT = 0o102;

interface Libc {
  open(path: Uint8Array, flags: number, mode: number): number;
  fcntl(fd: number, cmd: number, lock: Uint8Array): number;
  close(fd: number): number;
}

let libc: Libc | null | undefined;

/** libc's open/fcntl/close on Linux x86-64 and arm64 (one `struct flock` layout), else null. */
function linuxLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (Deno.build.os !== "linux") return libc;
  if (Deno.build.arch !== "x86_64" && Deno.build.arch !== "aarch64") return libc;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return libc;
    const lib = Deno.dlopen("libc.so.6", {
      open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
      fcntl: { parameters: ["i32", "i32", "buffer"], result: "i32" },
      close: { parameters: ["i32"], result: "i32" },
    });
    libc = lib.symbols;
  } catch {
    libc = null; // no glibc (a static or musl build): flock still keeps herd brokers apart
  }
  return libc;
}

/**
 * Locks `dir/.lock` (creating it) or throws LogDirLockedError if another broker holds it, in
 * this process or another.
 */
export function lockLogDir(dir: string): DirLock {
  const path = `${dir}/.lock`;
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  const real = Deno.realPathSync(dir);
  if (held.has(real)) {
    file.close();
    throw new LogDirLockedError(dir);
  }
  const c = linuxLibc();
  if (c !== null) {
    // Only the FFI descriptor keeps the POSIX lock; the FsFile only made sure the file exists.
    file.close();
    const fd = c.open(new TextEncoder().encode(`${path}\0`), O_RDWR_CREAT, 0o644);
    if (fd < 0) throw new Deno.errors.PermissionDenied(`cannot open ${path}`);
    // struct flock: l_type (short), l_whence (short), l_start, l_len (off_t: 0 = to EOF), l_pid.
    const flock = new Uint8Array(32);
    new DataView(flock.buffer).setInt16(0, F_WRLCK, true);
    if (c.fcntl(fd, F_SETLK, flock) !== 0) {
      c.close(fd);
      throw new LogDirLockedError(dir);
    }
    return hold(dir, real, () => c.close(fd));
  }
  if (!file.tryLockSync(true)) {
    file.close();
    throw new LogDirLockedError(dir);
  }
  return hold(dir, real, () => file.close());
}

/** Records `real` as held; the lock's release closes the descriptor that carries it, once. */
function hold(dir: string, real: string, close: () => void): DirLock {
  held.add(real);
  let open = true;
  return {
    dir,
    release() {
      if (!open) return;
      open = false;
      held.delete(real);
      close();
    },
  };
}
