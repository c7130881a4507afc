// The latest quality report from stored results: scores, SLA status and change since the previous run, by the domain's rules.
import {
  EXPECTATION_KINDS,
  compareScores,
  decideSla,
  scoreResults,
  storedResultScore,
  type ExpectationKind,
  type ExpectationResult,
  type QualityDimension,
  type ScoreCell,
  type ScoreDelta,
  type SlaDecision,
  type SlaPolicy,
} from '../domain/quality';
import type { StoredResult } from '../activities/ledger/quality-read';

export interface ReportLine {
  /** In [0,1]. */
  score: number;
  /** The previous run's score; null on a first run or when it had no results here. */
  previous: number | null;
  delta: number | null;
  status: SlaDecision;
  /** The floor judged against, in [0,1]. */
  floor: number;
  expectations: number;
  passed: number;
  failed: number;
  /** Rows looked at and rows failing, summed over the expectations. */
  evaluatedRows: number;
  failedRows: number;
}

export interface QualityReport {
  runId: string | null;
  previousRunId: string | null;
  at: string | null;
  policy: SlaPolicy;
  /** null when no run recorded results. */
  overall: ReportLine | null;
  sla: { decision: SlaDecision; reasons: { code: string; level: string; message: string }[] };
  dimensions: (ReportLine & { dimension: QualityDimension })[];
  assets: (ReportLine & { assetKey: string })[];
}

const KINDS = new Set<string>(EXPECTATION_KINDS);

/** The value part of a stored observation: the suites store `{ value, message }`; anything else is shown as it is. */
export function observedValue(o: unknown): number | string | null {
  const v = o !== null && typeof o === 'object' && 'value' in o ? (o as { value: unknown }).value : o;
  return v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);
}

/** A stored row as the domain's result, scored by the one rule the run's scores use (domain/quality storedResultScore). */
export function toExpectationResult(r: StoredResult): ExpectationResult {
  const passed = r.outcome === 'pass';
  return {
    expectationId: r.partitionKey ? `${r.expectationId}@${r.partitionKey}` : r.expectationId,
    asset: r.assetKey,
    kind: KINDS.has(r.kind) ? (r.kind as ExpectationKind) : 'external',
    dimension: r.dimension,
    severity: r.severity,
    weight: r.weight,
    passed,
    evaluated: r.evaluated,
    failed: r.failed,
    observed: observedValue(r.observed),
    unexpectedShare: r.evaluated > 0 ? r.failed / r.evaluated : null,
    score: storedResultScore(r),
    message: `${r.failed.toLocaleString('en-US')} of ${r.evaluated.toLocaleString('en-US')} failed`,
    examples: [],
  };
}

function line(
  results: readonly ExpectationResult[],
  cell: ScoreCell,
  d: ScoreDelta | undefined,
  floor: number,
  policy: SlaPolicy,
): ReportLine {
  const verdict = decideSla(results, { ...policy, overallFloor: floor, assetFloors: {} });
  return {
    score: cell.score,
    previous: d?.previous ?? null,
    delta: d?.delta ?? null,
    status: verdict.decision,
    floor,
    expectations: cell.expectations,
    passed: cell.passed,
    failed: cell.failed,
    evaluatedRows: results.reduce((n, r) => n + (r.evaluated ?? 0), 0),
    failedRows: results.reduce((n, r) => n + (r.failed ?? 0), 0),
  };
}

/**
 * Scores of the current run's results per dimension and asset (scoreResults), their SLA status (decideSla: the overall
 * with the whole policy; a dimension against the overall floor; an asset against its floor, else the overall floor) and
 * the change since the previous run's results (compareScores).
 */
export function buildReport(
  current: { runId: string; at: string; rows: readonly StoredResult[] } | null,
  previous: { runId: string; rows: readonly StoredResult[] } | null,
  policy: SlaPolicy,
): QualityReport {
  const results = (current?.rows ?? []).map(toExpectationResult);
  const verdict = decideSla(results, policy);
  const scores = verdict.scores;
  const cmp = compareScores(scores, previous ? scoreResults(previous.rows.map(toExpectationResult)) : null);
  const of = (pick: (r: ExpectationResult) => boolean) => results.filter(pick);
  return {
    runId: current?.runId ?? null,
    previousRunId: previous?.runId ?? null,
    at: current?.at ?? null,
    policy,
    overall: scores.overall
      ? { ...line(results, scores.overall, cmp.overall, policy.overallFloor, policy), status: verdict.decision }
      : null,
    sla: { decision: verdict.decision, reasons: verdict.reasons.map((r) => ({ code: r.code, level: r.level, message: r.message })) },
    dimensions: (Object.entries(scores.byDimension) as [QualityDimension, ScoreCell][]).map(([dimension, cell]) => ({
      dimension,
      ...line(
        of((r) => r.dimension === dimension),
        cell,
        cmp.byDimension[dimension],
        policy.overallFloor,
        policy,
      ),
    })),
    assets: Object.entries(scores.byAsset).map(([assetKey, cell]) => ({
      assetKey,
      ...line(
        of((r) => r.asset === assetKey),
        cell,
        cmp.byAsset[assetKey],
        policy.assetFloors[assetKey] ?? policy.overallFloor,
        policy,
      ),
    })),
  };
}
