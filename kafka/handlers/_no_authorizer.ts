/**
 * What a 2.8.2 broker without `authorizer.class.name` (herd has no authorizer) answers the ACL
 * APIs: SECURITY_DISABLED (54) with "No Authorizer is configured on the broker" (KafkaApis'
 * handleDescribeAcls/handleCreateAcls/handleDeleteAcls), which `kafka-acls.sh` prints as
 * `SecurityDisabledException: No Authorizer is configured on the broker`.
 *
 * @module
 */

/** Kafka's SECURITY_DISABLED. */
export const SECURITY_DISABLED = 54;

/** The message Apache sends with it. */
export const NO_AUTHORIZER = "No Authorizer is configured on the broker";
