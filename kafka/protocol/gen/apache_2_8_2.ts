/**
 * Where the schemas in ../spec (Apache Kafka 3.7.0's) differ from what Apache Kafka 2.8.2 reads
 * and writes within 2.8.2's version ranges. Found by comparing every message's wire layout with
 * the one 2.8.2's own classes report (fixtures/apache-2.8.2-schemas.txt, made by
 * fixtures/SchemaDump.java); the layout test fails if another difference appears.
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
