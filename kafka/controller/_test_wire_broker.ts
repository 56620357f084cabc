/**
 * Test helper: a broker's ZooKeeper side (session + controller, _test_support.ts) behind a TCP
 * listener serving Metadata (with auto-creation), ApiVersions, CreateTopics, DeleteTopics and
 * CreatePartitions, with the settings of a server.properties text. KafkaConnection does not wait
 * for handlers that answer later yet (the broker assembly adds that), so this serves each
 * connection with a small loop of its own: read a frame, await the handler, write the answer.
 *
 * @module
 */
import { parseServerProperties } from "../config/server_properties.ts";
import { handleApiVersions } from "../handlers/18_api_versions.ts";
import { metadataHandler } from "../handlers/03_metadata.ts";
import { createTopicsHandler } from "../handlers/19_create_topics.ts";
import { deleteTopicsHandler } from "../handlers/20_delete_topics.ts";
import { createPartitionsHandler } from "../handlers/37_create_partitions.ts";
import { HandlerRegistry } from "../handlers/registry.ts";
import { staticBrokerState } from "../server/broker_state.ts";
import { KafkaReader } from "../protocol/reader.ts";
import { KafkaWriter } from "../protocol/writer.ts";
import { readRequest, writeResponse } from "../protocol/frame.ts";
import type { BrokerState } from "../server/broker_state.ts";
import { topicAdminSettings } from "./admin_settings.ts";
import { AutoTopicCreator } from "./auto_create.ts";
import { TopicAdmin } from "./topic_admin.ts";
import { startBroker, type TestBroker } from "./_test_support.ts";

/** A broker on the wire, with its admin and auto-creator. */
export interface WireBroker extends TestBroker {
  port: number;
  admin: TopicAdmin;
  auto: AutoTopicCreator;
  close(): Promise<void>;
}

/** Starts broker 1 on `connect` with `props` (server.properties lines) and a listener. */
export async function startWireBroker(connect: string, props = ""): Promise<WireBroker> {
  const { config } = parseServerProperties(`zookeeper.connect=${connect}\n${props}`, "test");
  const registry = new HandlerRegistry();
  const state = staticBrokerState({ brokerId: 1, host: "127.0.0.1", port: 0 });
  const listener = serve(registry, state);
  let b: TestBroker;
  try {
    b = await startBroker(connect, 1, {
      port: listener.port,
      deleteTopicEnable: config.values.get("delete.topic.enable") !== false,
      state,
    });
  } catch (e) {
    await listener.close();
    throw e;
  }
  const admin = new TopicAdmin(b.controller, state, topicAdminSettings(config));
  const auto = new AutoTopicCreator(admin);
  registry
    .register(3, metadataHandler(auto))
    .register(18, handleApiVersions)
    .register(19, createTopicsHandler(admin))
    .register(20, deleteTopicsHandler(admin))
    .register(37, createPartitionsHandler(admin));
  return {
    ...b,
    port: listener.port,
    admin,
    auto,
    close: async () => {
      await listener.close();
      await b.session.close();
    },
  };
}

/** A listener answering each connection's requests in order, awaiting each handler. */
function serve(registry: HandlerRegistry, state: BrokerState) {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const loop = (async () => {
    for await (const conn of l) {
      conns.add(conn);
      void answer(conn, registry, state).finally(() => {
        conns.delete(conn);
        try {
          conn.close();
        } catch { /* closed */ }
      });
    }
  })().catch(() => {});
  return {
    port: (l.addr as Deno.NetAddr).port,
    close: async () => {
      l.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await loop;
    },
  };
}

async function answer(conn: Deno.Conn, registry: HandlerRegistry, state: BrokerState) {
  const read = async (n: number) => {
    const b = new Uint8Array(n);
    for (let got = 0; got < n;) {
      const k = await conn.read(b.subarray(got));
      if (k === null) return null;
      got += k;
    }
    return b;
  };
  for (;;) {
    const size = await read(4);
    if (size === null) return;
    const frame = await read(new DataView(size.buffer).getInt32(0));
    if (frame === null) return;
    const req = readRequest(new KafkaReader(frame));
    const d = req.disposition;
    if (d.kind !== "serve") return;
    const handler = registry.get(req.apiKey);
    if (!handler) return;
    const body = await handler(req.body, {
      apiVersion: req.apiVersion,
      header: req.header!,
      broker: state,
    });
    const w = new KafkaWriter();
    writeResponse(w, d.entry, req.apiVersion, req.correlationId, body);
    const out = w.written();
    for (let off = 0; off < out.length;) off += await conn.write(out.subarray(off));
  }
}
