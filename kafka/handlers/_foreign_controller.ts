/**
 * The controller-to-broker APIs (LeaderAndIsr 4, StopReplica 5, UpdateMetadata 6,
 * ControlledShutdown 7) when another process sends them. herd's broker is its own controller and
 * applies its decisions in process, never over the wire, so any such request comes from a
 * controller it does not follow: it is answered as a 2.8.2 broker answers a controller whose epoch
 * is behind its own — STALE_BROKER_EPOCH (77) when the request's broker epoch is set and older
 * than the broker's registration, else STALE_CONTROLLER_EPOCH (11) (UpdateMetadata: NOT_CONTROLLER
 * (41), the code of the ControllerMovedException Kafka throws there) — and nothing changes. The
 * connection stays open, as Apache's does.
 *
 * @module
 */

/** Kafka's STALE_CONTROLLER_EPOCH. */
export const STALE_CONTROLLER_EPOCH = 11;
/** Kafka's NOT_CONTROLLER (ControllerMovedException). */
export const NOT_CONTROLLER = 41;
/** Kafka's STALE_BROKER_EPOCH. */
export const STALE_BROKER_EPOCH = 77;
/** Kafka's BROKER_NOT_AVAILABLE. */
export const BROKER_NOT_AVAILABLE = 8;

/**
 * The error for a request carrying `brokerEpoch` (-1 or absent: a version without one), given
 * the broker's own epoch when known.
 */
export function foreignControllerError(
  brokerEpoch: number | undefined,
  ownBrokerEpoch: number | undefined,
  otherwise: number = STALE_CONTROLLER_EPOCH,
): number {
  if (
    brokerEpoch !== undefined && brokerEpoch !== -1 && ownBrokerEpoch !== undefined &&
    brokerEpoch < ownBrokerEpoch
  ) return STALE_BROKER_EPOCH;
  return otherwise;
}
