// compareScores: the change of each score (overall, per asset, per dimension) since a previous run's scores.
import type { QualityDimension } from './quality-dimension.type';
import type { QualityScores, ScoreCell } from './quality-score.service';

export interface ScoreDelta {
  readonly current: number | null;
  readonly previous: number | null;
  /** current − previous; null when either side is missing (new, removed, or no previous run). */
  readonly delta: number | null;
}

export interface ScoreComparison {
  readonly overall: ScoreDelta;
  /** Every asset in either set, in key order. */
  readonly byAsset: Readonly<Record<string, ScoreDelta>>;
  readonly byDimension: Readonly<Partial<Record<QualityDimension, ScoreDelta>>>;
}

function delta(current: ScoreCell | null | undefined, previous: ScoreCell | null | undefined): ScoreDelta {
  const c = current?.score ?? null;
  const p = previous?.score ?? null;
  return { current: c, previous: p, delta: c === null || p === null ? null : c - p };
}

function deltas<K extends string>(current: Partial<Record<K, ScoreCell>>, previous: Partial<Record<K, ScoreCell>>): Record<K, ScoreDelta> {
  const keys = [...new Set([...Object.keys(current), ...Object.keys(previous)])].sort() as K[];
  return Object.fromEntries(keys.map((k) => [k, delta(current[k], previous[k])])) as Record<K, ScoreDelta>;
}

/** With no previous scores (first run), every delta is null. */
export function compareScores(current: QualityScores, previous: QualityScores | null): ScoreComparison {
  const before: QualityScores = previous ?? { overall: null, byAsset: {}, byDimension: {} };
  return {
    overall: delta(current.overall, before.overall),
    byAsset: deltas(current.byAsset, before.byAsset),
    byDimension: deltas(current.byDimension, before.byDimension),
  };
}
