// scoreResults: weighted average of expectation scores per asset, per dimension and overall, with pass/fail counts.
import type { ExpectationResult } from './expectation-result.type';
import type { QualityDimension } from './quality-dimension.type';

export interface ScoreCell {
  /** Σ weight × score / Σ weight, in [0,1]. */
  readonly score: number;
  readonly weight: number;
  readonly expectations: number;
  readonly passed: number;
  readonly failed: number;
  /** Failed expectations of severity 'block'. */
  readonly blockingFailed: number;
}

export interface QualityScores {
  /** null when there are no results at all. */
  readonly overall: ScoreCell | null;
  /** Keyed by asset, in key order. */
  readonly byAsset: Readonly<Record<string, ScoreCell>>;
  /** Only the dimensions that have results, in key order. */
  readonly byDimension: Readonly<Partial<Record<QualityDimension, ScoreCell>>>;
}

function cell(results: readonly ExpectationResult[]): ScoreCell {
  let weight = 0;
  let weighted = 0;
  for (const r of results) {
    if (!(r.weight > 0) || !(r.score >= 0 && r.score <= 1))
      throw new RangeError(`result '${r.expectationId}' of ${r.asset}: weight must be > 0 and score in [0,1]`);
    weight += r.weight;
    weighted += r.weight * r.score;
  }
  const passed = results.filter((r) => r.passed).length;
  return {
    score: weighted / weight,
    weight,
    expectations: results.length,
    passed,
    failed: results.length - passed,
    blockingFailed: results.filter((r) => !r.passed && r.severity === 'block').length,
  };
}

function groupBy<K extends string>(results: readonly ExpectationResult[], key: (r: ExpectationResult) => K): Record<K, ScoreCell> {
  const groups = new Map<K, ExpectationResult[]>();
  for (const r of results) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, cell(groups.get(k) ?? [])])) as Record<K, ScoreCell>;
}

/** A result's weight counts in its asset, its dimension and overall alike; a weight ≤ 0 or a score outside [0,1] is a bug and throws. */
export function scoreResults(results: readonly ExpectationResult[]): QualityScores {
  return {
    overall: results.length === 0 ? null : cell(results),
    byAsset: groupBy(results, (r) => r.asset),
    byDimension: groupBy(results, (r) => r.dimension),
  };
}
