/**
 * Test helper: a listener on loopback serving the data path (Produce, Fetch, ListOffsets,
 * OffsetForLeaderEpoch) over logs in memory, for a static one-broker cluster with `topics`.
 *
 * @module
 */
import { KafkaListener } from "./server.ts";
import { staticBrokerState } from "./broker_state.ts";
import { Logger } from "../../internal/log.ts";
import { systemClock } from "../../internal/clock.ts";
import { MemoryLogs } from "./_memory_log.ts";
import { ReplicaManager } from "./replica_manager.ts";
import { defaultHandlers } from "../handlers/mod.ts";
import { produceHandler } from "../handlers/00_produce.ts";
import { fetchHandler } from "../handlers/01_fetch.ts";
import { listOffsetsHandler } from "../handlers/02_list_offsets.ts";
import { offsetForLeaderEpochHandler } from "../handlers/23_offset_for_leader_epoch.ts";

/**
 * Runs `fn` with a memory broker's port and logs; closes it after. With `discard` the logs keep
 * nothing (the bench's sink).
 */
export async function withMemoryBroker(
  topics: Record<string, number>,
  fn: (port: number, logs: MemoryLogs) => Promise<void>,
  opts: { discard?: boolean } = {},
): Promise<void> {
  const state = staticBrokerState({ host: "127.0.0.1", port: 0, topics });
  const logs = new MemoryLogs(opts.discard ?? false);
  const rm = new ReplicaManager(state, logs, systemClock);
  const handlers = defaultHandlers()
    .register(0, produceHandler(rm))
    .register(1, fetchHandler(rm))
    .register(2, listOffsetsHandler(rm))
    .register(23, offsetForLeaderEpochHandler(rm));
  const l = KafkaListener.start({
    hostname: "127.0.0.1",
    port: 0,
    state,
    handlers,
    log: new Logger("", "WARN", () => {}),
  });
  state.brokers = [{ id: 0, host: "127.0.0.1", port: l.port, rack: null }];
  try {
    await fn(l.port, logs);
  } finally {
    rm.wakeAll();
    await l.close();
  }
}
