/**
 * A transcript: one documented session (the seed's, or a capture in `conformance/reference/`) as a
 * YAML file under `transcripts/`: what server it needs, and per step the command, what Apache
 * prints, and `{{named}}` placeholders for what may vary. {@linkcode parseTranscript} checks the
 * file's shape and every `{{name}}` it uses, so a typo fails at load time, not mid-run.
 *
 * @module
 */
import { parse } from "yaml";
import { PLACEHOLDERS, tokens } from "./expect.ts";

/** Which servers a transcript runs on. */
export interface ServerSpec {
  /**
   * `standalone`: one fresh server; `ensemble`: `nodes` fresh servers that the steps start;
   * `none`: the steps start one themselves (zkServer.sh start); `kafka`: a ZooKeeper and a broker.
   */
  kind: "standalone" | "ensemble" | "none" | "kafka";
  /** Extra zoo.cfg lines. */
  cfg: Record<string, string>;
  /** `-D` flags: on Apache's java command line, in SERVER_JVMFLAGS for herd. */
  jvmFlags: string[];
  /** Ensemble size. */
  nodes: number;
}

/** What a step must print: one text for every server, or one per server (`herd`, `apache`, `default`). */
export type Expected = string | Record<string, string>;

/** What every step may say besides its action. */
export interface StepCommon {
  /** 1-based index in the file's `steps`. */
  index: number;
  /** A remark for the reader (why the step is there, what differs from the reference). */
  note?: string;
  /** Retry the step for up to this many seconds until it matches. */
  until?: number;
  /** Do not send before this many seconds after the session's first command. */
  at?: number;
  /** Run, but do not compare (to reach a state the reference was captured in). */
  quiet?: boolean;
  /** What it prints on stdout (stdout and stderr for `sh`); nothing when absent. */
  out?: Expected;
  /** What zkCli prints on stderr (`Created …`, `Node does not exist: …`). */
  err?: Expected;
  /** The exit code, when compared. */
  exit?: number;
}

/** One step; `kind` is the action key the YAML used. */
export type Step =
  | StepCommon & { kind: "zkcli-open"; command: string }
  | StepCommon & { kind: "zkcli"; command: string }
  | StepCommon & { kind: "setup"; commands: string[] }
  | StepCommon & { kind: "zkcli-batch"; commands: string[] }
  | StepCommon & { kind: "sh"; command: string }
  | StepCommon & { kind: "log"; pattern: string }
  | StepCommon & { kind: "server"; action: "start" | "stop" | "observer"; node?: number }
  | StepCommon & { kind: "sleep"; seconds: number };

/** A parsed transcript file. */
export interface Transcript {
  /** The file name without `.yaml`. */
  name: string;
  /** The file's path. */
  file: string;
  /** `zookeeper`, or `kafka` for the transcripts that need a broker. */
  system: "zookeeper" | "kafka";
  /** One line: what the session shows. */
  title: string;
  /** Where the expected output comes from (seed lines, reference files). */
  source: string[];
  /**
   * The capture the expected lines are taken from, if one, as a path under `conformance/reference/`
   * (`zookeeper/4lw.out`): a test checks that every compared line is found there, in order.
   */
  reference?: string;
  /** The servers it needs. */
  server: ServerSpec;
  /** Safe on someone else's server: touches only `{{root}}` and cleans up. */
  external: boolean;
  /** Skipped unless `--slow`. */
  slow: boolean;
  /** Its own placeholders: name → regular expression. */
  placeholders: Record<string, string>;
  /** The session, step by step. */
  steps: Step[];
  /** Steps run at the end even after a failure; never compared. */
  cleanup: Step[];
}

/** Names a transcript may substitute: the target's own values. */
export const VARIABLES = [
  "server",
  "host",
  "port",
  "cfg",
  "dataDir",
  "dataLogDir",
  "root",
  "zkServer",
  "zkCli",
  "kafka",
  "kafkaBin",
];

/** `n1.port`, `n2.cfg` …: an ensemble node's values. */
const NODE_VARIABLE = /^n[1-9]\.(port|cfg|dataDir|host)$/;

/** Whether `name` is a variable (substituted) rather than a placeholder (matched). */
export function isVariable(name: string): boolean {
  return VARIABLES.includes(name) || NODE_VARIABLE.test(name);
}

const ACTIONS = ["zkcli-open", "zkcli", "setup", "zkcli-batch", "sh", "log", "server", "sleep"];
const STEP_KEYS = ["note", "until", "at", "quiet", "out", "err", "exit", ...ACTIONS];
const TOP_KEYS = [
  "title",
  "system",
  "source",
  "reference",
  "server",
  "external",
  "slow",
  "placeholders",
  "steps",
  "cleanup",
];

type Yaml = Record<string, unknown>;

function fail(file: string, where: string, message: string): never {
  throw new Error(`${file}: ${where}: ${message}`);
}

