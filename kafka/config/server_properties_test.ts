/**
 * server.properties read as Apache Kafka 2.8.2 reads it. Every expectation here was recorded on
 * this machine from Apache's own classes (~/.cache/herd/kafka-2.8.2/libs): the defaults and
 * validators by printing `KafkaConfig.configDef().configKeys()`, the messages and resolved values
 * by `KafkaConfig.fromProps(props, false)` on the same properties.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../internal/config_error.ts";
import { BROKER_CONFIGS } from "./broker_config_defs.ts";
import { parseServerProperties, parseZkConnect } from "./server_properties.ts";

const ZK = "zookeeper.connect=localhost:2181\n";
const parse = (text: string, overrides: { key: string; value: string }[] = []) =>
  parseServerProperties(text, "server.properties", overrides);

/** The error Kafka gives, with the file and line herd adds. */
function refuses(text: string, message: string, key?: string) {
  assert.throws(() => parse(text), (e: Error) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.message, message);
    if (key !== undefined) assert.equal(e.key, key);
    return true;
  });
}

Deno.test("server.properties: the seed's file (conformance/apache/config) parses as Kafka's", () => {
  // conformance/apache/config/server.properties's keys, with the seed's values.
  const text = [
    "broker.id=0",
    "num.network.threads=3",
    "num.io.threads=8",
    "socket.send.buffer.bytes=102400",
    "socket.receive.buffer.bytes=102400",
    "socket.request.max.bytes=104857600",
    "log.dirs=/tmp/kafka-logs",
    "num.partitions=1",
    "num.recovery.threads.per.data.dir=1",
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "log.retention.hours=168",
    "log.segment.bytes=1073741824",
    "default.replication.factor=2",
    "log.retention.check.interval.ms=300000",
    "zookeeper.connect=localhost:2181",
    "zookeeper.connection.timeout.ms=18000",
    "group.initial.rebalance.delay.ms=0",
    "listeners=PLAINTEXT://192.168.8.12:9092",
  ].join("\n");
  const { config, warnings } = parse(text);
  assert.deepEqual(warnings, []);
  assert.equal(config.brokerId, 0);
  assert.deepEqual(config.logDirs, ["/tmp/kafka-logs"]);
  assert.equal(config.values.get("default.replication.factor"), 2);
  assert.equal(config.values.get("offsets.topic.replication.factor"), 1);
  assert.equal(config.values.get("group.initial.rebalance.delay.ms"), 0);
  assert.equal(config.logRetentionMs, 604800000);
  assert.deepEqual(config.listeners, [
    { listenerName: "PLAINTEXT", securityProtocol: "PLAINTEXT", host: "192.168.8.12", port: 9092 },
  ]);
  assert.deepEqual(config.advertisedListeners, config.listeners);
  assert.equal(config.zookeeperConnectionTimeoutMs, 18000);
  assert.ok(config.explicit.has("broker.id"));
  assert.ok(!config.explicit.has("message.max.bytes"));
});

