/**
 * Kafka's error names and the messages its Java exceptions carry (org.apache.kafka.common.protocol
 * .Errors), for the codes herd's tools report: a tool prints what Apache's prints, e.g.
 * `{nope=UNKNOWN_TOPIC_OR_PARTITION}` in a metadata warning, or `GroupIdNotFoundException: The
 * group id does not exist.`.
 *
 * @module
 */

interface Known {
  readonly name: string;
  /** The Java exception's simple class name. */
  readonly exception: string;
  readonly message: string;
}

const KNOWN: Record<number, Known> = {
  [-1]: {
    name: "UNKNOWN_SERVER_ERROR",
    exception: "UnknownServerException",
    message: "The server experienced an unexpected error when processing the request.",
  },
  1: {
    name: "OFFSET_OUT_OF_RANGE",
    exception: "OffsetOutOfRangeException",
    message: "The requested offset is not within the range of offsets maintained by the server.",
  },
  2: {
    name: "CORRUPT_MESSAGE",
    exception: "CorruptRecordException",
    message: "This message has failed its CRC checksum, exceeds the valid size, has a null key " +
      "for a compacted topic, or is otherwise corrupt.",
  },
  3: {
    name: "UNKNOWN_TOPIC_OR_PARTITION",
    exception: "UnknownTopicOrPartitionException",
    message: "This server does not host this topic-partition.",
  },
  5: {
    name: "LEADER_NOT_AVAILABLE",
    exception: "LeaderNotAvailableException",
    message: "There is no leader for this topic-partition as we are in the middle of a " +
      "leadership election.",
  },
  6: {
    name: "NOT_LEADER_OR_FOLLOWER",
    exception: "NotLeaderOrFollowerException",
    message: "For requests intended only for the leader, this error indicates that the broker " +
      "is not the current leader. For requests intended for any replica, this error indicates " +
      "that the broker is not a replica of the topic partition.",
  },
  7: {
    name: "REQUEST_TIMED_OUT",
    exception: "TimeoutException",
    message: "The request timed out.",
  },
  10: {
    name: "MESSAGE_TOO_LARGE",
    exception: "RecordTooLargeException",
    message: "The request included a message larger than the max message size the server " +
      "will accept.",
  },
  14: {
    name: "COORDINATOR_LOAD_IN_PROGRESS",
    exception: "CoordinatorLoadInProgressException",
    message: "The coordinator is loading and hence can't process requests.",
  },
  15: {
    name: "COORDINATOR_NOT_AVAILABLE",
    exception: "CoordinatorNotAvailableException",
    message: "The coordinator is not available.",
  },
  16: {
    name: "NOT_COORDINATOR",
    exception: "NotCoordinatorException",
    message: "This is not the correct coordinator.",
  },
  17: {
    name: "INVALID_TOPIC_EXCEPTION",
    exception: "InvalidTopicException",
    message: "The request attempted to perform an operation on an invalid topic.",
  },
  19: {
    name: "NOT_ENOUGH_REPLICAS",
    exception: "NotEnoughReplicasException",
    message: "Messages are rejected since there are fewer in-sync replicas than required.",
  },
  22: {
    name: "ILLEGAL_GENERATION",
    exception: "IllegalGenerationException",
    message: "Specified group generation id is not valid.",
  },
  24: {
    name: "INVALID_GROUP_ID",
    exception: "InvalidGroupIdException",
    message: "The configured groupId is invalid.",
  },
  25: {
    name: "UNKNOWN_MEMBER_ID",
    exception: "UnknownMemberIdException",
    message: "The coordinator is not aware of this member.",
  },
  27: {
    name: "REBALANCE_IN_PROGRESS",
    exception: "RebalanceInProgressException",
    message: "The group is rebalancing, so a rejoin is needed.",
  },
  29: {
    name: "TOPIC_AUTHORIZATION_FAILED",
    exception: "TopicAuthorizationException",
    message: "Topic authorization failed.",
  },
  30: {
    name: "GROUP_AUTHORIZATION_FAILED",
    exception: "GroupAuthorizationException",
    message: "Group authorization failed.",
  },
  35: {
    name: "UNSUPPORTED_VERSION",
    exception: "UnsupportedVersionException",
    message: "The version of API is not supported.",
  },
  68: {
    name: "NON_EMPTY_GROUP",
    exception: "GroupNotEmptyException",
    message: "The group is not empty.",
  },
  69: {
    name: "GROUP_ID_NOT_FOUND",
    exception: "GroupIdNotFoundException",
    message: "The group id does not exist.",
  },
  79: {
    name: "MEMBER_ID_REQUIRED",
    exception: "MemberIdRequiredException",
    message: "The group member needs to have a valid member id before actually entering a " +
      "consumer group.",
  },
  82: {
    name: "FENCED_INSTANCE_ID",
    exception: "FencedInstanceIdException",
    message: "The broker rejected this static consumer since another consumer with the same " +
      "group.instance.id has registered with a different member.id.",
  },
  86: {
    name: "GROUP_SUBSCRIBED_TO_TOPIC",
    exception: "GroupSubscribedToTopicException",
    message: "Deleting offsets of a topic is forbidden while the consumer group is actively " +
      "subscribed to it.",
  },
};

/** Kafka's name for `code` (`UNKNOWN_TOPIC_OR_PARTITION`), or `UNKNOWN(<code>)`. */
export function errorName(code: number): string {
  return KNOWN[code]?.name ?? `UNKNOWN(${code})`;
}

/** The Java exception `code` becomes, with its package, and its message. */
export function javaException(code: number): { className: string; message: string } {
  const k = KNOWN[code];
  if (!k) {
    return {
      className: "org.apache.kafka.common.errors.UnknownServerException",
      message: `Unexpected error code ${code}`,
    };
  }
  return { className: `org.apache.kafka.common.errors.${k.exception}`, message: k.message };
}
