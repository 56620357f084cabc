/** herd's Kafka broker: designed next (request stages over pure state machines), not built yet. */
export const KAFKA_NOT_YET_BUILT = "the Kafka broker is a later issue";