Deno.test("server.properties: defaults as KafkaConfig.configDef() printed them", () => {
  const { config } = parse(ZK);
  const expected: Record<string, string | null> = {
    "broker.id": "-1",
    "listeners": null,
    "listener.security.protocol.map":
      "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
    "log.dir": "/tmp/kafka-logs",
    "num.partitions": "1",
    "default.replication.factor": "1",
    "auto.create.topics.enable": "true",
    "delete.topic.enable": "true",
    "log.retention.hours": "168",
    "log.retention.minutes": null,
    "log.retention.ms": null,
    "log.retention.bytes": "-1",
    "log.segment.bytes": "1073741824",
    "log.roll.hours": "168",
    "log.retention.check.interval.ms": "300000",
    "log.index.interval.bytes": "4096",
    "log.index.size.max.bytes": "10485760",
    "log.flush.interval.messages": "9223372036854775807",
    "log.flush.interval.ms": null,
    "message.max.bytes": "1048588",
    "log.message.timestamp.type": "CreateTime",
    "compression.type": "producer",
    "min.insync.replicas": "1",
    "offsets.topic.num.partitions": "50",
    "offsets.topic.replication.factor": "3",
    "offsets.retention.minutes": "10080",
    "transaction.state.log.num.partitions": "50",
    "transaction.state.log.replication.factor": "3",
    "transaction.state.log.min.isr": "2",
    "transaction.state.log.segment.bytes": "104857600",
    "group.initial.rebalance.delay.ms": "3000",
    "group.min.session.timeout.ms": "6000",
    "group.max.session.timeout.ms": "1800000",
    "zookeeper.connection.timeout.ms": null,
    "zookeeper.session.timeout.ms": "18000",
    "num.network.threads": "3",
    "num.io.threads": "8",
    "socket.send.buffer.bytes": "102400",
    "socket.receive.buffer.bytes": "102400",
    "socket.request.max.bytes": "104857600",
    "num.recovery.threads.per.data.dir": "1",
    "unclean.leader.election.enable": "false",
    "broker.rack": null,
    "inter.broker.protocol.version": "2.8-IV1",
    "log.message.format.version": "2.8-IV1",
  };
  for (const [key, value] of Object.entries(expected)) {
    assert.equal(config.raw.get(key), value, key);
  }
  // Resolved as KafkaConfig resolved them for a file with only zookeeper.connect.
  assert.equal(config.brokerId, -1);
  assert.deepEqual(config.logDirs, ["/tmp/kafka-logs"]);
  assert.deepEqual(config.listeners, [
    { listenerName: "PLAINTEXT", securityProtocol: "PLAINTEXT", host: "", port: 9092 },
  ]);
  assert.deepEqual(config.advertisedListeners, config.listeners);
  assert.equal(config.logRetentionMs, 604800000);
  assert.equal(config.logRollMs, 604800000);
  assert.equal(config.zookeeperConnectionTimeoutMs, 18000);
  assert.equal(config.raw.get("log.flush.scheduler.interval.ms"), "9223372036854775807");
  assert.equal(config.values.get("auto.create.topics.enable"), true);
});

Deno.test("server.properties: ranges as KafkaConfig declares them", () => {
  const atLeast: Record<string, number> = {
    "num.partitions": 1,
    "log.segment.bytes": 14,
    "log.roll.hours": 1,
    "log.retention.check.interval.ms": 1,
    "log.index.interval.bytes": 0,
    "log.index.size.max.bytes": 4,
    "log.flush.interval.messages": 1,
    "message.max.bytes": 0,
    "min.insync.replicas": 1,
    "offsets.topic.num.partitions": 1,
    "offsets.topic.replication.factor": 1,
    "offsets.retention.minutes": 1,
    "transaction.state.log.min.isr": 1,
    "num.network.threads": 1,
    "num.io.threads": 1,
    "socket.request.max.bytes": 1,
    "num.recovery.threads.per.data.dir": 1,
  };
  for (const [key, min] of Object.entries(atLeast)) {
    assert.equal(BROKER_CONFIGS.get(key)?.atLeast, min, key);
    refuses(
      `${ZK}${key}=${min - 1}\n`,
      `server.properties line 2: Invalid value ${
        min - 1
      } for configuration ${key}: Value must be at least ${min}`,
      key,
    );
  }
});

