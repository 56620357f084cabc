import assert from "node:assert/strict";
import { encodeQuorumPacket, PacketType, QuorumStreamError } from "./quorum_packet.ts";
import { LearnerStreamDecoder } from "./learner_stream.ts";

Deno.test("LearnerStreamDecoder: packets split anywhere come out whole, in order", () => {
  const a = encodeQuorumPacket({ type: PacketType.ACK, zxid: 7, data: null, authinfo: null });
  const b = encodeQuorumPacket({
    type: PacketType.PING,
    zxid: 9,
    data: new Uint8Array(12),
    authinfo: [{ scheme: "digest", id: "u:x" }],
  });
  const all = new Uint8Array([...a, ...b]);
  for (let cut = 0; cut <= all.length; cut++) {
    const d = new LearnerStreamDecoder();
    const got = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
    assert.deepEqual(got.map((p) => [p.type, p.zxid]), [[3, 7], [5, 9]]);
  }
});

Deno.test("LearnerStreamDecoder: an impossible length is an error, not a wait", () => {
  const bad = new Uint8Array([0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0, 0, 0]);
  assert.throws(() => new LearnerStreamDecoder().push(bad), QuorumStreamError);
});
