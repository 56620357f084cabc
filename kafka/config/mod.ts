/**
 * Kafka 2.8's configuration: the broker's server.properties (keys, defaults, Kafka's checks and
 * messages), kafka-server-start.sh's arguments, and per-topic configs with their broker-derived
 * defaults.
 *
 * @module
 */
export * from "./broker_args.ts";
export * from "./broker_config_defs.ts";
export * from "./server_properties.ts";
export * from "./topic_config.ts";
export * from "./topic_defaults.ts";
export * from "./apache_broker_keys.ts";
export * from "./broker_config_state.ts";
export * from "./broker_loggers.ts";
export * from "./config_admin.ts";
export * from "./config_repository.ts";
export * from "./config_value.ts";
export * from "./config_znodes.ts";
export * from "./describe_configs.ts";
export * from "./dynamic_broker_config.ts";
