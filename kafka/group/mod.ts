/**
 * Kafka 2.8.2's group coordinator: the pure state machine, its shell, the `__consumer_offsets`
 * record format, and the request handlers' factories live in kafka/handlers/ (08–16, 42, 47).
 *
 * @example
 * ```ts
 * import { GroupCoordinator, MemoryOffsetsTopicLog } from "./mod.ts";
 * const groups = new GroupCoordinator({ log: new MemoryOffsetsTopicLog(50) });
 * await groups.start();
 * groups.partitionFor("my.group"); // the partition of __consumer_offsets holding it
 * groups.stop();
 * ```
 *
 * @module
 */
export * from "./config.ts";
export * from "./coordinator.ts";
export * from "./effects.ts";
export * from "./errors.ts";
export type { GroupState, MemberProtocol, ReplyId } from "./group.ts";
export * from "./membership.ts";
export * from "./offsets_topic_log.ts";
export * from "./records.ts";
export * from "./state_machine.ts";
