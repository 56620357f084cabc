/**
 * `--add-config`/`--delete-config` as ConfigCommand 2.8.2 splits them, the entity text of its
 * messages, and the exception lines main prints, no JVM. Expected values are what Apache's tool
 * printed (or stored) for the same input.
 */
import assert from "node:assert/strict";
import { configsToBeAdded, configsToBeDeleted, parseAddConfig } from "./add_config.ts";
import { parseConfigOptions } from "./options.ts";
import { configEntityText, fullSanitizedName, parseEntity } from "./entity.ts";
import { ConfigCommandError, executionError } from "./errors.ts";
import { scramUpsertion, zkScramCredential } from "./scram.ts";

Deno.test("--add-config: commas inside brackets stay, brackets go, spaces around = go", () => {
  assert.deepEqual(
    [...parseAddConfig("retention.ms=1000,cleanup.policy=[compact,delete]")],
    [["retention.ms", "1000"], ["cleanup.policy", "compact,delete"]],
  );
  assert.deepEqual(
    [...parseAddConfig("SCRAM-SHA-256=[iterations=8192,password=a=b,c]")],
    [["SCRAM-SHA-256", "iterations=8192,password=a=b,c"]],
  );
  assert.deepEqual([...parseAddConfig(" a = 1 ,b=")], [["a", "1"], ["b", ""]]);
  // A trailing comma is dropped (Java's split), a later key wins.
  assert.deepEqual([...parseAddConfig("a=1,a=2,")], [["a", "2"]]);
  for (const bad of ["retention.ms", "a=1,b", "a=b=c", ""]) {
    assert.throws(() => parseAddConfig(bad), (e: unknown) => {
      assert.ok(e instanceof ConfigCommandError && e.plain);
      assert.equal(
        e.message,
        'requirement failed: Invalid entity config: all configs to be added must be in the format "key=val".',
      );
      return true;
    }, bad);
  }
});

Deno.test("the configs come out in java.util.Properties order; message.format.version warns", () => {
  const o = parseConfigOptions([
    "--add-config",
    "retention.ms=1000,max.message.bytes=2000,message.format.version=2.0",
  ]);
  const { configs, warning } = configsToBeAdded(o);
  // Apache's tool stored {"message.format.version":"2.0","max.message.bytes":"2000",
  // "retention.ms":"1000"} for this --add-config (--zookeeper, read back with zkCli).
  assert.deepEqual([...configs.keys()], [
    "message.format.version",
    "max.message.bytes",
    "retention.ms",
  ]);
  assert.equal(
    warning,
    "WARNING: The configuration message.format.version=2.0 is specified. This configuration will be ignored if the version is newer than the inter.broker.protocol.version specified in the broker.\n",
  );
});

Deno.test("--add-config-file reads Properties; a missing file is NoSuchFileException", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/c.properties`, "# c\nretention.ms = 5\nsegment.ms:6\n");
    const o = parseConfigOptions(["--add-config-file", `${dir}/c.properties`]);
    const read = [...configsToBeAdded(o).configs];
    assert.deepEqual(read, [["retention.ms", "5"], ["segment.ms", "6"]]);
    const missing = parseConfigOptions(["--add-config-file", `${dir}/nope`]);
    assert.throws(() => configsToBeAdded(missing), (e: unknown) => {
      assert.ok(e instanceof ConfigCommandError && !e.plain);
      assert.equal(e.trace(), `java.nio.file.NoSuchFileException: ${dir}/nope\n`);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--delete-config splits at commas as joptsimple does", () => {
  const o = parseConfigOptions(["--delete-config", "a, b,,c", "--delete-config", "d"]);
  assert.deepEqual(configsToBeDeleted(o), ["a", "b", "c", "d"]);
});

Deno.test("entities: paths and texts as ConfigCommand's ConfigEntity", () => {
  const e = (args: string[]) => parseEntity(parseConfigOptions([...args, "--describe"]));
  const user = e(["--entity-type", "clients", "--entity-name", "c 1", "--user", "x"]);
  assert.deepEqual(user, e(["--user", "x", "--client", "c 1"]));
  const both = e(["--user", "us@er", "--client", "c 1"]);
  assert.equal(fullSanitizedName(both), "us%40er/clients/c%201");
  assert.equal(configEntityText(both), "user-principal 'us@er', client-id 'c 1'");
  assert.equal(configEntityText(e(["--broker-defaults"])), "default brokers");
  assert.equal(configEntityText(e(["--broker", "1"])), "brokers '1'");
  assert.equal(configEntityText(e(["--topic", "t"])), "topic 't'");
  assert.equal(
    configEntityText(e(["--user-defaults", "--client-defaults"])),
    "default user-principal, default client-id",
  );
  assert.equal(configEntityText(e(["--entity-type", "users"])), "users");
});

Deno.test("exceptions print as printStackTrace's first lines", () => {
  assert.equal(
    executionError("org.apache.kafka.common.errors.UnknownTopicOrPartitionException", "").trace(),
    "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: \n" +
      "Caused by: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: \n",
  );
});

Deno.test("SCRAM credentials: Apache's layout, its checks and messages", () => {
  const stored = zkScramCredential("SCRAM-SHA-256", "iterations=8192,password=secret");
  assert.match(
    stored,
    /^salt=[A-Za-z0-9+/=]+,stored_key=[A-Za-z0-9+/=]{44},server_key=[A-Za-z0-9+/=]{44},iterations=8192$/,
  );
  assert.match(zkScramCredential("SCRAM-SHA-512", "password=x"), /,iterations=4096$/);
  assert.throws(
    () => zkScramCredential("SCRAM-SHA-256", "iterations=100,password=x"),
    { message: "Iterations 100 is less than the minimum 4096 required for SCRAM_SHA_256" },
  );
  assert.throws(
    () => zkScramCredential("SCRAM-SHA-256", "pass=x"),
    { message: "Invalid credential property SCRAM_SHA_256=pass=x" },
  );
  const u = scramUpsertion("SCRAM-SHA-512", "iterations=-1,password=x");
  assert.equal(u.iterations, 4096);
  assert.equal(u.saltedPassword.length, 64);
  // ScramFormatter's salt: a 130-bit number in base 36, as text.
  assert.match(new TextDecoder().decode(u.salt), /^[0-9a-z]{1,26}$/);
});
