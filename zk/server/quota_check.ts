/**
 * Quota enforcement at prep time, as Apache 3.8 does with zookeeper.enforceQuota=true: soft limits
 * are logged through the RateLogger, hard limits (-N/-B) fail the write with QUOTAEXCEEDED.
 * Like Apache it reads the applied tree's stats, not outstanding changes.
 */
import { OpCode } from "../jute/opcodes.ts";
import { Err, ZkError } from "../jute/errors.ts";
import type { DataTree } from "../tree/data_tree.ts";
import { limitsPath, parseStatsTrack, statsPath } from "../tree/quota.ts";
import type { RateLogger } from "./rate_logger.ts";

const decoder = new TextDecoder();

export function enforceQuota(
  tree: DataTree,
  rate: RateLogger,
  path: string,
  oldLength: number,
  data: Uint8Array,
  op: number,
): void {
  if (tree.quotaPaths.size === 0) return;
  const prefix = tree.quotaPrefix(path);
  if (prefix === null) return;
  const countDiff = op === OpCode.create ? 1 : 0;
  const bytesDiff = data.length - oldLength;
  const limitsNode = tree.get(limitsPath(prefix));
  if (!limitsNode) return;
  const limits = parseStatsTrack(decoder.decode(limitsNode.data));
  const checkCount = countDiff !== 0 && (limits.count > -1 || limits.countHardLimit > -1);
  const checkBytes = bytesDiff !== 0 && (limits.bytes > -1 || limits.byteHardLimit > -1);
  if (!checkCount && !checkBytes) return;
  const statsNode = tree.get(statsPath(prefix));
  if (!statsNode) return;
  const current = parseStatsTrack(decoder.decode(statsNode.data));
  if (checkCount) {
    const hard = limits.countHardLimit > -1;
    const limit = hard ? limits.countHardLimit : limits.count;
    const next = current.count + countDiff;
    if (next > limit) {
      rate.log(
        `Quota exceeded: ${prefix} [current count=${next}, ${
          hard ? "hard" : "soft"
        }CountLimit=${limit}]`,
      );
      if (hard) throw new ZkError(Err.QUOTAEXCEEDED, prefix);
    }
  }
  if (checkBytes) {
    const hard = limits.byteHardLimit > -1;
    const limit = hard ? limits.byteHardLimit : limits.bytes;
    const next = current.bytes + bytesDiff;
    if (next > limit) {
      rate.log(
        `Quota exceeded: ${prefix} [current bytes=${next}, ${
          hard ? "hard" : "soft"
        }ByteLimit=${limit}]`,
      );
      if (hard) throw new ZkError(Err.QUOTAEXCEEDED, prefix);
    }
  }
}
