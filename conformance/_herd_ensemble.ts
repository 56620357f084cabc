/**
 * Why the ensemble transcripts do not run against herd yet. herd servers now form an ensemble of
 * their own and lead (zk/quorum/quorum_peer.ts; the seed's 集群 scenario runs in
 * zk/quorum/herd_ensemble_test.ts), but conformance/ensemble.ts still starts only Apache's
 * servers: the herd column needs its own launcher there.
 *
 * @module
 */

/** Why herd's column skips the ensemble transcripts. */
export function herdEnsembleMissing(): Promise<string> {
  return Promise.resolve(
    "the conformance runner starts only Apache ensembles so far (herd's own ensemble is " +
      "tested in zk/quorum/herd_ensemble_test.ts)",
  );
}
