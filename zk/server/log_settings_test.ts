import assert from "node:assert/strict";
import { parseFileSize, readLogSettings } from "./log_settings.ts";

const read = (env: Record<string, string>) => readLogSettings((k) => env[k], "node1");

Deno.test("log settings: Apache's defaults are INFO to CONSOLE, 256MB × 20 files", () => {
  const s = read({ USER: "zk" });
  assert.deepEqual(s, {
    rootLevel: "INFO",
    console: "INFO",
    rollingFile: null,
    file: "./zookeeper-zk-server-node1.log",
    maxFileSize: 256 * 1024 * 1024,
    maxBackupIndex: 20,
    warnings: [],
  });
});

Deno.test("log settings: the seed's ZOO_LOG4J_PROP and ZOO_LOG_DIR", () => {
  const s = read({ USER: "root", ZOO_LOG4J_PROP: "INFO,ROLLINGFILE", ZOO_LOG_DIR: "/data/log4j" });
  assert.equal(s.rootLevel, "INFO");
  assert.equal(s.console, null, "ROLLINGFILE instead of CONSOLE: nothing on stdout");
  assert.equal(s.rollingFile, "INFO");
  assert.equal(s.file, "/data/log4j/zookeeper-root-server-node1.log");
  const both = read({ ZOO_LOG4J_PROP: " debug , CONSOLE, ROLLINGFILE", ZOO_LOG_FILE: "zk.log" });
  assert.deepEqual([both.rootLevel, both.console, both.rollingFile], ["DEBUG", "INFO", "INFO"]);
  assert.equal(both.file, "./zk.log");
});

Deno.test("log settings: -D flags in SERVER_JVMFLAGS/JVMFLAGS win over the variables", () => {
  const s = read({
    ZOO_LOG4J_PROP: "INFO,CONSOLE",
    ZOO_LOG_DIR: "/var/log/zk",
    SERVER_JVMFLAGS: "-Xmx1g -Dzookeeper.root.logger=WARN,ROLLINGFILE " +
      "-Dzookeeper.log.maxfilesize=10MB -Dzookeeper.log.threshold=ERROR",
    JVMFLAGS: "-Dzookeeper.log.dir=/srv/zk/logs -Dzookeeper.log.file=server.log " +
      "-Dzookeeper.log.maxbackupindex=5",
  });
  assert.deepEqual(
    [s.rootLevel, s.console, s.rollingFile, s.file, s.maxFileSize, s.maxBackupIndex],
    ["WARN", null, "ERROR", "/srv/zk/logs/server.log", 10 * 1024 * 1024, 5],
  );
  assert.deepEqual(s.warnings, []);
});

Deno.test("log settings: values not understood are named, with what is used instead", () => {
  const s = read({
    ZOO_LOG4J_PROP: "LOUD,TRACEFILE",
    SERVER_JVMFLAGS: "-Dzookeeper.log.maxfilesize=ten -Dzookeeper.log.maxbackupindex=-1 " +
      "-Dzookeeper.console.threshold=chatty",
  });
  assert.equal(s.rootLevel, "INFO");
  assert.equal(s.console, "INFO");
  assert.equal(s.maxFileSize, 256 * 1024 * 1024);
  assert.equal(s.maxBackupIndex, 20);
  assert.deepEqual(s.warnings, [
    'ZOO_LOG4J_PROP: "LOUD" is not a level (ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF); using INFO',
    'ZOO_LOG4J_PROP: "TRACEFILE" is not an appender herd has (CONSOLE, ROLLINGFILE)',
    'ZOO_LOG4J_PROP: "LOUD,TRACEFILE" names no appender herd has; logging to CONSOLE',
    '-Dzookeeper.console.threshold: "chatty" is not a level (ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF); using INFO',
    '-Dzookeeper.log.maxfilesize: "ten" is not a size (like 10MB); using 256MB',
    '-Dzookeeper.log.maxbackupindex: "-1" is not a count of files; using 20',
  ]);
});

Deno.test("log settings: sizes as log4j and logback write them", () => {
  assert.equal(parseFileSize("10MB"), 10 * 1024 * 1024);
  assert.equal(parseFileSize("512kb"), 512 * 1024);
  assert.equal(parseFileSize("1GB"), 1024 ** 3);
  assert.equal(parseFileSize("2 MBs"), 2 * 1024 * 1024);
  assert.equal(parseFileSize("4096"), 4096);
  assert.equal(parseFileSize("1.5MB"), undefined);
  assert.equal(parseFileSize("MB"), undefined);
});

/** Runs `body` in a fresh process (logging is process-wide), returning its stdout and stderr. */
async function inProcess(body: string): Promise<{ out: string; err: string }> {
  const mod = (f: string) => JSON.stringify(new URL(f, import.meta.url).href);
  const script = `
    import { Logger } from ${mod("../../internal/log.ts")};
    import { configureLogging } from ${mod("./log_settings.ts")};
    ${body}
  `;
  const r = await new Deno.Command(Deno.execPath(), { args: ["eval", "--ext=ts", script] })
    .output();
  const d = new TextDecoder();
  assert.equal(r.code, 0, d.decode(r.stderr));
  return { out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

const levelsOf = (text: string) =>
  text.split("\n").filter((l) => l !== "").map((l) => /\] - (\w+) +\[/.exec(l)?.[1]);

Deno.test("log settings: the root level and each appender's threshold filter what goes where", async () => {
  const dir = await Deno.makeTempDir({ prefix: "herd-log-levels-" });
  try {
    const { out } = await inProcess(`
      configureLogging({
        rootLevel: "INFO", console: "WARN", rollingFile: "DEBUG", file: ${
      JSON.stringify(`${dir}/zk.log`)
    },
        maxFileSize: 1 << 20, maxBackupIndex: 2, warnings: [],
      });
      const log = new Logger();
      for (const level of ["DEBUG", "INFO", "WARN", "ERROR"]) log.log(level, "main:Levels", level);
    `);
    assert.deepEqual(levelsOf(out), ["WARN", "ERROR"], "CONSOLE at its WARN threshold");
    assert.deepEqual(
      levelsOf(await Deno.readTextFile(`${dir}/zk.log`)),
      ["INFO", "WARN", "ERROR"],
      "ROLLINGFILE takes DEBUG, but the root level stops it first",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("log settings: a log file that cannot be opened is reported, and CONSOLE gets its lines", async () => {
  const { out, err } = await inProcess(`
    const { warnings } = configureLogging({
      rootLevel: "INFO", console: null, rollingFile: "INFO", file: "/proc/herd-no/zk.log",
      maxFileSize: 1 << 20, maxBackupIndex: 2, warnings: [],
    });
    console.error(warnings.join("\\n"));
    new Logger().info("main:Fallback", "still seen");
  `);
  assert.match(
    err,
    /^cannot open the log file \/proc\/herd-no\/zk\.log: .*; logging to CONSOLE instead\n$/,
  );
  assert.match(out, / - INFO {2}\[main:Fallback\] - still seen\n$/);
});
