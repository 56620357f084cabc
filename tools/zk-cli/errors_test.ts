import assert from "node:assert/strict";
import { Err, type InvalidPathError, validatePath, ZkError } from "../../zk/client/mod.ts";
import {
  CliError,
  crashOnNumber,
  JavaCrash,
  keeperMessage,
  toCliError,
  wrapperMessage,
} from "./errors.ts";
import { parseJavaInt } from "./java.ts";

Deno.test("keeperMessage: KeeperException's text", () => {
  assert.equal(keeperMessage(Err.NOWATCHER, "/w"), "KeeperErrorCode = No such watcher for /w");
  assert.equal(keeperMessage(Err.CONNECTIONLOSS, "/"), "KeeperErrorCode = ConnectionLoss for /");
  assert.equal(keeperMessage(Err.INVALIDACL), "KeeperErrorCode = InvalidACL");
  assert.equal(keeperMessage(Err.RECONFIGDISABLED), "KeeperErrorCode = Reconfig is disabled");
  assert.equal(keeperMessage(Err.NOTEMPTY, "/a"), "KeeperErrorCode = Directory not empty for /a");
});

Deno.test("wrapperMessage: CliWrapperException's friendlier texts", () => {
  const m = (code: number, path?: string) => wrapperMessage(new ZkError(code, path));
  assert.equal(m(Err.NONODE, "/nihao"), "Node does not exist: /nihao");
  assert.equal(m(Err.NODEEXISTS, "/a"), "Node already exists: /a");
  assert.equal(m(Err.NOTEMPTY, "/a"), "Node not empty: /a");
  assert.equal(m(Err.NOCHILDRENFOREPHEMERALS, "/e/c"), "Ephemerals cannot have children: /e/c");
  assert.equal(m(Err.BADVERSION, "/a"), "version No is not valid : /a");
  assert.equal(m(Err.NOAUTH, "/a"), "Insufficient permission : /a");
  assert.equal(m(Err.QUOTAEXCEEDED, "/hq"), "Quota has exceeded : /hq");
  assert.equal(m(Err.INVALIDACL), "Acl is not valid : null");
  assert.equal(m(Err.BADARGUMENTS, "/a"), "Arguments are not valid : /a");
  assert.equal(m(Err.SESSIONEXPIRED, "/a"), "KeeperErrorCode = Session expired for /a");
});

Deno.test("toCliError: paths as PathUtils words them, crashes pass through", () => {
  const pathError = (p: string) => {
    try {
      validatePath(p);
    } catch (e) {
      return toCliError(e as InvalidPathError).message;
    }
    return "";
  };
  assert.equal(pathError("zookeeper"), "Path must start with / character");
  assert.equal(pathError("/a/"), "Path must not end with / character");
  assert.equal(
    pathError("/a//b"),
    'Invalid path string "/a//b" caused by empty node name specified @3',
  );
  assert.equal(toCliError(new CliError("x", 127)).exitCode, 127);
  assert.throws(() => toCliError(new TypeError("bug")), TypeError);
  assert.throws(() => crashOnNumber(() => parseJavaInt("abc")), (e: unknown) => {
    assert.ok(e instanceof JavaCrash);
    assert.equal(
      e.line,
      'Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"',
    );
    return true;
  });
});
