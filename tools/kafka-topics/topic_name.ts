/** Kafka's topic name rules (org.apache.kafka.common.internals.Topic): the broker's, reused. */
import {
  GROUP_METADATA_TOPIC,
  TRANSACTION_STATE_TOPIC,
} from "../../kafka/controller/topic_name.ts";

export { hasCollisionChars, topicNameProblem } from "../../kafka/controller/topic_name.ts";

/** The topics Kafka keeps for itself. */
export const INTERNAL_TOPICS: readonly string[] = [GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC];

/** The metric-name form two colliding topics share. */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll(".", "_");
}
