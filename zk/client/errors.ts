/** Client-specific errors. Every server error is a ZkError (from zk/jute) carrying its code. */
import { type OpResult, ZkError } from "../jute/mod.ts";

/**
 * A multi() that the server rolled back: `code` and `path` are those of the first failed op,
 * `results` holds every op's result (OK for the ops before it, RUNTIMEINCONSISTENCY after).
 */
export class ZkMultiError extends ZkError {
  override name = "ZkMultiError";
  constructor(code: number, path: string | undefined, readonly results: OpResult[]) {
    super(code, path);
  }
}