Deno.test("server.properties: Kafka's messages for bad values, with file and line", () => {
  refuses(
    `${ZK}num.partitions=abc\n`,
    "server.properties line 2: Invalid value abc for configuration num.partitions: Not a number of type INT",
    "num.partitions",
  );
  refuses(
    `${ZK}\n\nnum.partitions=99999999999\n`,
    "server.properties line 4: Invalid value 99999999999 for configuration num.partitions: Not a number of type INT",
  );
  refuses(
    `${ZK}auto.create.topics.enable=yes\n`,
    "server.properties line 2: Invalid value yes for configuration auto.create.topics.enable: Expected value to be either true or false",
  );
  refuses(
    `${ZK}log.message.timestamp.type=Foo\n`,
    "server.properties line 2: Invalid value Foo for configuration log.message.timestamp.type: String must be one of: CreateTime, LogAppendTime",
  );
  refuses(
    `${ZK}log.retention.bytes=1.5\n`,
    "server.properties line 2: Invalid value 1.5 for configuration log.retention.bytes: Not a number of type LONG",
  );
  refuses(
    `${ZK}offsets.topic.replication.factor=70000\n`,
    "server.properties line 2: Invalid value 70000 for configuration offsets.topic.replication.factor: Not a number of type SHORT",
  );
  refuses(
    `${ZK}log.cleanup.policy=foo\n`,
    "server.properties line 2: Invalid value foo for configuration log.cleanup.policy: String must be one of: compact, delete",
  );
  refuses(
    `${ZK}log.cleaner.min.cleanable.ratio=abc\n`,
    "server.properties line 2: Invalid value abc for configuration log.cleaner.min.cleanable.ratio: Not a number of type DOUBLE",
  );
  refuses(
    `${ZK}inter.broker.protocol.version=9.9\n`,
    "server.properties line 2: Invalid value 9.9 for configuration inter.broker.protocol.version: Version `9.9` is not a valid version",
  );
  refuses(
    `${ZK}compression.type=foo\n`,
    "server.properties line 2: requirement failed: compression.type : foo is not valid. Valid options are uncompressed,zstd,lz4,snappy,gzip,producer",
  );
  refuses(
    `${ZK}log.retention.ms=0\n`,
    "server.properties line 2: requirement failed: log.retention.ms must be unlimited (-1) or, greater than or equal to 1",
  );
  refuses(
    `${ZK}listeners=FOO://:9093\n`,
    "server.properties line 2: Error creating broker listeners from 'FOO://:9093': No security protocol defined for listener FOO",
  );
  refuses(
    "broker.id=0\n",
    "server.properties: Missing required configuration `zookeeper.connect` which has no default value.",
    "zookeeper.connect",
  );
});

Deno.test("server.properties: an --override error names the override", () => {
  assert.throws(
    () => parse(ZK, [{ key: "num.partitions", value: "x" }]),
    (e: Error) =>
      e.message ===
        "--override num.partitions: Invalid value x for configuration num.partitions: Not a number of type INT",
  );
});

Deno.test("server.properties: precedence as KafkaConfig (ms > minutes > hours, dirs > dir)", () => {
  // Recorded: minutes=5,hours=1 → 300000; ms=7,minutes=5 → 7; roll.hours=2 → 7200000.
  assert.equal(
    parse(`${ZK}log.retention.minutes=5\nlog.retention.hours=1\n`).config.logRetentionMs,
    300000,
  );
  assert.equal(
    parse(`${ZK}log.retention.ms=7\nlog.retention.minutes=5\n`).config.logRetentionMs,
    7,
  );
  assert.equal(parse(`${ZK}log.retention.ms=-1\n`).config.logRetentionMs, -1);
  assert.equal(parse(`${ZK}log.roll.hours=2\n`).config.logRollMs, 7200000);
  assert.equal(parse(`${ZK}log.roll.ms=5\nlog.roll.hours=2\n`).config.logRollMs, 5);
  assert.deepEqual(parse(`${ZK}log.dirs=/a,/b\nlog.dir=/c\n`).config.logDirs, ["/a", "/b"]);
  assert.deepEqual(parse(`${ZK}log.dir=/c\n`).config.logDirs, ["/c"]);
  const adv = parse(`${ZK}listeners=PLAINTEXT://:9093\nadvertised.listeners=PLAINTEXT://h:1\n`);
  assert.equal(adv.config.listeners[0].port, 9093);
  assert.deepEqual(adv.config.advertisedListeners, [
    { listenerName: "PLAINTEXT", securityProtocol: "PLAINTEXT", host: "h", port: 1 },
  ]);
  // zookeeper.connection.timeout.ms falls back to the session timeout (recorded: 7000).
  assert.equal(
    parse(`${ZK}zookeeper.session.timeout.ms=7000\n`).config.zookeeperConnectionTimeoutMs,
    7000,
  );
  // Values are trimmed (recorded: "num.partitions= 3 " is accepted as 3); last duplicate wins.
  assert.equal(parse(`${ZK}num.partitions= 3 \n`).config.values.get("num.partitions"), 3);
  assert.equal(
    parse(`${ZK}num.partitions=2\nnum.partitions=4\n`).config.values.get("num.partitions"),
    4,
  );
  // --override applies after the file.
  const o = parse(`${ZK}broker.id=1\n`, [{ key: "broker.id", value: "7" }]);
  assert.equal(o.config.brokerId, 7);
});

