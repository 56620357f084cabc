/**
 * Apache Curator 5.x recipes (from Maven Central via
 * `conformance/apache/fetch.sh`; scenario sources in
 * `conformance/apache/curator/`) on the ZooKeeper target: InterProcessMutex
 * with contending clients in two processes, LeaderLatch failing over when the
 * leader's JVM is killed and its session expires, the seed's service registry
 * with curator-x-discovery, and CuratorCache seeing every change under a path.
 * The server checks containers every second (`znode.container.checkIntervalMs`)
 * so the containers Curator leaves behind are reaped within the test. The
 * trees are normalised and compared with Apache ZooKeeper 3.8.0's
 * (`conformance/apache/expected/curator-znodes.txt`, and the other target's
 * with `HERD_ZK_TARGET=both`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { startTarget, type TargetKind, targets } from "./_target.ts";
import { curatorCommand, fetchedGate, runOk, waitFor } from "./_kafka_env.ts";
import { CuratorProcess } from "./_curator_process.ts";
import {
  assertSameTree,
  type Blank,
  dumpTree,
  expectedTree,
  normalise,
  treeLines,
  type ZNode,
} from "./_kafka_znodes.ts";

const trees = new Map<TargetKind, string[]>();
const gates = new Map(
  targets().map((kind) => [kind, fetchedGate(kind, [], ["curator"], "curator")]),
);

/** The latch's session: short, so the killed leader's session expires within seconds. */
const LATCH_SESSION_MS = 6000;

/**
 * Wait until one of `procs` leads, judging each by its latest leadership
 * event; two leading at once fails at once.
 */
