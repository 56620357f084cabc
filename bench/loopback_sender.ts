/**
 * Worker entry for machine.ts's loopback figure: connects to the given port on 127.0.0.1, writes
 * `mib` MiB in 1 MiB writes, closes, and posts back once done.
 */
interface Scope {
  onmessage: ((e: MessageEvent<{ port: number; mib: number }>) => void) | null;
  postMessage(m: null): void;
}

const scope = self as unknown as Scope;
scope.onmessage = async (e) => {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: e.data.port });
  const block = new Uint8Array(1024 * 1024).fill(3);
  for (let i = 0; i < e.data.mib; i++) {
    for (let off = 0; off < block.length;) off += await conn.write(block.subarray(off));
  }
  conn.close();
  scope.postMessage(null);
};
