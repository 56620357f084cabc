// node-zookeeper-client (npm, installed by install.sh under HERD_NPM_PREFIX)
// against a ZooKeeper server.
//
// Usage: node node_client_scenario.cjs HOST:PORT
//
// Prints one JSON object per check, like kazoo_scenario.py: `value` must be
// identical on herd and Apache, `detail` may differ. Expects a fresh server.
"use strict";

const prefix = process.env.HERD_NPM_PREFIX ||
  `${process.env.HOME || "/root"}/.cache/herd/npm`;
const zookeeper = require(`${prefix}/node_modules/node-zookeeper-client`);
const { ACL, CreateMode, Exception, Id, Permission } = zookeeper;

const HOSTS = process.argv[2];
const BASE = "/node";
const WAIT_MS = 10000;
const USER_DIGEST = "user:2Om+GBbT2q/tS6pdvACZbbm7/1A="; // user:pw

class Fail extends Error {}

function must(cond, message) {
  if (!cond) throw new Fail(message);
}

function connect(auth) {
  return new Promise((resolve, reject) => {
    const client = zookeeper.createClient(HOSTS, { sessionTimeout: 10000, retries: 0 });
    const timer = setTimeout(() => reject(new Fail("connect timed out")), 15000);
    client.once("connected", () => {
      clearTimeout(timer);
      resolve(client);
    });
    if (auth) client.addAuthInfo("digest", Buffer.from(auth));
    client.connect();
  });
}

// Promise wrappers: resolve with the callback's values, reject with the Exception.
const call = (client, method, ...args) =>
  new Promise((resolve, reject) => {
    client[method](...args, (error, ...values) => error ? reject(error) : resolve(values));
  });

const commit = (tx) =>
  new Promise((resolve) => tx.commit((error, results) => resolve({ error, results })));

/** The exception name an operation failed with; fails if it succeeded. */
async function failsWith(name, promise) {
  try {
    await promise;
  } catch (e) {
    must(e instanceof Exception, `expected ${name}, got ${e}`);
    must(e.getName() === name, `expected ${name}, got ${e.getName()}`);
    return e.getName();
  }
  throw new Fail(`expected ${name}, it succeeded`);
}

/** A one-shot watcher whose event can be awaited. */
function watcher() {
  let fire;
  const fired = new Promise((resolve) => (fire = resolve));
  const events = [];
  const fn = (event) => {
    events.push(`${event.getName()} ${event.getPath()}`);
    fire();
  };
  fn.next = () =>
    Promise.race([fired, new Promise((r) => setTimeout(r, WAIT_MS))]).then(() => [...events]);
  fn.events = events;
  return fn;
}

const statView = (stat) => ({
  version: stat.version,
  cversion: stat.cversion,
  aversion: stat.aversion,
  dataLength: stat.dataLength,
  numChildren: stat.numChildren,
});

let zk;
const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check("create_get_set", async () => {
  const p = `${BASE}/crud`;
  const [path] = await call(zk, "create", p, Buffer.from("hello"), CreateMode.PERSISTENT);
  must(path === p, `create returned ${path}`);
  const [data, stat] = await call(zk, "getData", p);
  must(data.toString() === "hello" && stat.version === 0, "getData after create");
  const [stat1] = await call(zk, "setData", p, Buffer.from("world"), 0);
  must(stat1.version === 1, `setData version ${stat1.version}`);
  const [data2, stat2] = await call(zk, "getData", p);
  must(data2.toString() === "world", "getData after setData");
  const badVersion = await failsWith("BAD_VERSION", call(zk, "setData", p, Buffer.from("x"), 0));
  return { created: statView(stat), updated: statView(stat2), badVersion };
});

check("exists_and_remove", async () => {
  const p = `${BASE}/crud`;
  const [stat] = await call(zk, "exists", p);
  must(stat && stat.version === 1, "exists stat");
  const badVersion = await failsWith("BAD_VERSION", call(zk, "remove", p, 0));
  await call(zk, "remove", p, 1);
  const [gone] = await call(zk, "exists", p);
  must(gone === null, "exists after remove");
  return {
    badVersion,
    removeMissing: await failsWith("NO_NODE", call(zk, "remove", p, -1)),
    getMissing: await failsWith("NO_NODE", call(zk, "getData", p)),
    createTwice: await failsWith(
      "NODE_EXISTS",
      call(zk, "create", BASE, Buffer.alloc(0), CreateMode.PERSISTENT),
    ),
  };
});

check("children_watch", async () => {
  const parent = `${BASE}/kids`;
  await call(zk, "create", parent, Buffer.from("p"), CreateMode.PERSISTENT);
  for (const name of ["b", "a"]) {
    await call(zk, "create", `${parent}/${name}`, Buffer.from(name), CreateMode.PERSISTENT);
  }
  const w = watcher();
  const [children, stat] = await call(zk, "getChildren", parent, w);
  await call(zk, "create", `${parent}/c`, Buffer.alloc(0), CreateMode.PERSISTENT);
  const events = await w.next();
  const notEmpty = await failsWith("NOT_EMPTY", call(zk, "remove", parent, -1));
  return { children: children.sort(), stat: statView(stat), events, notEmpty };
});