async function oneLeader(procs: CuratorProcess[], what: string): Promise<CuratorProcess> {
  const deadline = Date.now() + 60_000;
  while (true) {
    const leading = procs.filter((p) => {
      const last = p.events.filter((e) => e.event === "leader" || e.event === "notLeader").at(-1);
      return last?.event === "leader";
    });
    if (leading.length > 1) throw new Error(`two leaders at once: ${leading.map((p) => p.name)}`);
    if (leading.length === 1) return leading[0];
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Curator's protected names carry a random UUID: `_c_<uuid>-latch-0000000001`. */
function renamePath(path: string): string {
  return path.replace(/\/_c_[0-9a-f-]{36}-/, "/_c_<uuid>-");
}

function curatorBlank(path: string): Blank | undefined {
  if (/^\/services\/[^/]+\/[^/]+$/.test(path)) {
    return (keys, v) => keys.join(".") === "registrationTimeUTC" ? "<time>" : v;
  }
  return undefined;
}

/** Normalised lines for a dump; latch participants' ids are blanked (who got which node is a race). */
function curatorLines(nodes: ZNode[], prefix = ""): string[] {
  return treeLines(normalise(nodes, curatorBlank, renamePath)).map((line) =>
    prefix + line.replace(/(-latch-\d{10} ephemeral )"p\d"$/, '$1"<participant>"')
  );
}

async function scenario(args: string[]): Promise<Record<string, unknown>[]> {
  const { cmd, args: full } = curatorCommand(args);
  const r = await runOk(cmd, full, { timeoutMs: 60_000 });
  return r.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

for (const [kind, gate] of gates) {
  Deno.test({
    name: `[${kind}] Curator: InterProcessMutex, LeaderLatch, ServiceDiscovery, CuratorCache`,
    ignore: gate.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
  }, async (t) => {
    gate.check();
    const zk = await startTarget(kind, { jvmFlags: ["-Dznode.container.checkIntervalMs=1000"] });
    const cs = zk.connectString;
    const lines: string[] = [];
    let allPassed = true;
    const step = async (name: string, fn: () => Promise<void>, afterTheOthers = false) => {
      if (afterTheOthers && !allPassed) {
        // The tree comparison needs every scenario's znodes; after a failure it would only add noise.
        console.log(`[${kind}] skipping "${name}": an earlier Curator step failed (see above)`);
        await t.step({ name, ignore: true, fn: () => {} });
        return;
      }
      allPassed = (await t.step(name, fn)) && allPassed;
    };
    try {
      await step(
        "InterProcessMutex: two processes × 3 clients contend",
        async () => {
          const runs = await Promise.all(
            ["p1", "p2"].map((label) =>
              scenario(["mutex", cs, "/herd-curator/mutex", "3", "10", label])
            ),
          );
          for (const [row] of runs) {
            assert.equal(row.step, "mutex");
            assert.equal(row.acquired, 30, JSON.stringify(row));
            assert.deepEqual(row.violations, [], "mutual exclusion held");
          }
          const [counter] = await dumpTree(cs, "/herd-curator/mutex/counter");
          assert.equal(atob(counter.data ?? ""), "60", "no increment was lost");
        },
      );

      await step(
        "LeaderLatch: the leader's session dies, another takes over",
        async () => {
          const ids = ["p1", "p2", "p3"];
          const procs = ids.map((id) =>
            new CuratorProcess(id, [
              "latch",
              cs,
              "/herd-curator/latch",
              id,
              String(LATCH_SESSION_MS),
            ])
          );
          try {
            await Promise.all(
              procs.map((p) => p.waitForEvent((e) => e.event === "started", "start")),
            );
            const leader = await oneLeader(procs, "one leader");
            const during = await dumpTree(cs, "/herd-curator/latch");
            assert.equal(during.length, 4, "the latch node and three participants");
            lines.push(...curatorLines(during, "@latch "));

            await leader.kill9();
            const rest = procs.filter((p) => p !== leader);
            const next = await oneLeader(rest, "a new leader after the session expired");
            for (const p of rest) {
              await p.send("participants");
              const e = await p.waitForEvent((e) => e.event === "participants", "participants");
              assert.equal(e.count, 2, `${p.name}: the dead leader's node is gone`);
              assert.equal(e.leader, next.name, `${p.name} agrees on the leader`);
            }
            for (const p of rest) {
              const status = await p.finish();
              assert.equal(status.code, 0, await p.stderr());
              assert.ok(p.events.some((e) => e.event === "closed"));
            }
          } finally {
            await Promise.all(procs.map((p) => p.kill9()));
          }
        },
      );

      await step(
        "ServiceDiscovery: register, query, unregister, go offline",
        async () => {
          const rows = await scenario(["discovery", cs, "/services"]);
          const step = (name: string) => rows.find((r) => r.step === name);
          assert.deepEqual(step("registered"), {
            step: "registered",
            names: ["api", "web"],
            web: ["web-1", "web-2"],
            api: ["api-1"],
            "web-1": "web web-1 127.0.0.1:8081 web server one weight=1",
            cache: ["web-1", "web-2"],
          });
          assert.deepEqual(step("provider"), {
            step: "provider",
            picks: ["web-1", "web-1", "web-2", "web-2"],
          }, "round robin over both instances");
          assert.deepEqual(step("unregistered"), {
            step: "unregistered",
            web: ["web-2"],
            cache: ["web-2"],
            provider: ["web-2"],
          });
          assert.deepEqual(step("offline"), {
            step: "offline",
            web: [],
            api: [],
            cache: [],
            cacheChanges: true,
          });
          const tree = step("tree")?.nodes as ZNode[];
          lines.push(...curatorLines(tree, "@discovery "));
        },
      );

      await step(
        "CuratorCache: every change under the path, in order",
        async () => {
          const [row] = await scenario(["cache", cs, "/herd-curator/cache"]);
          const base = "/herd-curator/cache";
          const ev = (type: string, path: string, data: string | null, old: string | null) => ({
            type,
            path: base + path,
            data,
            old,
          });
          assert.deepEqual(row.initial, [
            ev("NODE_CREATED", "", "start", null),
            ev("NODE_CREATED", "/existing", "e", null),
          ]);
          assert.deepEqual(row.events, [
            ev("NODE_CREATED", "/a", "1", null),
            ev("NODE_CREATED", "/a/b", "2", null),
            ev("NODE_CHANGED", "/a", "3", "1"),
            ev("NODE_CREATED", "/seq-0000000002", "s", null),
            ev("NODE_CHANGED", "/a/b", "2", "2"),
            ev("NODE_DELETED", "/a/b", null, "2"),
            ev("NODE_DELETED", "/a", null, "3"),
            ev("NODE_CHANGED", "", "root", "start"),
            ev("NODE_CREATED", "/session", "x", null),
            ev("NODE_DELETED", "/session", null, "x"),
          ]);
          assert.equal(row.size, 3);
        },
      );

      await step("the znode tree agrees with Apache ZooKeeper's", async () => {
        // Curator made its parents as containers; once empty the server reaps them.
        const final = await waitFor(
          "empty containers to be reaped",
          async () => {
            const nodes = await dumpTree(cs);
            const paths = nodes.map((n) => n.path);
            const reaped = !paths.includes("/services") && !paths.includes("/herd-curator/latch") &&
              !paths.includes("/herd-curator/mutex/lock");
            return reaped ? nodes : undefined;
          },
          30_000,
          1000,
        );
        lines.push(...curatorLines(final));
        trees.set(kind, lines);
        const expected = await expectedTree("curator-znodes", kind, lines);
        assert.ok(expected, "conformance/apache/expected/curator-znodes.txt is missing");
        assertSameTree("Curator", kind, lines, "Apache 3.8.0 (expected)", expected);
      }, true);
    } finally {
      if (!allPassed) {
        console.log(
          `[${kind}] ZooKeeper server output (tail):\n${
            zk.logs().split("\n").slice(-60).join("\n")
          }`,
        );
      }
      await zk.stop();
    }
    assert.ok(allPassed, "a step failed; see above");
  });
}

if (gates.size === 2) {
  const ignore = [...gates.values()].some((g) => g.ignore);
  Deno.test({ name: "[herd vs apache] Curator's znode trees agree", ignore }, () => {
    const herd = trees.get("herd");
    const apache = trees.get("apache");
    if (!herd || !apache) throw new Error("a Curator run did not reach its tree; see above");
    assertSameTree("Curator", "herd", herd, "apache", apache);
  });
}
