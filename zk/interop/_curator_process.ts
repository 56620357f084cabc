/**
 * A long-running Curator scenario JVM (`herd.curator.Main latch …`) whose
 * JSON event lines are read as they come, so a test can wait for one, write a
 * line to it, kill it with SIGKILL or let it finish by closing its stdin.
 *
 * @module
 */

import { curatorCommand } from "./_kafka_env.ts";

/** One event line the participant printed. */
export type CuratorEvent = Record<string, unknown> & { event?: string };

/** A running scenario process. */
export class CuratorProcess {
  readonly events: CuratorEvent[] = [];
  readonly #child: Deno.ChildProcess;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reading: Promise<void>;
  readonly #stderr: Promise<string>;
  #stdinClosed = false;
  #exited: Deno.CommandStatus | undefined;
  readonly status: Promise<Deno.CommandStatus>;

  constructor(readonly name: string, args: string[]) {
    const { cmd, args: full } = curatorCommand(args);
    this.#child = new Deno.Command(cmd, {
      args: full,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#stdin = this.#child.stdin.getWriter();
    this.#reading = this.#read();
    this.#stderr = new Response(this.#child.stderr).text();
    this.status = this.#child.status.then((s) => (this.#exited = s));
  }

  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    let partial = "";
    for await (const chunk of this.#child.stdout) {
      partial += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, nl).trim();
        partial = partial.slice(nl + 1);
        if (line === "") continue;
        try {
          this.events.push(JSON.parse(line) as CuratorEvent);
        } catch {
          this.events.push({ event: "unparsed", line });
        }
      }
    }
  }

  get exited(): boolean {
    return this.#exited !== undefined;
  }

  /** Wait for an event matching `match` (already seen ones count). */
  async waitForEvent(
    match: (e: CuratorEvent) => boolean,
    what: string,
    timeoutMs = 60_000,
  ): Promise<CuratorEvent> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.exited) {
        await this.#reading;
        const again = this.events.find(match);
        if (again) return again;
        throw new Error(`${this.name} exited before ${what}:\n${await this.#stderr}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: timed out waiting for ${what}; events ${JSON.stringify(this.events)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Send one line on stdin. */
  async send(line: string): Promise<void> {
    await this.#stdin.write(new TextEncoder().encode(`${line}\n`));
  }

  /** Close stdin (the participant then leaves cleanly) and wait for the exit. */
  async finish(): Promise<Deno.CommandStatus> {
    if (!this.#stdinClosed) {
      this.#stdinClosed = true;
      await this.#stdin.close().catch(() => {});
    }
    const status = await this.status;
    await this.#reading;
    return status;
  }

  /** kill -9: the JVM dies, its ZooKeeper session is left to expire on the server. */
  async kill9(): Promise<void> {
    if (!this.exited) {
      try {
        this.#child.kill("SIGKILL");
      } catch { /* gone */ }
    }
    await this.status;
    if (!this.#stdinClosed) {
      this.#stdinClosed = true;
      await this.#stdin.close().catch(() => {});
    }
    await this.#reading;
  }

  /** What the JVM wrote on stderr (once it has exited). */
  stderr(): Promise<string> {
    return this.#stderr;
  }
}
