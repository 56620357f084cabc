/**
 * Kafka's topic name rules (org.apache.kafka.common.internals.Topic) with its messages word for
 * word, the internal topics, and the '.'/'_' collision check AdminZkClient runs on create.
 *
 * @module
 */

/** The consumer groups' offsets topic. */
export const GROUP_METADATA_TOPIC = "__consumer_offsets";
/** The transaction coordinator's topic. */
export const TRANSACTION_STATE_TOPIC = "__transaction_state";

/** True for the topics Kafka keeps for itself. */
export function isInternalTopic(name: string): boolean {
  return name === GROUP_METADATA_TOPIC || name === TRANSACTION_STATE_TOPIC;
}

/**
 * Why `name` is not a legal topic name, in Kafka's words, or null when it is one.
 *
 * @example
 * ```ts
 * topicNameProblem("a b"); // Topic name "a b" is illegal, it contains a character other than …
 * ```
 */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === "." || name === "..") return 'Topic name cannot be "." or ".."';
  if (name.length > 249) {
    return `Topic name is illegal, it can't be longer than 249 characters, topic name: ${name}`;
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return null;
}

/** '.' and '_' become the same metric name, so such names may collide. */
export function hasCollisionChars(name: string): boolean {
  return name.includes(".") || name.includes("_");
}

/** The existing topics `name` would collide with ('.' and '_' taken as one). */
export function collidingTopics(name: string, existing: Iterable<string>): string[] {
  if (!hasCollisionChars(name)) return [];
  const unified = name.replaceAll(".", "_");
  return [...existing].filter((t) => t !== name && t.replaceAll(".", "_") === unified);
}
