import assert from "node:assert/strict";
import { ErrorCode } from "../protocol/error_codes.ts";
import { ProducerIdManager } from "../txn/producer_id_manager.ts";
import type { RequestContext } from "./handler.ts";
import { initProducerIdHandler } from "./22_init_producer_id.ts";

const ctx = { apiVersion: 4 } as RequestContext;

function manager(): ProducerIdManager {
  let n = 0n;
  return new ProducerIdManager(() => {
    const b = { start: n, end: n + 999n };
    n += 1000n;
    return Promise.resolve(b);
  });
}

Deno.test("InitProducerId without a transactional id: the next producer id, epoch 0", async () => {
  const h = initProducerIdHandler(manager());
  const req = { transactionalId: null, transactionTimeoutMs: 60_000 };
  assert.deepEqual(await h(req, ctx), {
    throttleTimeMs: 0,
    errorCode: 0,
    producerId: 0,
    producerEpoch: 0,
  });
  assert.deepEqual(await h(req, ctx), {
    throttleTimeMs: 0,
    errorCode: 0,
    producerId: 1,
    producerEpoch: 0,
  });
  // v3+: an idempotent producer re-initialising with its id and epoch gets a new id all the same.
  assert.deepEqual(await h({ ...req, producerId: 1, producerEpoch: 0 }, ctx), {
    throttleTimeMs: 0,
    errorCode: 0,
    producerId: 2,
    producerEpoch: 0,
  });
});

Deno.test("InitProducerId: an id without an epoch (or the reverse) is INVALID_REQUEST", async () => {
  const h = initProducerIdHandler(manager());
  for (const [producerId, producerEpoch] of [[5, -1], [-1, 3]]) {
    assert.deepEqual(
      await h({ transactionalId: null, transactionTimeoutMs: 1, producerId, producerEpoch }, ctx),
      {
        throttleTimeMs: 0,
        errorCode: ErrorCode.INVALID_REQUEST,
        producerId: -1,
        producerEpoch: -1,
      },
    );
  }
});

Deno.test("InitProducerId with a transactional id goes to the coordinator, if there is one", async () => {
  const none = initProducerIdHandler(manager());
  const req = { transactionalId: "t1", transactionTimeoutMs: 60_000 };
  assert.deepEqual(await none(req, ctx), {
    throttleTimeMs: 0,
    errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
    producerId: -1,
    producerEpoch: -1,
  });
  const seen: unknown[] = [];
  const withTxn = initProducerIdHandler(manager(), (r, given) => {
    seen.push([r.transactionalId, given]);
    return Promise.resolve({ errorCode: 0, producerId: 7, producerEpoch: 3 });
  });
  assert.deepEqual(await withTxn({ ...req, producerId: 7, producerEpoch: 2 }, ctx), {
    throttleTimeMs: 0,
    errorCode: 0,
    producerId: 7,
    producerEpoch: 3,
  });
  assert.deepEqual(seen, [["t1", { producerId: 7, producerEpoch: 2 }]]);
});

Deno.test("InitProducerId when ids cannot be claimed: UNKNOWN_SERVER_ERROR, not a dropped connection", async () => {
  const h = initProducerIdHandler(
    new ProducerIdManager(() => Promise.reject(new Error("no ZooKeeper"))),
  );
  assert.deepEqual(await h({ transactionalId: null, transactionTimeoutMs: 1 }, ctx), {
    throttleTimeMs: 0,
    errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
    producerId: -1,
    producerEpoch: -1,
  });
});
