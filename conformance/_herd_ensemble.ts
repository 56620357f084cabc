/**
 * Why herd cannot run the ensemble transcripts yet. herd now joins an Apache 3.8.0 ensemble as
 * an observer or a follower (zk/quorum/quorum_peer.ts), but it cannot lead, so an ensemble of herd
 * servers alone never elects a leader; the transcripts start ensembles of one kind only.
 *
 * @module
 */

/** Why herd cannot run the ensemble transcripts. */
export function herdEnsembleMissing(): Promise<string> {
  return Promise.resolve(
    "herd joins Apache ensembles as observer or follower but cannot lead yet (issue 16 step 3), " +
      "so an ensemble of herd servers has no leader",
  );
}
