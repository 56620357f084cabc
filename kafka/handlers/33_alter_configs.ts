/**
 * AlterConfigs (key 33), v0–v2: replaces a topic's overrides, or this broker's (or the
 * cluster's) dynamic configs, with the entries given, as Apache Kafka 2.8.2 answers
 * (kafka/config/config_admin.ts). A null value is answered with INVALID_REQUEST where 2.8.2
 * drops the connection (its parser fails on it): a client's mistake costs it an error, not its
 * connection. A BROKER_LOGGER resource fails the whole request, as KafkaApis refuses it before
 * altering any (loggers change only through IncrementalAlterConfigs).
 *
 * @module
 */
import { type ConfigAdmin, ConfigErrors, ResourceType } from "../config/mod.ts";
import type {
  AlterConfigsRequest,
  AlterConfigsResponse,
} from "../protocol/messages/alter_configs.ts";
import type { Handler } from "./handler.ts";

/**
 * Builds the AlterConfigs handler over `admin`.
 *
 * @example
 * ```ts ignore
 * registry.register(33, alterConfigsHandler(new ConfigAdmin({ state, repo, topicExists })));
 * ```
 */
export function alterConfigsHandler(
  admin: ConfigAdmin,
): Handler<AlterConfigsRequest, AlterConfigsResponse> {
  return async (request) => {
    if (request.resources.some((r) => r.resourceType === ResourceType.BROKER_LOGGER)) {
      const errorMessage =
        "AlterConfigs is deprecated and does not support the resource type BROKER_LOGGER";
      const responses = request.resources.map((r) => ({
        errorCode: ConfigErrors.INVALID_REQUEST,
        errorMessage,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
      }));
      return { throttleTimeMs: 0, responses };
    }
    const responses = [];
    for (const r of request.resources) {
      const result = await admin.alter(
        r.resourceType,
        r.resourceName,
        r.configs,
        request.validateOnly,
      );
      responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
    }
    return { throttleTimeMs: 0, responses };
  };
}
