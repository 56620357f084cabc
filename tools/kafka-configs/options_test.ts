/**
 * ConfigCommandOptions as herd reads it, no JVM: the entity types and names in Kafka's order and
 * checkArgs' messages, each recorded from Apache 2.8.2's kafka-configs.sh (stderr, exit 1).
 */
import assert from "node:assert/strict";
import { checkConfigOptions, parseConfigOptions } from "./options.ts";
import { ConfigCommandError, UsageError } from "./errors.ts";
import { OptionError } from "../_kafka_cli.ts";

const B = ["--bootstrap-server", "127.0.0.1:9092"];

/** What checkArgs refuses `args` with: [kind, message]. */
function refusal(args: string[]): [string, string] | undefined {
  try {
    checkConfigOptions(parseConfigOptions(args));
    return undefined;
  } catch (e) {
    if (e instanceof UsageError) return ["usage", e.message];
    if (e instanceof ConfigCommandError) return [e.plain ? "plain" : "trace", e.message];
    if (e instanceof OptionError) return ["option", e.message];
    throw e;
  }
}

Deno.test("entity names follow --entity-name/--entity-default in command-line order", () => {
  const o = parseConfigOptions([
    "--entity-type",
    "users",
    "--entity-default",
    "--entity-type",
    "clients",
    "--entity-name",
    "c1",
    "--describe",
  ]);
  assert.deepEqual(o.entityTypes, ["users", "clients"]);
  assert.deepEqual(o.entityNames, ["", "c1"]);
  const s = parseConfigOptions(["--user", "u", "--client-defaults", "--topic", "t"]);
  // entityFlags in Kafka's order (topic, client, user …), then the defaults flags.
  assert.deepEqual(s.entityTypes, ["topics", "users", "clients"]);
  assert.deepEqual(s.entityNames, ["t", "u", ""]);
});

Deno.test("checkArgs refuses bad command lines with Apache 2.8.2's messages", () => {
  const cases: [string[], [string, string] | undefined][] = [
    [[...B, "--topic", "t"], [
      "usage",
      "Command must include exactly one action: --describe, --alter",
    ]],
    [[...B, "--topic", "t", "--describe", "--alter"], [
      "usage",
      "Command must include exactly one action: --describe, --alter",
    ]],
    [[...B, "--topic", "t", "--describe", "--add-config", "a=b"], [
      "usage",
      'Option "[describe]" can\'t be used with option "[add-config]"',
    ]],
    [["--topic", "t", "--describe"], [
      "plain",
      "One of the required --bootstrap-server or --zookeeper arguments must be specified",
    ]],
    [[...B, "--zookeeper", "z:2181", "--topic", "t", "--describe"], [
      "plain",
      "Only one of --bootstrap-server or --zookeeper must be specified",
    ]],
    [[...B, "--entity-type", "foo", "--describe"], [
      "plain",
      "Invalid entity type foo, the entity type must be one of topics,clients,users,brokers,ips,broker-loggers with the --bootstrap-server argument",
    ]],
    [["--zookeeper", "z:2181", "--broker-logger", "1", "--describe"], [
      "plain",
      "Invalid entity type broker-loggers, the entity type must be one of topics,clients,users,brokers,ips with the --zookeeper argument",
    ]],
    [[...B, "--entity-type", "topics", "--alter", "--add-config", "a=b"], [
      "plain",
      "an entity name must be specified with --alter of topics",
    ]],
    [[...B, "--entity-type", "brokers", "--alter", "--add-config", "a=b"], [
      "plain",
      "an entity-name or default entity must be specified with --alter of users, clients, brokers or ips",
    ]],
    [[...B, "--topic", "t", "--alter"], [
      "plain",
      "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter",
    ]],
    [[...B, "--topic", "t", "--alter", "--add-config", "a=b", "--add-config-file", "/dev/null"], [
      "plain",
      "Only one of --add-config or --add-config-file must be specified",
    ]],
    [[...B, "--topic", "t", "--entity-type", "topics", "--describe"], [
      "plain",
      "Duplicate entity type(s) specified: topics",
    ]],
    [[...B, "--entity-type", "topics", "--entity-type", "brokers", "--describe"], [
      "plain",
      "Only 'users' and 'clients' entity types may be specified together",
    ]],
    [[...B, "--describe"], ["plain", "At least one entity type must be specified"]],
    [[...B, "--broker", "x", "--describe"], [
      "plain",
      "The entity name for brokers must be a valid integer broker id, but it is: x",
    ]],
    [[...B, "--entity-type", "broker-loggers", "--describe"], [
      "plain",
      "an entity name must be specified with --describe of broker-loggers",
    ]],
    [["--zookeeper", "z:2181", "--topic", "t", "--describe", "--all"], [
      "plain",
      "--bootstrap-server must be specified for --all",
    ]],
    [[...B, "--entity-type", "topics", "--topic", "t", "--describe"], [
      "plain",
      "Duplicate entity type(s) specified: topics",
    ]],
    [[...B, "--entity-name", "u", "--user", "v", "--entity-type", "clients", "--describe"], [
      "plain",
      "--entity-{type,name,default} should not be used in conjunction with specific entity flags",
    ]],
    [[...B, "--topic", "t", "--describe", "--foo"], ["option", "foo is not a recognized option"]],
    [[...B, "--topic", "t", "--describe"], undefined],
    [[...B, "--user-defaults", "--client", "c", "--alter", "--delete-config", "x"], undefined],
  ];
  for (const [args, want] of cases) assert.deepEqual(refusal(args), want, args.join(" "));
});
