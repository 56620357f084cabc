/**
 * Test helpers shared by the persistence tools' tests: run one of Apache 3.8.0's own tools (from
 * Debian's jars) or one of ours as a subprocess, with the same time zone and locale, and drop the
 * SLF4J/log4j lines Apache prints when it has no logging configured.
 *
 * @module
 */
import { needs } from "../../zk/interop/_needs.ts";

const JARS = [
  "zookeeper.jar",
  "zookeeper-jute.jar",
  "slf4j-api.jar",
  "netty-all.jar",
  "commons-cli.jar",
  "slf4j-log4j12.jar",
  "log4j-1.2.jar",
  "metrics-core.jar",
  "snappy-java.jar",
  "jackson-core.jar",
];
const CLASSPATH = JARS.map((j) => `/usr/share/java/${j}`).join(":");

/** Both sides print times in the process's zone: pin it (and UTF-8 output for the JVM). */
export const TOOL_ENV = { TZ: "UTC", LC_ALL: "C.UTF-8", LANG: "C.UTF-8" };

/** What a tool printed, noise removed, and how it exited. */
export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

const decoder = new TextDecoder();

function isNoise(line: string): boolean {
  return line.startsWith("log4j:") || line.startsWith("SLF4J:");
}

function clean(text: string): string {
  return text.split("\n").filter((l) => !isNoise(l)).join("\n");
}

async function run(cmd: string, args: string[], stdin?: string): Promise<ToolRun> {
  const child = new Deno.Command(cmd, {
    args,
    env: TOOL_ENV,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: clean(decoder.decode(out.stdout)),
    stderr: clean(decoder.decode(out.stderr)),
  };
}

/** `java -cp <Debian's ZooKeeper jars> <mainClass> args…`. */
export function runApache(mainClass: string, args: string[], stdin?: string): Promise<ToolRun> {
  return run("java", ["-cp", CLASSPATH, mainClass, ...args], stdin);
}

/** `deno run -A tools/<tool>/main.ts args…` */
export function runHerd(tool: string, args: string[], stdin?: string): Promise<ToolRun> {
  const main = new URL(`../${tool}/main.ts`, import.meta.url).pathname;
  return run(Deno.execPath(), ["run", "-A", main, ...args], stdin);
}

/** The DECISIONS.md gate for a comparison with Apache's tool: fail under CI, else skip. */
export function apacheGate(label: string): ReturnType<typeof needs> {
  return needs("apache", [], label);
}
