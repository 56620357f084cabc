/**
 * The Java kafka-clients 2.8.2 scenarios (`java/Interop.java`, compiled by
 * conformance/apache/fetch.sh): AdminClient, an idempotent producer, a consumer group of two and
 * transactions. Each prints broker-independent facts, compared with what Apache 2.8.2's broker
 * made it print (`testdata/java-<scenario>.txt`).
 *
 * @module
 */
import { expectFixture, mask } from "./_expect.ts";
import { type Broker, onPath, runOk } from "./_target.ts";

const CACHE = Deno.env.get("HERD_CACHE") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/herd`;
const LIBS = `${CACHE}/kafka-2.8.2/libs`;
const CLASSES = `${CACHE}/kafka-interop/classes`;
const LOG4J = new URL("../../conformance/apache/config/tools-log4j.properties", import.meta.url)
  .pathname;

/** The program's scenarios. */
export type JavaScenario = "admin" | "idempotent" | "group" | "cooperative" | "txn";

/** Why the Java program cannot run here, or undefined. */
export function javaMissing(): string | undefined {
  if (!onPath("java")) return "java is not on PATH";
  try {
    Deno.statSync(`${CLASSES}/Interop.class`);
    Deno.statSync(`${LIBS}/kafka-clients-2.8.2.jar`);
    return undefined;
  } catch {
    return `${CLASSES}/Interop.class is missing (run conformance/apache/fetch.sh)`;
  }
}

/** Run one scenario of the Java program against `broker` and compare with Apache's output. */
export async function javaScenario(broker: Broker, scenario: JavaScenario): Promise<void> {
  const r = await runOk("java", [
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Xmx256m",
    `-Dlog4j.configuration=file:${LOG4J}`,
    "-cp",
    `${CLASSES}:${LIBS}/*`,
    "Interop",
    broker.bootstrap,
    scenario,
  ], { timeoutMs: 240_000 });
  await expectFixture(`java-${scenario}`, mask(r.out, broker), broker);
}
