/**
 * Reads the `-Dname=value` system properties out of JVM options: ZooKeeper's SERVER_JVMFLAGS /
 * JVMFLAGS, Kafka's KAFKA_OPTS.
 *
 * zkServer.sh and kafka-run-class.sh expand these variables unquoted, so the shell splits them on
 * whitespace and keeps any quote characters inside them; herd splits the same way. Other JVM options (`-Xmx1g`,
 * `-XX:…`) mean nothing to herd and are skipped. `-Dname` alone sets `""`, as `java` does, and a
 * repeated name takes its last value.
 *
 * @example
 * ```ts
 * import { parseJvmFlags } from "./jvm_flags.ts";
 * const props = parseJvmFlags("-Xmx1g -Dzookeeper.enforceQuota=true -Djute.maxbuffer=0x400000");
 * props.get("zookeeper.enforceQuota"); // "true"
 * props.get("jute.maxbuffer"); // "0x400000"
 * ```
 */
export function parseJvmFlags(flags: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const token of flags.split(/\s+/)) {
    if (!token.startsWith("-D")) continue;
    const rest = token.slice(2);
    const eq = rest.indexOf("=");
    const name = eq < 0 ? rest : rest.slice(0, eq);
    if (name === "") continue;
    props.set(name, eq < 0 ? "" : rest.slice(eq + 1));
  }
  return props;
}
