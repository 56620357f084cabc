/**
 * What kafka-configs.sh's broker mode needs of the Java AdminClient, over herd's Kafka client:
 * each call sent where the AdminClient sends it (a broker's own configs to that broker, the rest
 * to any), and a broker's error turned into the exception the AdminClient's future throws
 * (`ExecutionException` around the Kafka exception, with the broker's message, or the error's
 * default one when the broker sent none).
 *
 * @module
 */
import type { BrokerConnection, KafkaClient } from "../../kafka/client/mod.ts";
import { javaException } from "../../kafka/client/error_names.ts";
import { ConfigCommandError, executionError } from "./errors.ts";

/** The Kafka exceptions these calls meet, beyond those kafka/client/error_names.ts knows. */
const EXCEPTIONS: Record<number, [string, string]> = {
  [-1]: [
    "UnknownServerException",
    "The server experienced an unexpected error when processing the request.",
  ],
  3: ["UnknownTopicOrPartitionException", "This server does not host this topic-partition."],
  17: [
    "InvalidTopicException",
    "The request attempted to perform an operation on an invalid topic.",
  ],
  35: ["UnsupportedVersionException", "The version of API is not supported."],
  40: ["InvalidConfigurationException", "Configuration is invalid."],
  42: [
    "InvalidRequestException",
    "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.",
  ],
  44: ["PolicyViolationException", "Request parameters do not satisfy the configured policy."],
  91: [
    "ResourceNotFoundException",
    "A request illegally referred to a resource that does not exist.",
  ],
  92: ["DuplicateResourceException", "A request illegally referred to the same resource twice."],
  93: [
    "UnacceptableCredentialException",
    "Requested credential would not meet criteria for acceptability.",
  ],
};

/** The Java exception (simple class name, message) of a broker's error. */
export function kafkaException(code: number, message: string | null): [string, string] {
  const known = EXCEPTIONS[code];
  if (known) return [known[0], message ?? known[1]];
  const j = javaException(code);
  return [j.className.slice(j.className.lastIndexOf(".") + 1), message ?? j.message];
}

/** The ExecutionException a future fails with for a broker's error. */
export function brokerError(code: number, message: string | null): ConfigCommandError {
  const [cls, text] = kafkaException(code, message);
  return executionError(`org.apache.kafka.common.errors.${cls}`, text);
}

/** `future.get(timeout)` running out: a TimeoutException without a message. */
export function timeoutError(): ConfigCommandError {
  return new ConfigCommandError("", "java.util.concurrent.TimeoutException", undefined, true);
}

/** How long ConfigCommand waits on a describe (`get(30, SECONDS)`). */
export const DESCRIBE_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The connection to broker `id`, as the AdminClient finds it: a node that is not in the
 * cluster's metadata is waited for until the tool's timeout.
 */
export async function brokerConnection(client: KafkaClient, id: number): Promise<BrokerConnection> {
  const until = Date.now() + DESCRIBE_TIMEOUT_MS;
  for (;;) {
    const md = await client.metadata([]);
    if (md.brokers.some((b) => b.nodeId === id)) return await client.broker(id);
    if (Date.now() >= until) throw timeoutError();
    await sleep(Math.min(1000, until - Date.now()));
  }
}
