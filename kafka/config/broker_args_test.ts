/**
 * kafka-server-start.sh's arguments. Expected messages recorded by running Apache Kafka 2.8.2's
 * `java kafka.Kafka …` (libs in ~/.cache/herd/kafka-2.8.2) with the same arguments: each exited 1.
 */
import assert from "node:assert/strict";
import { OPTION_HELP, parseBrokerArgs } from "./broker_args.ts";

Deno.test("broker args: -daemon, file, overrides applied in order", () => {
  assert.deepEqual(
    parseBrokerArgs(
      ["-daemon", "config/server.properties", "--override", "broker.id=2", "--override=a=b=c"],
      { KAFKA_HEAP_OPTS: "-Xmx256M", KAFKA_OPTS: "-Dfoo=bar" },
    ),
    {
      kind: "start",
      daemon: true,
      file: "config/server.properties",
      overrides: [{ key: "broker.id", value: "2" }, { key: "a", value: "b=c" }],
      heapOpts: "-Xmx256M",
      kafkaOpts: "-Dfoo=bar",
    },
  );
  const plain = parseBrokerArgs(["s.properties", "--override", "novalue"], {});
  assert.equal(plain.kind, "start");
  if (plain.kind === "start") {
    assert.equal(plain.daemon, false);
    assert.equal(plain.heapOpts, "-Xmx1G -Xms1G");
    // Apache accepted `--override novalue` and started: an empty value.
    assert.deepEqual(plain.overrides, [{ key: "novalue", value: "" }]);
  }
});

Deno.test("broker args: Apache's usage and errors", () => {
  assert.deepEqual(parseBrokerArgs([], {}), {
    kind: "usage",
    message:
      "USAGE: kafka-server-start.sh [-daemon] server.properties [--override property=value]*",
    exitCode: 1,
  });
  assert.deepEqual(parseBrokerArgs(["-daemon"], {}), {
    kind: "usage",
    message:
      `USAGE: java [options] kafka.Kafka server.properties [--override property=value]*\n${OPTION_HELP}`,
    exitCode: 1,
  });
  assert.deepEqual(parseBrokerArgs(["s.properties", "foo", "bar"], {}), {
    kind: "usage",
    message: `Found non argument parameters: foo,bar\n${OPTION_HELP}`,
    exitCode: 1,
  });
  assert.deepEqual(parseBrokerArgs(["s.properties", "--override"], {}), {
    kind: "usage",
    message: "Option override requires an argument",
    exitCode: 1,
  });
  assert.deepEqual(parseBrokerArgs(["--version"], {}), { kind: "version" });
});
