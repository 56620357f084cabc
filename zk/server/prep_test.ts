import assert from "node:assert/strict";
import { DataTree } from "../tree/data_tree.ts";
import { ChangeView } from "./changes.ts";
import { prepare, type PrepContext, PrepStage } from "./prep.ts";
import { CreateMode, OpCode } from "../jute/opcodes.ts";
import { Err } from "../jute/errors.ts";
import { OPEN_ACL_UNSAFE } from "../jute/records.ts";
import type { Request } from "../jute/requests.ts";
import type { TxnEntry } from "../tree/txn.ts";
import { digestOf } from "../tree/acl.ts";

const acl = [...OPEN_ACL_UNSAFE];

function harness(opts: Partial<PrepContext> = {}) {
  const tree = new DataTree();
  const view = new ChangeView(tree);
  const ctx: PrepContext = {
    view,
    extendedTypesEnabled: false,
    reconfigEnabled: false,
    skipACL: false,
    ...opts,
  };
  let zxid = 0;
  const pending: TxnEntry[] = [];
  const caller = { sessionId: 0x99n, authInfo: [{ scheme: "ip", id: "127.0.0.1" }] };
  const prep = (req: Request, who = caller) => {
    const e = prepare(ctx, who, 1, ++zxid, 1000, req);
    pending.push(e);
    return e;
  };
  const commit = () => {
    for (const e of pending.splice(0)) {
      tree.apply(e.hdr, e.txn);
      view.applied(e.hdr.zxid);
    }
  };
  const create = (path: string, flags = 0, data = "", a = acl): Request => ({
    type: OpCode.create,
    path,
    data: new TextEncoder().encode(data),
    acl: a,
    flags,
    ttl: -1,
  });
  return { tree, view, prep, commit, create, caller };
}

function errOf(e: TxnEntry): number {
  return e.txn.type === OpCode.error ? e.txn.err : Err.OK;
}

Deno.test("prep sees outstanding changes: create /a then /a/b before either is applied", () => {
  const h = harness();
  const a = h.prep(h.create("/a"));
  const b = h.prep(h.create("/a/b"));
  assert.equal(errOf(a), Err.OK);
  assert.equal(errOf(b), Err.OK);
  assert.equal(errOf(h.prep(h.create("/a"))), Err.NODEEXISTS);
  h.commit();
  assert.ok(h.tree.get("/a/b"));
  assert.equal(h.view.size, 0, "applied changes are forgotten");
});

Deno.test("sequential suffix comes from the parent's stored cversion", () => {
  const h = harness();
  h.prep(h.create("/s"));
  const e = h.prep(h.create("/s1", CreateMode.PERSISTENT_SEQUENTIAL));
  assert.equal(e.txn.type === OpCode.create && e.txn.path, "/s10000000001");
  const e2 = h.prep(h.create("/s1", CreateMode.PERSISTENT_SEQUENTIAL));
  assert.equal(e2.txn.type === OpCode.create && e2.txn.path, "/s10000000002");
  h.commit();
  const child = h.prep(h.create("/s/n", CreateMode.PERSISTENT_SEQUENTIAL));
  assert.equal(child.txn.type === OpCode.create && child.txn.path, "/s/n0000000000");
});

Deno.test("failed writes become error txns that still consume a zxid", () => {
  const h = harness();
  const e = h.prep(h.create("/missing/child"));
  assert.equal(e.hdr.type, OpCode.error);
  assert.equal(errOf(e), Err.NONODE);
  assert.equal(e.hdr.zxid, 1);
});

Deno.test("versions, emptiness, ephemeral parents and special paths", () => {
  const h = harness();
  h.prep(h.create("/v", 0, "x"));
  h.prep(h.create("/v/c"));
  h.prep(h.create("/eph", CreateMode.EPHEMERAL));
  h.commit();
  assert.equal(
    errOf(h.prep({ type: OpCode.setData, path: "/v", data: null, version: 3 })),
    Err.BADVERSION,
  );
  const ok = h.prep({ type: OpCode.setData, path: "/v", data: null, version: 0 });
  assert.equal(ok.txn.type === OpCode.setData && ok.txn.version, 1);
  assert.equal(errOf(h.prep({ type: OpCode.delete, path: "/v", version: -1 })), Err.NOTEMPTY);
  assert.equal(errOf(h.prep(h.create("/eph/x"))), Err.NOCHILDRENFOREPHEMERALS);
  assert.equal(
    errOf(h.prep({ type: OpCode.delete, path: "/zookeeper", version: -1 })),
    Err.BADARGUMENTS,
  );
  assert.equal(errOf(h.prep(h.create("/bad\u0001"))), Err.BADARGUMENTS);
  // Like Apache, the parent is looked up before the path is validated.
  assert.equal(errOf(h.prep(h.create("/bad//path"))), Err.NONODE);
  assert.equal(errOf(h.prep(h.create("/ttl", CreateMode.PERSISTENT_WITH_TTL))), Err.BADARGUMENTS);
});