function isObject(v: unknown): v is Yaml {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(file: string, where: string, v: unknown): string {
  if (typeof v === "number" || typeof v === "string") return String(v);
  return fail(file, where, `expected a string, got ${JSON.stringify(v)}`);
}

function expected(file: string, where: string, v: unknown): Expected | undefined {
  if (v === undefined || v === null) return v === null ? "" : undefined;
  if (isObject(v)) {
    return Object.fromEntries(
      Object.entries(v).map(([k, t]) => [k, t === null ? "" : text(file, `${where}.${k}`, t)]),
    );
  }
  return text(file, where, v);
}

function lines(v: string): string[] {
  return v.split("\n").filter((l) => l.trim() !== "");
}

function parseStep(file: string, raw: unknown, index: number): Step {
  const where = `step ${index}`;
  if (!isObject(raw)) fail(file, where, "a step is a mapping");
  for (const key of Object.keys(raw)) {
    if (!STEP_KEYS.includes(key)) fail(file, where, `unknown key '${key}'`);
  }
  const actions = ACTIONS.filter((a) => a in raw);
  if (actions.length !== 1) fail(file, where, `needs exactly one of ${ACTIONS.join(", ")}`);
  const kind = actions[0];
  const value = raw[kind];
  const num = (k: string) => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v !== "number") fail(file, where, `'${k}' must be a number`);
    return v;
  };
  const common = {
    index,
    note: raw.note === undefined ? undefined : text(file, where, raw.note),
    until: num("until"),
    at: num("at"),
    exit: num("exit"),
    quiet: raw.quiet === true,
    out: expected(file, `${where}.out`, raw.out),
    err: expected(file, `${where}.err`, raw.err),
  };
  switch (kind) {
    case "setup":
    case "zkcli-batch":
      return { ...common, kind, commands: lines(text(file, where, value)) };
    case "sleep":
      if (typeof value !== "number") fail(file, where, "sleep takes seconds");
      return { ...common, kind, seconds: value };
    case "server": {
      const m = text(file, where, value).match(/^(start|stop|observer)(?: n([1-9]))?$/);
      if (!m) fail(file, where, "server: start|stop|observer [nN]");
      return {
        ...common,
        kind,
        action: m[1] as "start" | "stop" | "observer",
        node: m[2] ? Number(m[2]) : undefined,
      };
    }
    case "log":
      return { ...common, kind, pattern: text(file, where, value) };
    default:
      return {
        ...common,
        kind: kind as "zkcli" | "zkcli-open" | "sh",
        command: text(file, where, value),
      };
  }
}

function parseServer(file: string, raw: unknown): ServerSpec {
  const spec: ServerSpec = { kind: "standalone", cfg: {}, jvmFlags: [], nodes: 3 };
  if (raw === undefined) return spec;
  if (!isObject(raw)) fail(file, "server", "a mapping");
  for (const [k, v] of Object.entries(raw)) {
    if (k === "kind") {
      if (!["standalone", "ensemble", "none", "kafka"].includes(String(v))) {
        fail(file, "server.kind", "standalone, ensemble, none or kafka");
      }
      spec.kind = v as ServerSpec["kind"];
    } else if (k === "cfg" && isObject(v)) {
      spec.cfg = Object.fromEntries(Object.entries(v).map(([ck, cv]) => [ck, String(cv)]));
    } else if (k === "jvmFlags" && Array.isArray(v)) {
      spec.jvmFlags = v.map(String);
    } else if (k === "nodes" && typeof v === "number") {
      spec.nodes = v;
    } else {
      fail(file, `server.${k}`, "unknown or malformed");
    }
  }
  return spec;
}

/** Every text of a step in which `{{name}}` may appear. */
function stepTexts(step: Step): string[] {
  const out: string[] = [];
  const add = (e: Expected | undefined) => {
    if (typeof e === "string") out.push(e);
    else if (e) out.push(...Object.values(e));
  };
  add(step.out);
  add(step.err);
  if ("command" in step) out.push(step.command);
  if ("commands" in step) out.push(...step.commands);
  return out;
}

/**
 * Parse and check one transcript file's text.
 *
 * @example
 * ```ts
 * const t = parseTranscript("ruok.yaml", "title: ruok\nsteps:\n  - sh: echo ruok | nc {{host}} {{port}}\n    out: imok\n");
 * ```
 */
export function parseTranscript(file: string, source: string): Transcript {
  let raw: unknown;
  try {
    raw = parse(source);
  } catch (e) {
    fail(file, "YAML", (e as Error).message);
  }
  if (!isObject(raw)) fail(file, "top", "a mapping");
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.includes(key)) fail(file, "top", `unknown key '${key}'`);
  }
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) fail(file, "steps", "a non-empty list");
  const placeholders: Record<string, string> = {};
  if (isObject(raw.placeholders)) {
    for (const [k, v] of Object.entries(raw.placeholders)) placeholders[k] = String(v);
  }
  const steps = raw.steps.map((s, i) => parseStep(file, s, i + 1));
  const cleanup = Array.isArray(raw.cleanup)
    ? raw.cleanup.map((s, i) => parseStep(file, s, i + 1))
    : [];
  for (const step of [...steps, ...cleanup]) {
    for (const t of stepTexts(step)) {
      for (const name of tokens(t)) {
        if (name === "..." || isVariable(name) || name in PLACEHOLDERS || name in placeholders) {
          continue;
        }
        fail(file, `step ${step.index}`, `unknown {{${name}}}`);
      }
    }
  }
  const system = raw.system === "kafka" ? "kafka" : "zookeeper";
  const sources = raw.source === undefined ? [] : [raw.source].flat().map((v, k) => {
    // A `: ` in a plain YAML line turns it into a mapping; say so rather than print [object].
    if (typeof v !== "string") fail(file, `source ${k + 1}`, "a string (quote it if it has ': ')");
    return v;
  });
  return {
    name: file.replace(/^.*\//, "").replace(/\.ya?ml$/, ""),
    file,
    system,
    title: raw.title === undefined ? file : String(raw.title),
    source: sources,
    reference: raw.reference === undefined ? undefined : String(raw.reference),
    server: parseServer(file, raw.server),
    external: raw.external === true,
    slow: raw.slow === true,
    placeholders,
    steps,
    cleanup,
  };
}
