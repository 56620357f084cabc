import assert from "node:assert/strict";
import type { Stat } from "../../zk/client/mod.ts";
import { parseAcl } from "./acl_parser.ts";
import { aclText, eventString, javaList, permString, statLines, watcherText } from "./format.ts";

Deno.test("statLines: StatPrinter's block (TZ=UTC for the dates)", () => {
  const stat: Stat = {
    czxid: 0x12,
    mzxid: 0x14,
    ctime: 0,
    mtime: Date.UTC(2026, 10, 24, 23, 17, 30),
    version: 2,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0x100003ed9260000n,
    dataLength: 7,
    numChildren: 0,
    pzxid: 0x12,
  };
  const lines = statLines(stat);
  assert.equal(lines.length, 11);
  assert.equal(lines[0], "cZxid = 0x12");
  assert.equal(lines[2], "mZxid = 0x14");
  assert.equal(lines[5], "cversion = 0");
  assert.equal(lines[6], "dataVersion = 2");
  assert.equal(lines[8], "ephemeralOwner = 0x100003ed9260000");
  assert.equal(lines[10], "numChildren = 0");
  if (Intl.DateTimeFormat().resolvedOptions().timeZone.match(/^(UTC|Etc\/UTC)$/)) {
    assert.equal(lines[1], "ctime = Thu Jan 01 00:00:00 UTC 1970");
    assert.equal(lines[3], "mtime = Tue Nov 24 23:17:30 UTC 2026");
  }
});

Deno.test("ACL text: jute's CSV form of the Id, then the permission letters", () => {
  assert.equal(
    aclText({ perms: 31, id: { scheme: "world", id: "anyone" } }),
    "'world,'anyone\n: cdrwa",
  );
  assert.equal(
    aclText({ perms: 0, id: { scheme: "ip", id: "10.0.0.0/8" } }),
    "'ip,'10.0.0.0/8\n: ",
  );
  assert.equal(
    aclText({ perms: 1, id: { scheme: "x", id: "a,b}%\n" } }),
    "'x,'a%2Cb%7D%25%0A\n: r",
  );
  assert.equal(permString(2 | 4 | 8 | 16), "cdwa");
});

Deno.test("parseAcl: AclParser's rules and complaints", () => {
  const errs: string[] = [];
  const acl = parseAcl(
    "world:anyone:r,digest:user:2Om+GBbT2q/tS6pdvACZbbm7/1A=:cdrwa,foo,ip:1.2.3.4:xw",
    (l) => errs.push(l),
  );
  assert.deepEqual(acl, [
    { perms: 1, id: { scheme: "world", id: "anyone" } },
    { perms: 31, id: { scheme: "digest", id: "user:2Om+GBbT2q/tS6pdvACZbbm7/1A=" } },
    { perms: 2, id: { scheme: "ip", id: "1.2.3.4" } },
  ]);
  assert.deepEqual(errs, ["foo does not have the form scheme:id:perm", "Unknown perm type: x"]);
  assert.deepEqual(parseAcl("world:anyone", (l) => errs.push(l)), []);
  assert.equal(errs.at(-1), "world:anyone does not have the form scheme:id:perm");
});

Deno.test("events and lists as Java prints them", () => {
  assert.equal(
    eventString({ type: -1, state: 3, path: null }),
    "WatchedEvent state:SyncConnected type:None path:null",
  );
  assert.equal(
    eventString({ type: 4, state: 3, path: "/w" }),
    "WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/w",
  );
  assert.equal(
    watcherText({ type: -1, state: 7, path: null }),
    "\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n",
  );
  assert.equal(javaList([]), "[]");
  assert.equal(javaList(["a", "b"]), "[a, b]");
});
