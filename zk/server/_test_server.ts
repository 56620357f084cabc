/** An in-memory server on a free loopback port for tests, logging errors only, stopped after. */
import { type ServerOptions, ZkServer } from "./server.ts";
import { Logger } from "../../internal/log.ts";

export interface TestServerOptions extends Partial<ServerOptions> {
  /** Point dataDir and dataLogDir at a temp directory (removed after), for `dirs`/`conf`. */
  tempDataDir?: boolean;
}

export async function withServer(
  fn: (server: ZkServer) => Promise<void>,
  opts: TestServerOptions = {},
): Promise<void> {
  const dataDir = opts.tempDataDir ? await Deno.makeTempDir() : undefined;
  const server = new ZkServer({
    ...opts,
    settings: {
      clientPort: 0,
      clientPortAddress: "127.0.0.1",
      ...(dataDir ? { dataDir, dataLogDir: dataDir } : {}),
      ...opts.settings,
    },
    logger: new Logger("", "ERROR"),
  });
  server.start();
  try {
    await fn(server);
  } finally {
    await server.stop();
    if (dataDir) await Deno.remove(dataDir, { recursive: true });
  }
}
