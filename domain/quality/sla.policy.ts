// The SLA policy: overall score ≥ 95% (configurable), optional per-asset floors, blocking failures → pass | warn | block with reasons.
import type { ExpectationResult } from './expectation-result.type';
import type { Severity } from './quality-dimension.type';
import { QUALITY_RULES, type QualityRuleCode } from './quality.errors';
import { scoreResults, type QualityScores } from './quality-score.service';

export interface SlaPolicy {
  /** The overall score must be at least this, in [0,1]. */
  readonly overallFloor: number;
  /** Floors for single assets, in [0,1]; an asset without results in the set is not judged against its floor. */
  readonly assetFloors: Readonly<Record<string, number>>;
  /** What a score below a floor does: stop dependants, or only report. */
  readonly onBreach: Severity;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = { overallFloor: 0.95, assetFloors: {}, onBreach: 'block' };

/** Merges overrides onto the defaults; a floor outside [0,1] is a configuration bug and throws. */
export function resolveSlaPolicy(overrides: Partial<SlaPolicy> = {}): SlaPolicy {
  const policy = { ...DEFAULT_SLA_POLICY, ...overrides };
  const floors: Array<[string, number]> = [
    ['overallFloor', policy.overallFloor],
    ...Object.entries(policy.assetFloors).map(([a, f]): [string, number] => [`assetFloors.${a}`, f]),
  ];
  for (const [name, floor] of floors) {
    if (typeof floor !== 'number' || !(floor >= 0 && floor <= 1))
      throw new RangeError(`SLA ${name} must be a number in [0,1], got ${String(floor)}`);
  }
  if (policy.onBreach !== 'warn' && policy.onBreach !== 'block')
    throw new RangeError(`SLA onBreach must be 'warn' or 'block', got ${String(policy.onBreach)}`);
  return policy;
}

export type SlaDecision = 'pass' | 'warn' | 'block';

export interface SlaReason {
  readonly code: QualityRuleCode;
  readonly level: Severity;
  readonly message: string;
  readonly asset?: string;
  readonly expectationId?: string;
}

export interface SlaVerdict {
  readonly decision: SlaDecision;
  /** Blocking reasons first, then warnings, each group in the order found. */
  readonly reasons: readonly SlaReason[];
  readonly scores: QualityScores;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** A weighted average that is exactly the floor in exact arithmetic can land a hair below it in floats (0.9499999999999998). */
const below = (score: number, floor: number): boolean => score < floor - 1e-9;

/** block if any blocking expectation failed or a floor is breached with onBreach 'block'; warn on any other failure, breach or no results; else pass. */
export function decideSla(results: readonly ExpectationResult[], policy: SlaPolicy = DEFAULT_SLA_POLICY): SlaVerdict {
  const scores = scoreResults(results);
  const reasons: SlaReason[] = [];
  for (const r of results) {
    if (r.passed) continue;
    const blocking = r.severity === 'block';
    reasons.push({
      code: blocking ? QUALITY_RULES.BLOCKING_EXPECTATION_FAILED : QUALITY_RULES.EXPECTATION_WARNED,
      level: r.severity,
      message: `${r.asset} ${r.expectationId}: ${r.message}`,
      asset: r.asset,
      expectationId: r.expectationId,
    });
  }
  if (scores.overall === null) {
    reasons.push({ code: QUALITY_RULES.NO_RESULTS, level: 'warn', message: 'no expectation results: quality is unknown' });
  } else if (below(scores.overall.score, policy.overallFloor)) {
    reasons.push({
      code: QUALITY_RULES.OVERALL_BELOW_SLA,
      level: policy.onBreach,
      message: `overall score ${pct(scores.overall.score)} is below the SLA of ${pct(policy.overallFloor)}`,
    });
  }
  for (const [asset, floor] of Object.entries(policy.assetFloors).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const cell = scores.byAsset[asset];
    if (cell !== undefined && below(cell.score, floor)) {
      reasons.push({
        code: QUALITY_RULES.ASSET_BELOW_FLOOR,
        level: policy.onBreach,
        message: `${asset} scores ${pct(cell.score)}, below its floor of ${pct(floor)}`,
        asset,
      });
    }
  }
  const ordered = [...reasons.filter((r) => r.level === 'block'), ...reasons.filter((r) => r.level === 'warn')];
  const decision: SlaDecision = ordered.length === 0 ? 'pass' : ordered[0]?.level === 'block' ? 'block' : 'warn';
  return { decision, reasons: ordered, scores };
}
