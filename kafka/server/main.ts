/**
 * Starts herd's Kafka listener on a static one-broker cluster (no controller, log or
 * server.properties yet):
 *
 * ```sh
 * deno run -A kafka/server/main.ts --static 9092 [--topic name:partitions]...
 * ```
 *
 * Prints `listening on <host>:<port>` once bound; stops on SIGINT/SIGTERM.
 *
 * @module
 */
import { staticBrokerState } from "./broker_state.ts";
import { KafkaListener } from "./server.ts";

const USAGE =
  "usage: main.ts --static <port> [--host <advertised host>] [--topic name:partitions]...";

function fail(msg: string): never {
  console.error(`${msg}\n${USAGE}`);
  Deno.exit(2);
}

if (import.meta.main) {
  const args = [...Deno.args];
  let port: number | undefined;
  let host = "127.0.0.1";
  const topics: Record<string, number> = {};
  while (args.length > 0) {
    const a = args.shift()!;
    const v = args.shift();
    if (v === undefined) fail(`${a}: missing value`);
    if (a === "--static") {
      port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--static: bad port ${v}`);
    } else if (a === "--host") {
      host = v;
    } else if (a === "--topic") {
      const m = /^(.+):(\d+)$/.exec(v);
      if (!m || Number(m[2]) < 1) fail(`--topic: expected name:partitions, got ${v}`);
      topics[m[1]] = Number(m[2]);
    } else {
      fail(`unknown option ${a}`);
    }
  }
  if (port === undefined) fail("--static <port> is required");
  let listener: KafkaListener;
  try {
    const state = staticBrokerState({ host, port, topics });
    listener = KafkaListener.start({ hostname: "0.0.0.0", port, state });
    // --static 0 binds a free port: advertise the one bound.
    state.brokers = state.brokers.map((b) => ({ ...b, port: listener.port }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  console.log(`listening on ${host}:${listener.port}`);
  const stop = () => listener.close().then(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