Deno.test("server.properties: unknown keys are warnings with Kafka's words, not errors", () => {
  const { config, warnings } = parse(`${ZK}foo.bar=1\nbroker.id=3\n`, [{ key: "x.y", value: "" }]);
  assert.equal(config.brokerId, 3);
  assert.deepEqual(warnings, [
    "The configuration 'foo.bar' was supplied but isn't a known config.",
    "The configuration 'x.y' was supplied but isn't a known config.",
  ]);
});

Deno.test("zookeeper.connect: hosts and chroot", () => {
  assert.deepEqual(parseZkConnect("a:2181,b:2182/kafka/prod"), {
    connect: "a:2181,b:2182/kafka/prod",
    hosts: [{ host: "a", port: 2181 }, { host: "b", port: 2182 }],
    chroot: "/kafka/prod",
  });
  assert.equal(parseZkConnect("localhost:2181").chroot, "/");
  assert.equal(parseZkConnect("localhost:2181/kafka/").chroot, "/kafka");
  assert.equal(parse("zookeeper.connect=h:1/k\n").config.zookeeper.chroot, "/k");
});

Deno.test("server.properties: KafkaConfig's requirements, recorded messages", () => {
  const req = (line: string, message: string) =>
    refuses(`${ZK}${line}\n`, `server.properties line 2: requirement failed: ${message}`);
  req(
    "broker.id=1001",
    "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id",
  );
  req(
    "broker.id=-2",
    "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id",
  );
  req(
    "advertised.listeners=PLAINTEXT://0.0.0.0:9092",
    "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.",
  );
  req(
    "listeners=PLAINTEXT://:1,PLAINTEXT://:2",
    "Each listener must have a different name, listeners: PLAINTEXT://:1,PLAINTEXT://:2",
  );
  req(
    "listeners=PLAINTEXT://:1,SSL://:1",
    "Each listener must have a different port, listeners: PLAINTEXT://:1,SSL://:1",
  );
  req(
    "listeners=SSL://:2",
    "inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are SSL",
  );
  req("log.roll.ms=0", "log.roll.ms must be greater than or equal to 1");
  req(
    "inter.broker.protocol.version=0.10.0",
    "log.message.format.version 2.8-IV1 can only be used when inter.broker.protocol.version is set to version 0.11.0 or higher",
  );
  refuses(
    `${ZK}inter.broker.protocol.version=0.9.0\nlog.message.format.version=0.10.0-IV0\n`,
    "server.properties line 3: requirement failed: log.message.format.version 0.10.0-IV0 can only be used when inter.broker.protocol.version is set to version 0.10.0 or higher",
  );
  refuses(
    `${ZK}listeners=bogus\n`,
    "server.properties line 2: Error creating broker listeners from 'bogus': Unable to parse bogus to a broker endpoint",
  );
});

Deno.test("server.properties: protocol versions resolve as ApiVersion.apply", () => {
  // Recorded: accepted 2.8, 2.8.2, 2.8.foo, 1.0; refused 2.8-IV9, 0.10, 2, 2.9, 3.0, "".
  for (const v of ["2.8", "2.8.2", "2.8.foo"]) {
    assert.equal(
      parse(`${ZK}inter.broker.protocol.version=${v}\n`).config.interBrokerProtocolVersion,
      "2.8-IV1",
      v,
    );
  }
  assert.equal(
    parse(`${ZK}inter.broker.protocol.version=1.0\n`).config.interBrokerProtocolVersion,
    "1.0-IV0",
  );
  for (const v of ["2.8-IV9", "0.10", "2", "2.9", "3.0", ""]) {
    refuses(
      `${ZK}inter.broker.protocol.version=${v}\n`,
      `server.properties line 2: Invalid value ${v} for configuration inter.broker.protocol.version: Version \`${v}\` is not a valid version`,
    );
  }
  // lowercase listener names are Kafka's too (recorded: plaintext://:9093 → PLAINTEXT).
  assert.equal(
    parse(`${ZK}listeners=plaintext://:9093\n`).config.listeners[0].listenerName,
    "PLAINTEXT",
  );
});