check("data_and_exists_watch", async () => {
  const p = `${BASE}/watched`;
  const created = watcher();
  const [none] = await call(zk, "exists", p, created);
  must(none === null, "node exists already");
  await call(zk, "create", p, Buffer.from("0"), CreateMode.PERSISTENT);
  const changed = watcher();
  await call(zk, "getData", p, changed);
  await call(zk, "setData", p, Buffer.from("1"), -1);
  const deleted = watcher();
  await call(zk, "exists", p, deleted);
  const changedEvents = await changed.next();
  await call(zk, "remove", p, -1);
  return {
    created: await created.next(),
    changed: changedEvents,
    deleted: await deleted.next(),
  };
});

check("sequential_and_ephemeral", async () => {
  const parent = `${BASE}/seq`;
  await call(zk, "create", parent, Buffer.alloc(0), CreateMode.PERSISTENT);
  const names = [];
  for (const mode of [CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL]) {
    const [path] = await call(zk, "create", `${parent}/n-`, Buffer.alloc(0), mode);
    names.push(path.slice(parent.length + 1));
  }
  const [eph] = await call(zk, "create", `${parent}/e`, Buffer.alloc(0), CreateMode.EPHEMERAL);
  const [, stat] = await call(zk, "getData", eph);
  must(stat.ephemeralOwner.equals(zk.getSessionId()), "ephemeralOwner is not our session");
  const child = await failsWith(
    "NO_CHILDREN_FOR_EPHEMERALS",
    call(zk, "create", `${eph}/c`, Buffer.alloc(0), CreateMode.PERSISTENT),
  );
  return { names, child };
});

check("transaction", async () => {
  const base = `${BASE}/tx`;
  const ok = await commit(
    zk.transaction()
      .create(base, Buffer.from("t"))
      .create(`${base}/a`, Buffer.from("1"))
      .setData(`${base}/a`, Buffer.from("2"), 0)
      .check(`${base}/a`, 1)
      .remove(`${base}/a`, 1),
  );
  must(!ok.error, `transaction failed: ${ok.error}`);
  const failed = await commit(
    zk.transaction()
      .create(`${base}/b`, Buffer.alloc(0))
      .check(`${base}/missing`, 0)
      .create(`${base}/c`, Buffer.alloc(0)),
  );
  must(failed.error && failed.error.getName() === "NO_NODE", `error ${failed.error}`);
  const [b] = await call(zk, "exists", `${base}/b`);
  must(b === null, "b survived a failed transaction");
  return {
    ok: ok.results.map((r) => r.path ?? (r.stat ? { version: r.stat.version } : r.type)),
    failed: failed.results.map((r) => r.err),
  };
});

check("acl_digest", async () => {
  const p = `${BASE}/secret`;
  const acl = [new ACL(Permission.ALL, new Id("digest", USER_DIGEST))];
  await call(zk, "create", p, Buffer.from("s"), acl, CreateMode.PERSISTENT);
  const outsider = await failsWith("NO_AUTH", call(zk, "getData", p));
  const insider = await connect("user:pw");
  try {
    const [data] = await call(insider, "getData", p);
    const [acls] = await call(insider, "getACL", p);
    return {
      outsider,
      insider: data.toString(),
      acl: acls.map((a) => [a.permission, a.id.scheme, a.id.id]),
    };
  } finally {
    insider.close();
  }
});

check("close_removes_ephemeral", async () => {
  const p = `${BASE}/closing`;
  const other = await connect();
  await call(other, "create", p, Buffer.alloc(0), CreateMode.EPHEMERAL);
  const deleted = watcher();
  const [stat] = await call(zk, "exists", p, deleted);
  must(stat !== null, "ephemeral missing");
  other.close();
  const events = await deleted.next();
  const [gone] = await call(zk, "exists", p);
  must(gone === null, "ephemeral survived its session's close");
  return events;
});

check("mkdirp", async () => {
  // (The library's removeRecursive walks the tree with async.reduce over an
  // array it grows, which the async release npm picks does not revisit; so
  // the tree is removed bottom-up by hand.)
  const [path] = await call(zk, "mkdirp", `${BASE}/deep/a/b`, Buffer.from("x"));
  const [data] = await call(zk, "getData", path);
  for (const p of [`${BASE}/deep/a/b`, `${BASE}/deep/a`, `${BASE}/deep`]) {
    await call(zk, "remove", p, -1);
  }
  const [gone] = await call(zk, "exists", `${BASE}/deep`);
  must(gone === null, "the tree is still there");
  return { path, data: data.toString() };
});

async function main() {
  try {
    zk = await connect();
    await call(zk, "create", BASE, Buffer.alloc(0), CreateMode.PERSISTENT);
  } catch (e) {
    console.log(JSON.stringify({ check: "connect", ok: false, error: String(e) }));
    return 1;
  }
  let failures = 0;
  for (const { name, fn } of checks) {
    const row = { check: name };
    try {
      row.value = await fn();
      row.ok = true;
    } catch (e) {
      failures++;
      row.ok = false;
      row.error = String(e);
      if (!(e instanceof Fail)) row.trace = e && e.stack;
    }
    console.log(JSON.stringify(row));
  }
  console.log(JSON.stringify({ check: "_done", ok: true, value: checks.length }));
  zk.close();
  return failures ? 1 : 0;
}

main().then((code) => {
  // The client keeps timers alive; leave once the output is flushed.
  process.exitCode = code;
  setTimeout(() => process.exit(code), 100);
});
