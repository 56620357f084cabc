/** Worker entry for `runLoad`: runs a slice of the sessions in its own thread. */
import { serveWorker } from "./load.ts";

serveWorker(self as unknown as Parameters<typeof serveWorker>[0]);
