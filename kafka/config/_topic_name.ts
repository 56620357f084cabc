/**
 * Kafka's topic name rules (org.apache.kafka.common.internals.Topic.validate) with its messages:
 * DescribeConfigs answers a bad name with INVALID_TOPIC_EXCEPTION and this text. (The same rules
 * as tools/kafka-topics/topic_name.ts, which kafka/ must not import.)
 *
 * @module
 */

/** Why `name` is not a legal topic name, in Kafka's words, or null if it is one. */
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
