import assert from "node:assert/strict";
import { kafkaLayout, Logger, logTimestamp, zookeeperLayout } from "./log.ts";

Deno.test("stdoutSink: lines come out whole and in order, long and non-ASCII ones too, flushed at exit", async () => {
  const long = "x".repeat(200_000);
  const script = `
    import { Logger } from ${JSON.stringify(new URL("./log.ts", import.meta.url).href)};
    const log = new Logger("7");
    for (let i = 0; i < 3000; i++) log.info("main:Test@1", "line " + i + " 配额 ✓");
    log.warn("main:Test@2", "x".repeat(200_000));
    setTimeout(() => {
      log.error("main:Test@3", "last, before exit");
      Deno.exit(0);
    }, 5);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(out.code, 0);
  const lines = new TextDecoder().decode(out.stdout).split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 3002);
  for (let i = 0; i < 3000; i++) {
    assert.match(
      lines[i],
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d [\\d:]+,\\d{3} \\[myid:7\\] - INFO  \\[main:Test@1\\] - line ${i} 配额 ✓$`,
      ),
    );
  }
  assert.ok(lines[3000].endsWith(`[main:Test@2] - ${long}`));
  assert.ok(lines[3001].endsWith("[main:Test@3] - last, before exit"));
});

Deno.test("Logger: ZooKeeper's layout by default, Kafka's when given, both with the level filter", () => {
  const lines: string[] = [];
  const sink = (line: string) => void lines.push(line);
  const zk = new Logger("3", "INFO", sink);
  zk.warn("main:QuorumPeerConfig@174", "hello");
  const kafka = new Logger("3", "INFO", sink, kafkaLayout);
  kafka.log("DEBUG", "kafka.server.KafkaServer", "dropped: below INFO");
  kafka.info("kafka.server.KafkaServer", "[KafkaServer id=0] started");
  kafka.warn("kafka.log.LogManager", "a 配额 ✓");
  const stamp = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`;
  assert.equal(lines.length, 3);
  assert.match(
    lines[0],
    new RegExp(`^${stamp} \\[myid:3\\] - WARN  \\[main:QuorumPeerConfig@174\\] - hello$`),
  );
  // Kafka 2.8's config/log4j.properties: [%d] %p %m (%c)%n — no padding, no myid.
  assert.match(
    lines[1],
    new RegExp(
      `^\\[${stamp}\\] INFO \\[KafkaServer id=0\\] started \\(kafka\\.server\\.KafkaServer\\)$`,
    ),
  );
  assert.match(
    lines[2],
    new RegExp(`^\\[${stamp}\\] WARN a 配额 ✓ \\(kafka\\.log\\.LogManager\\)$`),
  );
});

Deno.test("layouts: fixed stamp, exact bytes", () => {
  const stamp = logTimestamp(new Date(2026, 11, 7, 23, 5, 30, 853));
  assert.equal(stamp, "2026-12-07 23:05:30,853");
  assert.equal(
    kafkaLayout(stamp, "ERROR", "kafka.server.KafkaApis", "boom", "9"),
    "[2026-12-07 23:05:30,853] ERROR boom (kafka.server.KafkaApis)",
  );
  assert.equal(
    zookeeperLayout(stamp, "INFO", "main:ZooKeeperServer@260", "x", ""),
    "2026-12-07 23:05:30,853 [myid:] - INFO  [main:ZooKeeperServer@260] - x",
  );
});