Deno.test("a failed multi rolls back its earlier sub-ops' pending changes", () => {
  const h = harness();
  const e = h.prep({
    type: OpCode.multi,
    ops: [h.create("/m1"), { type: OpCode.delete, path: "/nope", version: -1 }, h.create("/m2")],
  });
  assert.ok(e.txn.type === OpCode.multi);
  assert.deepEqual(
    e.txn.txns.map((t) => t.type === OpCode.error ? t.err : t.type),
    [OpCode.create, Err.NONODE, Err.RUNTIMEINCONSISTENCY],
  );
  // /m1 was rolled back: creating it now succeeds.
  assert.equal(errOf(h.prep(h.create("/m1"))), Err.OK);
});

Deno.test("ACLs: NOAUTH without the right id, digest auth and 'auth' expansion", () => {
  const h = harness();
  const alice = { sessionId: 1n, authInfo: [{ scheme: "digest", id: digestOf("alice:pw") }] };
  const creator = [{ perms: 31, id: { scheme: "auth", id: "" } }];
  const e = h.prep(h.create("/secret", 0, "", creator), alice);
  assert.ok(e.txn.type === OpCode.create);
  assert.deepEqual(e.txn.acl, [{ perms: 31, id: { scheme: "digest", id: digestOf("alice:pw") } }]);
  h.commit();
  assert.equal(
    errOf(h.prep({ type: OpCode.setData, path: "/secret", data: null, version: -1 })),
    Err.NOAUTH,
  );
  assert.equal(
    errOf(h.prep({ type: OpCode.setData, path: "/secret", data: null, version: -1 }, alice)),
    Err.OK,
  );
  // "auth" with no authenticated id is an invalid ACL.
  assert.equal(errOf(h.prep(h.create("/x", 0, "", creator))), Err.INVALIDACL);
  assert.equal(
    errOf(h.prep(h.create("/y", 0, "", [{ perms: 31, id: { scheme: "digest", id: "nocolon" } }]))),
    Err.INVALIDACL,
  );
});

Deno.test("closeSession collects the session's ephemerals, including pending ones", () => {
  const h = harness();
  h.prep(h.create("/e1", CreateMode.EPHEMERAL));
  h.commit();
  h.prep(h.create("/e2", CreateMode.EPHEMERAL));
  const e = h.prep({ type: OpCode.closeSession });
  assert.ok(e.txn.type === OpCode.closeSession);
  assert.deepEqual(e.txn.paths2Delete, ["/e1", "/e2"]);
  h.commit();
  assert.equal(h.tree.get("/e2"), undefined);
});

Deno.test("digest ids are Apache's base64(sha1(user:password))", () => {
  // From the reference capture: super:superpw → super:g9oN2HttPfn8MMWJZ2r45Np/LIA=
  assert.equal(digestOf("super:superpw"), "super:g9oN2HttPfn8MMWJZ2r45Np/LIA=");
});

Deno.test("PrepStage: every txn, failed or not, takes the next zxid from the tree's last", () => {
  const tree = new DataTree();
  const ctx: PrepContext = {
    view: new ChangeView(tree),
    extendedTypesEnabled: false,
    reconfigEnabled: false,
    skipACL: false,
  };
  const stage = new PrepStage(ctx, 0x500000007);
  const caller = { sessionId: 0x42n, authInfo: [] };
  const session = stage.createSession(0x42n, 30000, 1234);
  assert.deepEqual(session, {
    hdr: { clientId: 0x42n, cxid: 0, zxid: 0x500000008, time: 1234, type: OpCode.createSession },
    txn: { type: OpCode.createSession, timeOut: 30000 },
  });
  const noNode = stage.request(caller, 3, 1235, { type: OpCode.delete, path: "/x", version: -1 });
  assert.equal(noNode.hdr.zxid, 0x500000009);
  assert.deepEqual(noNode.txn, { type: OpCode.error, err: Err.NONODE });
  const garbled = stage.marshallingError(0x42n, 4, 1236);
  assert.deepEqual(garbled, {
    hdr: { clientId: 0x42n, cxid: 4, zxid: 0x50000000a, time: 1236, type: OpCode.error },
    txn: { type: OpCode.error, err: Err.MARSHALLINGERROR },
  });
  assert.equal(stage.lastZxid, 0x50000000a);
});
