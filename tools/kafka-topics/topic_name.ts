/** Kafka's topic name rules (org.apache.kafka.common.internals.Topic), with its messages. */

/** The topics Kafka keeps for itself. */
export const INTERNAL_TOPICS: readonly string[] = ["__consumer_offsets", "__transaction_state"];

/** Why a name is not a legal topic name, in Kafka's words, or null if it is one. */
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

/** '.' and '_' map to the same metric name. */
export function hasCollisionChars(name: string): boolean {
  return name.includes(".") || name.includes("_");
}

/** The metric-name form two colliding topics share. */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll(".", "_");
}
