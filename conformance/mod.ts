/**
 * The conformance suite: the documented sessions (the seed's, and Apache ZooKeeper 3.8.0's
 * captures in `conformance/reference/`) as YAML transcripts, replayed against herd, Apache or your
 * own servers, with a line diff wherever a target differs from what Apache prints.
 *
 * @example
 * ```ts
 * import { loadTranscripts, runSuite, table, TRANSCRIPT_DIR } from "./mod.ts";
 * const results = await runSuite(await loadTranscripts(TRANSCRIPT_DIR), {
 *   targets: ["herd"], kafka: {}, slow: false, only: ["fourletter"], jobs: 1,
 * });
 * console.log(table(results, ["herd", "herd-cli"]));
 * ```
 *
 * @module
 */
export {
  type Expected,
  parseTranscript,
  type ServerSpec,
  type Step,
  type StepCommon,
  type Transcript,
} from "./transcript.ts";
export { loadTranscripts, TRANSCRIPT_DIR } from "./load.ts";
export { compare, type Comparison, compile, type LineMatcher, PLACEHOLDERS } from "./expect.ts";
export {
  type Column,
  columnsFor,
  type KafkaSource,
  runOne,
  type RunResult,
  runSuite,
  type SuiteOptions,
} from "./runner.ts";
export { failures, progress, table, type Totals, totals } from "./report.ts";
export type { StepResult } from "./execute.ts";
