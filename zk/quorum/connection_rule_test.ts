import assert from "node:assert/strict";
import { acceptorAction, initiatorAction } from "./connection_rule.ts";

// quorum-protocol.md §1.4; 05-cluster-n1.server.log:114 shows server 1 dropping its connection
// to 2 ("Have smaller server identifier"), and the reverse connection from 2 being kept.
Deno.test("the higher sid's connection survives", () => {
  assert.equal(initiatorAction(1, 2), "drop");
  assert.equal(initiatorAction(2, 1), "keep");
  assert.equal(acceptorAction(2, 1), "dropAndDialBack");
  assert.equal(acceptorAction(1, 2), "keep");
  assert.equal(acceptorAction(1, -3), "dropAndDialBack"); // an unlisted observer's stand-in sid
  assert.equal(acceptorAction(2, 2), "refuseOwnSid");
});
