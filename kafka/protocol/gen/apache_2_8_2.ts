/**
 * Where the schemas in ../spec (Apache Kafka 3.7.0's) differ from what Apache Kafka 2.8.2 reads
 * and writes within 2.8.2's version ranges. Found by comparing every message's wire layout with
 * the one 2.8.2's own classes report (fixtures/apache-2.8.2-schemas.txt, by
 * fixtures/SchemaDump.java) and every struct's default values with 2.8.2's default-constructed
 * classes (fixtures/apache-2.8.2-defaults.txt, by fixtures/DefaultsDump.java); the tests fail if
 * another difference appears.
 *
 * @module
 */

/** A top-level field a later Kafka added inside 2.8.2's versions, which 2.8.2 does not have. */
export interface FieldNotIn282 {
  /** The schema's message name. */
  readonly message: string;
  /** The field's name. */
  readonly field: string;
  /** Why it is dropped. */
  readonly why: string;
}

/** Fields herd drops from the schemas to speak exactly 2.8.2's protocol. */
export const FIELDS_NOT_IN_2_8_2: readonly FieldNotIn282[] = [
  {
    message: "ApiVersionsResponse",
    field: "ZkMigrationReady",
    why: "tagged field 3 of v3+, added by KIP-866 (Kafka 3.4); 2.8.2's ApiVersionsResponse has " +
      "tags 0–2 only, so a tag 3 stays an unknown tagged field, as 2.8.2 keeps it",
  },
];

/** A field whose default changed after 2.8.2 (what a decoder gives it, what an encoder writes
 * when a message leaves it out). */
export interface DefaultIn282 {
  /** The struct's schema name (the message's own name for top-level fields). */
  readonly struct: string;
  /** The field's name. */
  readonly field: string;
  /** 2.8.2's default, as a schema writes it. */
  readonly default: string;
  /** Why. */
  readonly why: string;
}

/** Defaults herd takes from 2.8.2 instead of the schemas. */
export const DEFAULTS_IN_2_8_2: readonly DefaultIn282[] = [
  {
    struct: "FetchRequest",
    field: "ReplicaId",
    default: "0",
    why: "3.5 (KIP-903) made it -1; in 2.8.2 it has no default (0). Present in every 2.8.2 " +
      "version, so only an encoder that leaves it out sees the difference",
  },
  {
    struct: "DeleteTopicState",
    field: "Name",
    default: "",
    why: "DeleteTopics v6's topic name: 2.8.2 defaults it to the empty string, 3.x to null",
  },
];
