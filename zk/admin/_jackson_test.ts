import assert from "node:assert/strict";
import { jacksonJson } from "./_jackson.ts";
import { JavaDouble } from "../fourletter/mod.ts";

Deno.test("jacksonJson lays out objects, arrays and nesting as Jackson does", () => {
  const text = jacksonJson({
    connections: [{ remote_socket_address: "127.0.0.1:56010", session_id: 72058217997008896n }],
    secure_connections: [],
    expiry: new Map([["9554000", []], ["9556000", [72058217997008896n]]]),
    empty: {},
    stats: { avg_latency: new JavaDouble(0), min: 0, nested: { x: -1 } },
    command: "connections",
    error: null,
  });
  assert.equal(
    text,
    `{
  "connections" : [ {
    "remote_socket_address" : "127.0.0.1:56010",
    "session_id" : 72058217997008896
  } ],
  "secure_connections" : [ ],
  "expiry" : {
    "9554000" : [ ],
    "9556000" : [ 72058217997008896 ]
  },
  "empty" : { },
  "stats" : {
    "avg_latency" : 0.0,
    "min" : 0,
    "nested" : {
      "x" : -1
    }
  },
  "command" : "connections",
  "error" : null
}`,
  );
});

Deno.test("jacksonJson escapes strings as Jackson does", () => {
  assert.equal(jacksonJson('a"b\\c\nd\u0001/é'), '"a\\"b\\\\c\\nd\\u0001/é"');
  assert.equal(jacksonJson([4.8571, 1e-4, true]), "[ 4.8571, 1.0E-4, true ]");
});
