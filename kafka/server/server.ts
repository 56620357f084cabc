/**
 * The broker's client listener: accepts connections and serves them with the handler registry
 * and broker state. No controller, log or config parsing yet: it takes a small options object
 * (a server.properties parser fills it later).
 *
 * @module
 */
import { acceptLoop, listenTcp } from "../../internal/tcp_listener.ts";
import { kafkaLayout, Logger } from "../../internal/log.ts";
import { defaultHandlers } from "../handlers/mod.ts";
import type { HandlerRegistry } from "../handlers/registry.ts";
import type { BrokerState } from "./broker_state.ts";
import { KafkaConnection } from "./connection.ts";

/** Apache's default socket.request.max.bytes (100 MiB). */
export const DEFAULT_MAX_REQUEST_SIZE = 104857600;

/** What a listener is started with. */
export interface KafkaListenerOptions {
  /** Address to bind; default 0.0.0.0. */
  readonly hostname?: string;
  /** Port to bind; 0 picks one (see {@link KafkaListener.port}). */
  readonly port: number;
  /** The broker state handlers read. */
  readonly state: BrokerState;
  /** socket.request.max.bytes; default {@link DEFAULT_MAX_REQUEST_SIZE}. */
  readonly maxRequestSize?: number;
  /** Default: ApiVersions and Metadata ({@link defaultHandlers}). */
  readonly handlers?: HandlerRegistry;
  /** Default: Kafka's log layout on stdout. */
  readonly log?: Logger;
}

/**
 * A listening broker.
 *
 * @example
 * ```ts ignore
 * const l = KafkaListener.start({ hostname: "127.0.0.1", port: 0, state });
 * await l.close();
 * ```
 */
export class KafkaListener {
  private readonly connections = new Set<KafkaConnection>();
  private stopped = false;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly listener: Deno.TcpListener,
    private readonly options: KafkaListenerOptions,
    private readonly log: Logger,
  ) {
    const host = {
      maxRequestSize: options.maxRequestSize ?? DEFAULT_MAX_REQUEST_SIZE,
      handlers: options.handlers ?? defaultHandlers(),
      state: options.state,
      warn: (msg: string) =>
        log.warn(
          `kafka.network.Processor`,
          `[SocketServer brokerId=${options.state.brokerId}] ${msg}`,
        ),
      onClose: (c: KafkaConnection) => void this.connections.delete(c),
    };
    this.loop = acceptLoop(listener, (conn) => {
      const c = new KafkaConnection(conn, host);
      this.connections.add(c);
      c.run();
    }).catch((e) => {
      if (!this.stopped) log.error("kafka.network.Acceptor", `accept failed: ${e}`);
    });
  }

  /** Binds and starts accepting. Throws (naming the address) when the port cannot be bound. */
  static start(options: KafkaListenerOptions): KafkaListener {
    const log = options.log ?? new Logger("", "INFO", undefined, kafkaLayout);
    const listener = listenTcp(options.hostname ?? "0.0.0.0", options.port);
    return new KafkaListener(listener, options, log);
  }

  /** The bound port. */
  get port(): number {
    return (this.listener.addr as Deno.NetAddr).port;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    this.stopped = true;
    try {
      this.listener.close();
    } catch { /* already closed */ }
    for (const c of [...this.connections]) c.close();
    await this.loop;
  }
}
