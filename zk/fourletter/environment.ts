/**
 * `envi` and the process facts behind it. Apache lists Java system properties; herd keeps Apache's
 * keys and order (monitoring scripts grep for them) and fills them with the Deno equivalents:
 *
 * | key | herd's value |
 * |---|---|
 * | host.name | the canonical name of this host's address, as Java's `InetAddress.getLocalHost()` gives it (host_name.ts) |
 * | java.version | the Deno version (`Deno.version.deno`) |
 * | java.vendor | `Deno` |
 * | java.home | the directory holding the deno executable |
 * | java.class.path | the main module's path (the program being run) |
 * | java.library.path | `DENO_DIR` if set, else `<NA>` |
 * | java.io.tmpdir | `TMPDIR`, else `/tmp` (Java's default) |
 * | java.compiler | `<NA>`, as on every modern JVM |
 * | os.name / os.arch | Deno.build mapped to Java's names (`Linux`, `amd64`) |
 * | os.version | the kernel release (`Deno.osRelease()`) |
 * | user.name / user.home / user.dir | `USER` (or the passwd entry of the uid), `HOME`, the cwd |
 * | os.memory.free / max / total | V8 heap: total minus used, heap size limit, heap total (MB) |
 *
 * A value that needs a permission herd was not given prints as `<NA>`, as Java does for a
 * missing property.
 */
import { getHeapStatistics } from "node:v8";
import { localHostName } from "./host_name.ts";

const NA = "<NA>";
const MB = 1024 * 1024;

function attempt<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

const env = (name: string): string | undefined => attempt(() => Deno.env.get(name), undefined);

function javaOsName(): string {
  const names: Record<string, string> = {
    linux: "Linux",
    darwin: "Mac OS X",
    windows: "Windows",
    freebsd: "FreeBSD",
    netbsd: "NetBSD",
    solaris: "SunOS",
    illumos: "SunOS",
    aix: "AIX",
    android: "Linux",
  };
  return names[Deno.build.os] ?? Deno.build.os;
}

function javaArch(): string {
  if (Deno.build.arch === "x86_64") return Deno.build.os === "darwin" ? "x86_64" : "amd64";
  return Deno.build.arch;
}

function userName(): string {
  const fromEnv = env("USER") ?? env("LOGNAME") ?? env("USERNAME");
  if (fromEnv) return fromEnv;
  return attempt(() => {
    const uid = Deno.uid();
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const f = line.split(":");
      if (f.length > 2 && Number(f[2]) === uid) return f[0];
    }
    return "?";
  }, "?");
}

function fileUrlToPath(url: string): string {
  return url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
}

/**
 * The `envi` entries in Apache's order (Environment.list).
 *
 * @example
 * ```ts
 * environmentEntries("3.8.0")[0]; // ["zookeeper.version", "3.8.0"]
 * ```
 */
export function environmentEntries(version: string): [string, string][] {
  const heap = getHeapStatistics();
  const mem = Deno.memoryUsage();
  const execDir = attempt(() => Deno.execPath().replace(/[/\\][^/\\]*$/, ""), NA);
  return [
    ["zookeeper.version", version],
    ["host.name", localHostName()],
    ["java.version", Deno.version.deno],
    ["java.vendor", "Deno"],
    ["java.home", execDir],
    ["java.class.path", fileUrlToPath(Deno.mainModule)],
    ["java.library.path", env("DENO_DIR") ?? NA],
    ["java.io.tmpdir", env("TMPDIR") ?? "/tmp"],
    ["java.compiler", NA],
    ["os.name", javaOsName()],
    ["os.arch", javaArch()],
    ["os.version", attempt(() => Deno.osRelease(), NA)],
    ["user.name", userName()],
    ["user.home", env("HOME") ?? env("USERPROFILE") ?? "?"],
    ["user.dir", attempt(() => Deno.cwd(), NA)],
    ["os.memory.free", `${Math.floor((mem.heapTotal - mem.heapUsed) / MB)}MB`],
    ["os.memory.max", `${Math.floor(heap.heap_size_limit / MB)}MB`],
    ["os.memory.total", `${Math.floor(mem.heapTotal / MB)}MB`],
  ];
}

/** `envi`: `Environment:` then one `key=value` line per entry. */
export function envi(version: string): string {
  let out = "Environment:\n";
  for (const [k, v] of environmentEntries(version)) out += `${k}=${v}\n`;
  return out;
}
