/**
 * herd's transaction side of the Kafka broker: producer ids for InitProducerId (and later the
 * transaction coordinator and its `__transaction_state` records).
 *
 * @module
 */
export * from "./producer_id_manager.ts";
export * from "./transaction_log.ts";
