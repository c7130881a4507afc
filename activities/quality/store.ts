// Quality storage (dw_meta.expectation_results, dw_meta.quality_scores): writing results, the run's scores, retention.
import type { PoolClient } from 'pg';
import type { Pool } from '../../infra/db';
import {
  QUALITY_DIMENSIONS,
  decideSla,
  storedResultScore,
  type ExpectationResult,
  type FailingExample,
  type QualityDimension,
  type SlaPolicy,
  type SlaVerdict,
} from '../../domain/quality';

type Queryable = Pool | PoolClient;

export const RESULT_SOURCES = ['suite', 'contract', 'domain', 'conservation', 'dbt'] as const;
export type ResultSource = (typeof RESULT_SOURCES)[number];

/** One row of dw_meta.expectation_results, before it is written. */
export interface StoredResult {
  runId: string;
  assetKey: string;
  partitionKey: string;
  suite: string;
  expectationId: string;
  kind: string;
  source: ResultSource;
  dimension: QualityDimension;
  severity: 'warn' | 'block';
  weight: number;
  columnName: string | null;
  evaluated: number;
  failed: number;
  observed: unknown;
  outcome: 'pass' | 'warn' | 'fail';
  examples: StoredExample[];
}

/** The contract's example shape: where the row came from (file name, record number in it) and the checked values. */
export interface StoredExample {
  sourceFile: string | null;
  record: number | null;
  values: Record<string, unknown>;
}

export const toStoredExample = (e: FailingExample): StoredExample => ({
  sourceFile: e.sourceFile ?? null,
  record: e.sourceRow ?? null,
  values: { ...e.values },
});

/**
 * A domain result as a row: aggregate kinds (no row counts) count as one evaluated item, failed 0 or 1, so that
 * evaluated/failed always add up; the observed value and message are kept in `observed`.
 */
export function toStored(
  r: ExpectationResult,
  at: {
    runId: string;
    assetKey: string;
    partitionKey: string;
    suite: string;
    kind?: string;
    source: ResultSource;
    columnName?: string | null;
  },
): StoredResult {
  const counted = r.evaluated !== null && r.failed !== null;
  return {
    runId: at.runId,
    assetKey: at.assetKey,
    partitionKey: at.partitionKey,
    suite: at.suite,
    expectationId: r.expectationId,
    kind: at.kind ?? r.kind,
    source: at.source,
    dimension: r.dimension,
    severity: r.severity,
    weight: r.weight,
    columnName: at.columnName ?? null,
    evaluated: counted ? (r.evaluated as number) : 1,
    failed: counted ? (r.failed as number) : r.passed ? 0 : 1,
    observed: { value: r.observed, message: r.message },
    outcome: r.passed ? 'pass' : r.severity === 'block' ? 'fail' : 'warn',
    examples: r.examples.map(toStoredExample),
  };
}

/** Writes results in one statement (jsonb_to_recordset: one round trip whatever the count). */
export async function recordResults(db: Queryable, results: readonly StoredResult[]): Promise<void> {
  if (results.length === 0) return;
  await db.query(
    `INSERT INTO dw_meta.expectation_results (run_id, asset_key, partition_key, suite, expectation_id, kind, source, dimension,
       severity, weight, column_name, evaluated, failed, observed, outcome, examples)
     SELECT "runId", "assetKey", "partitionKey", suite, "expectationId", kind, source, dimension, severity, weight, "columnName",
            evaluated, failed, observed, outcome, examples
       FROM jsonb_to_recordset($1::jsonb) AS x("runId" text, "assetKey" text, "partitionKey" text, suite text, "expectationId" text,
            kind text, source text, dimension text, severity text, weight numeric, "columnName" text, evaluated bigint, failed bigint,
            observed jsonb, outcome text, examples jsonb)`,
    [JSON.stringify(results)],
  );
}

/** A stored row back as a domain result, scored by the one rule of stored rows (domain/quality/stored-result-score.ts). */
function fromRow(row: {
  expectation_id: string;
  asset_key: string;
  kind: string;
  dimension: QualityDimension;
  severity: 'warn' | 'block';
  weight: string;
  evaluated: number;
  failed: number;
  outcome: string;
}): ExpectationResult {
  return {
    expectationId: row.expectation_id,
    asset: row.asset_key,
    kind: 'external',
    dimension: row.dimension,
    severity: row.severity,
    weight: Number(row.weight),
    passed: row.outcome === 'pass',
    evaluated: row.evaluated,
    failed: row.failed,
    observed: null,
    unexpectedShare: null,
    score: storedResultScore(row),
    message: '',
    examples: [],
  };
}

