/**
 * kafka-configs.sh's command line as Kafka 2.8.2's ConfigCommandOptions reads it: joptsimple's
 * options, the entity types and names the command line names (`--entity-type`/`--entity-name`/
 * `--entity-default` in command-line order, then the shorthand flags), and checkArgs' checks in
 * its order with its messages.
 *
 * @module
 */
import { type OptKind, type ParsedOptions, parseOptions } from "../_kafka_cli.ts";
import { ConfigCommandError, UsageError } from "./errors.ts";

/** joptsimple's option table for ConfigCommand. */
export const SPEC: Readonly<Record<string, OptKind>> = {
  "add-config": "required",
  "add-config-file": "required",
  all: "flag",
  alter: "flag",
  "bootstrap-server": "required",
  broker: "required",
  "broker-defaults": "flag",
  "broker-logger": "required",
  client: "required",
  "client-defaults": "flag",
  "command-config": "required",
  "delete-config": "required",
  describe: "flag",
  "entity-default": "flag",
  "entity-name": "required",
  "entity-type": "required",
  force: "flag",
  help: "flag",
  ip: "required",
  "ip-defaults": "flag",
  topic: "required",
  user: "required",
  "user-defaults": "flag",
  version: "flag",
  "zk-tls-config-file": "required",
  zookeeper: "required",
};

/** ConfigType.all, in Kafka's order. */
export const ZK_TYPES = ["topics", "clients", "users", "brokers", "ips"] as const;
/** What `--bootstrap-server` accepts: ConfigType.all and broker-loggers. */
export const BROKER_TYPES = [...ZK_TYPES, "broker-loggers"] as const;

/** The shorthand flags that name an entity, with their type (ConfigCommand's entityFlags). */
const ENTITY_FLAGS: readonly [string, string][] = [
  ["topic", "topics"],
  ["client", "clients"],
  ["user", "users"],
  ["broker", "brokers"],
  ["broker-logger", "broker-loggers"],
  ["ip", "ips"],
];
/** The shorthand flags that name a default entity (entityDefaultsFlags). */
const DEFAULT_FLAGS: readonly [string, string][] = [
  ["client-defaults", "clients"],
  ["user-defaults", "users"],
  ["broker-defaults", "brokers"],
  ["ip-defaults", "ips"],
];

/** A parsed ConfigCommand command line. */
export class ConfigOptions {
  constructor(readonly parsed: ParsedOptions, readonly args: readonly string[]) {}

  /** Whether `name` was given. */
  has(name: string): boolean {
    return this.parsed.has(name);
  }

  /** The first value of `name`. */
  valueOf(name: string): string | undefined {
    return this.parsed.valueOf(name) ?? undefined;
  }

  /** `--entity-type` values, then the types of the shorthand flags given. */
  get entityTypes(): string[] {
    return [
      ...this.parsed.valuesOf("entity-type"),
      ...[...ENTITY_FLAGS, ...DEFAULT_FLAGS].filter(([f]) => this.has(f)).map(([, t]) => t),
    ];
  }

  /**
   * `--entity-name` values and `--entity-default` ("") in the order given, then the shorthand
   * flags' names ("" for the defaults flags).
   */
  get entityNames(): string[] {
    const names = this.parsed.valuesOf("entity-name");
    let next = 0;
    const out: string[] = [];
    for (const o of this.parsed.order) {
      if (o === "entity-name") out.push(names[next++]);
      else if (o === "entity-default") out.push("");
    }
    for (const [f] of ENTITY_FLAGS) if (this.has(f)) out.push(this.valueOf(f)!);
    for (const [f] of DEFAULT_FLAGS) if (this.has(f)) out.push("");
    return out;
  }
}

/** Parses `args` (joptsimple's errors are OptionError). */
export function parseConfigOptions(args: readonly string[]): ConfigOptions {
  return new ConfigOptions(parseOptions(SPEC, args), args);
}

/** Java's Integer.parseInt succeeds. */
export function isJavaInt(s: string): boolean {
  if (!/^[+-]?\d+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 31n) && n < 2n ** 31n;
}

function isIpLiteral(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((x) => Number(x) <= 255);
  return s.includes(":") && /^\[?[0-9a-fA-F:.]+(%\w+)?\]?$/.test(s);
}

/**
 * DynamicConfig.Ip.isValidIpEntity: `<default>`, or what InetAddress.getByName resolves. herd
 * takes IP literals and `localhost` (it does not ask DNS for host names).
 */
