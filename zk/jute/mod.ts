/** Jute: ZooKeeper's binary record format, its records, op codes and error codes. */
export * from "./reader.ts";
export * from "./writer.ts";
export * from "./records.ts";
export * from "./requests.ts";
export * from "./responses.ts";
export * from "./opcodes.ts";
export * from "./errors.ts";