export interface RunQuality {
  verdict: SlaVerdict;
  /** Results evaluated in the run. */
  results: number;
}

type Counted = ExpectationResult & { evaluated: number; failed: number };

async function runResults(db: Queryable, runId: string): Promise<Counted[]> {
  const rows = (
    await db.query(
      `SELECT expectation_id, asset_key, kind, dimension, severity, weight, evaluated, failed, outcome FROM dw_meta.expectation_results WHERE run_id = $1 ORDER BY id`,
      [runId],
    )
  ).rows;
  return rows.map(fromRow) as Counted[];
}

const below = (score: number, floor: number): boolean => score < floor - 1e-9;
type SlaStatus = 'pass' | 'warn' | 'block';

/**
 * Scores the run's results with the SLA policy and writes dw_meta.quality_scores: per asset × dimension, 'overall' per
 * asset, and asset '*' for the run (idempotent per run). null when the run evaluated nothing (every asset was current).
 */
export async function scoreRun(db: Queryable, runId: string, policy: SlaPolicy): Promise<RunQuality | null> {
  const results = await runResults(db, runId);
  if (results.length === 0) return null;
  const verdict = decideSla(results, policy);
  const assetStatus = new Map<string, SlaStatus>();
  for (const reason of verdict.reasons)
    if (reason.asset && assetStatus.get(reason.asset) !== 'block') assetStatus.set(reason.asset, reason.level);
  const out: Array<{ a: string; d: string; s: number; e: number; f: number; st: SlaStatus }> = [];
  const add = (asset: string, dimension: string, subset: Counted[], st: (score: number) => SlaStatus) => {
    const cell = decideSla(subset, policy).scores.overall;
    if (!cell) return;
    out.push({
      a: asset,
      d: dimension,
      s: cell.score,
      e: subset.reduce((n, r) => n + r.evaluated, 0),
      f: subset.reduce((n, r) => n + r.failed, 0),
      st: st(cell.score),
    });
  };
  const floorStatus =
    (floor: number, otherwise: SlaStatus = 'pass') =>
    (score: number): SlaStatus =>
      below(score, floor) ? policy.onBreach : otherwise;
  add('*', 'overall', results, () => verdict.decision);
  for (const d of QUALITY_DIMENSIONS)
    add(
      '*',
      d,
      results.filter((r) => r.dimension === d),
      floorStatus(policy.overallFloor),
    );
  for (const asset of Object.keys(verdict.scores.byAsset)) {
    const mine = results.filter((r) => r.asset === asset);
    const floor = policy.assetFloors[asset] ?? policy.overallFloor;
    add(asset, 'overall', mine, floorStatus(floor, assetStatus.get(asset) ?? 'pass'));
    for (const d of QUALITY_DIMENSIONS)
      add(
        asset,
        d,
        mine.filter((r) => r.dimension === d),
        floorStatus(floor),
      );
  }
  await db.query(
    `INSERT INTO dw_meta.quality_scores (run_id, asset_key, dimension, score, evaluated, failed, sla_status)
     SELECT $1, a, d, s, e, f, st FROM jsonb_to_recordset($2::jsonb) AS x(a text, d text, s numeric, e bigint, f bigint, st text)
     ON CONFLICT (run_id, asset_key, dimension) DO UPDATE
       SET score = EXCLUDED.score, evaluated = EXCLUDED.evaluated, failed = EXCLUDED.failed, sla_status = EXCLUDED.sla_status, computed_at = now()`,
    [runId, JSON.stringify(out)],
  );
  return { verdict, results: results.length };
}

/** Deletes results and scores older than `days` days; returns how many rows of each went. */
export async function applyRetention(db: Queryable, days: number): Promise<{ results: number; scores: number }> {
  const results = await db.query(`DELETE FROM dw_meta.expectation_results WHERE evaluated_at < now() - make_interval(days => $1)`, [days]);
  const scores = await db.query(`DELETE FROM dw_meta.quality_scores WHERE computed_at < now() - make_interval(days => $1)`, [days]);
  return { results: results.rowCount ?? 0, scores: scores.rowCount ?? 0 };
}