export function isValidIpEntity(s: string): boolean {
  return s === "<default>" || isIpLiteral(s) || s === "localhost" || s === "";
}

const illegal = (message: string) =>
  new ConfigCommandError(message, "java.lang.IllegalArgumentException");

/** ConfigCommandOptions.checkArgs, in its order, with its messages. */
export function checkConfigOptions(o: ConfigOptions): void {
  const actions = ["alter", "describe"].filter((a) => o.has(a)).length;
  if (actions !== 1) {
    throw new UsageError("Command must include exactly one action: --describe, --alter");
  }
  // CommandLineUtils.checkInvalidArgs: describe may not meet these, checked in this order.
  for (
    const [used, bad] of [["alter", ["describe"]], [
      "describe",
      ["alter", "add-config", "delete-config"],
    ]] as const
  ) {
    if (!o.has(used)) continue;
    for (const b of bad) {
      if (o.has(b)) throw new UsageError(`Option "[${used}]" can't be used with option "[${b}]"`);
    }
  }
  const types = o.entityTypes;
  const seen = new Set<string>();
  const dups = types.filter((t) => seen.has(t) || (seen.add(t), false));
  if (dups.length > 0) {
    throw illegal(`Duplicate entity type(s) specified: ${dups.join(",")}`);
  }
  const bootstrap = o.has("bootstrap-server");
  const allowed: readonly string[] = bootstrap ? BROKER_TYPES : ZK_TYPES;
  for (const t of types) {
    if (!allowed.includes(t)) {
      throw illegal(
        `Invalid entity type ${t}, the entity type must be one of ${allowed.join(",")} with the ${
          bootstrap ? "--bootstrap-server" : "--zookeeper"
        } argument`,
      );
    }
  }
  if (types.length === 0) throw illegal("At least one entity type must be specified");
  if (types.length > 1 && !(types.length === 2 && seen.has("users") && seen.has("clients"))) {
    throw illegal("Only 'users' and 'clients' entity types may be specified together");
  }
  const generic = ["entity-name", "entity-type", "entity-default"].some((f) => o.has(f));
  if (generic && [...ENTITY_FLAGS, ...DEFAULT_FLAGS].some(([f]) => o.has(f))) {
    throw illegal(
      "--entity-{type,name,default} should not be used in conjunction with specific entity flags",
    );
  }
  const names = o.entityNames;
  const hasName = names.some((n) => n !== "");
  const hasDefault = names.some((n) => n === "");
  if (!bootstrap && !o.has("zookeeper")) {
    throw illegal(
      "One of the required --bootstrap-server or --zookeeper arguments must be specified",
    );
  }
  if (bootstrap && o.has("zookeeper")) {
    throw illegal("Only one of --bootstrap-server or --zookeeper must be specified");
  }
  if (o.has("all") && o.has("zookeeper")) {
    throw illegal("--bootstrap-server must be specified for --all");
  }
  if (hasName && (seen.has("brokers") || seen.has("broker-loggers"))) {
    for (const f of ["entity-name", "broker", "broker-logger"]) {
      const id = o.valueOf(f);
      if (id !== undefined && !isJavaInt(id)) {
        throw illegal(
          `The entity name for ${types[0]} must be a valid integer broker id, but it is: ${id}`,
        );
      }
    }
  }
  if (hasName && seen.has("ips")) {
    for (const f of ["entity-name", "ip"]) {
      const ip = o.valueOf(f);
      if (ip !== undefined && !isValidIpEntity(ip)) {
        throw illegal(
          `The entity name for ${types[0]} must be a valid IP or resolvable host, but it is: ${ip}`,
        );
      }
    }
  }
  if (o.has("describe") && seen.has("broker-loggers") && !hasName) {
    throw illegal(`an entity name must be specified with --describe of ${types.join(",")}`);
  }
  if (!o.has("alter")) return;
  if (["users", "clients", "brokers", "ips"].some((t) => seen.has(t))) {
    if (!hasName && !hasDefault) {
      throw illegal(
        "an entity-name or default entity must be specified with --alter of users, clients, brokers or ips",
      );
    }
  } else if (!hasName) {
    throw illegal(`an entity name must be specified with --alter of ${types.join(",")}`);
  }
  const add = o.has("add-config"), file = o.has("add-config-file"), del = o.has("delete-config");
  if (add && file) throw illegal("Only one of --add-config or --add-config-file must be specified");
  if (!add && !file && !del) {
    throw illegal(
      "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter",
    );
  }
}
