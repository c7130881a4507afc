// Reads of the quality ledger (dw_meta.expectation_results, dw_meta.quality_scores) for dw quality and the data docs.
import type { Pool } from '../../infra/db';
import type { StoredExample, StoredResult as WrittenResult } from '../quality/store';

export type { StoredExample };

/** One stored expectation result, as the suites wrote it (activities/quality/store.ts), with its time; examples only when asked for. */
export interface StoredResult extends WrittenResult {
  evaluatedAt: string;
}

export interface RunRef {
  runId: string;
  /** When its results were written (ISO, UTC). */
  at: string;
}

export interface HistoryRow {
  runId: string;
  startedAt: string;
  assetKey: string;
  dimension: string;
  score: number;
  evaluated: number;
  failed: number;
  slaStatus: 'pass' | 'warn' | 'block';
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;
const COLUMNS = `run_id, asset_key, partition_key, suite, expectation_id, kind, source, dimension, severity, weight::float8 AS weight,
  column_name, evaluated::float8 AS evaluated, failed::float8 AS failed, observed, outcome,
  to_char(evaluated_at AT TIME ZONE 'UTC', ${ISO}) AS evaluated_at`;

function toResult(r: Record<string, unknown>): StoredResult {
  return {
    runId: r.run_id as string,
    assetKey: r.asset_key as string,
    partitionKey: r.partition_key as string,
    suite: r.suite as string,
    expectationId: r.expectation_id as string,
    kind: r.kind as string,
    source: r.source as StoredResult['source'],
    dimension: r.dimension as StoredResult['dimension'],
    severity: r.severity as StoredResult['severity'],
    weight: r.weight as number,
    columnName: (r.column_name as string | null) ?? null,
    evaluated: r.evaluated as number,
    failed: r.failed as number,
    observed: r.observed ?? null,
    outcome: r.outcome as StoredResult['outcome'],
    examples: (r.examples as StoredExample[] | undefined) ?? [],
    evaluatedAt: r.evaluated_at as string,
  };
}

/** The most recent runs that recorded expectation results, newest first (a run that evaluated nothing is not one of them). */
export async function recentQualityRuns(db: Pool, limit = 2): Promise<RunRef[]> {
  const { rows } = await db.query(
    `SELECT run_id, to_char(max(evaluated_at) AT TIME ZONE 'UTC', ${ISO}) AS at FROM dw_meta.expectation_results
      GROUP BY run_id ORDER BY max(evaluated_at) DESC, run_id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ runId: r.run_id, at: r.at }));
}

/** Every result of a run, in asset, partition, expectation order; with their failing examples when asked. */
export async function runResults(db: Pool, runId: string, opts: { examples?: boolean } = {}): Promise<StoredResult[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS}${opts.examples ? ', examples' : ''} FROM dw_meta.expectation_results WHERE run_id = $1
      ORDER BY asset_key, partition_key, expectation_id, id`,
    [runId],
  );
  return rows.map(toResult);
}

/** A `*` in the asset filter matches any characters (`dbt/*`); nothing else is special. */
export function assetPattern(asset: string | undefined): string | null {
  return asset === undefined ? null : asset.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/**
 * The stored scores per run, oldest first: the overall rows (asset '*') without an asset filter, else the matching
 * assets' rows; each with its run's start (dw_meta.runs; the scores' time when the run is not there).
 */
export async function scoreHistory(db: Pool, f: { asset?: string; since?: string } = {}): Promise<HistoryRow[]> {
  const { rows } = await db.query(
    `SELECT s.run_id, to_char(coalesce(r.started_at, s.computed_at) AT TIME ZONE 'UTC', ${ISO}) AS started_at, s.asset_key,
            s.dimension, s.score::float8 AS score, s.evaluated::float8 AS evaluated, s.failed::float8 AS failed, s.sla_status
       FROM dw_meta.quality_scores s LEFT JOIN dw_meta.runs r ON r.run_id = s.run_id
      WHERE (CASE WHEN $1::text IS NULL THEN s.asset_key = '*' ELSE s.asset_key LIKE $1 AND s.asset_key <> '*' END)
        AND ($2::timestamptz IS NULL OR coalesce(r.started_at, s.computed_at) >= $2::timestamptz)
      ORDER BY coalesce(r.started_at, s.computed_at), s.run_id, s.asset_key, s.dimension`,
    [assetPattern(f.asset), f.since ?? null],
  );
  return rows.map((r) => ({
    runId: r.run_id,
    startedAt: r.started_at,
    assetKey: r.asset_key,
    dimension: r.dimension,
    score: r.score,
    evaluated: r.evaluated,
    failed: r.failed,
    slaStatus: r.sla_status,
  }));
}

export interface FailurePage {
  runId: string | null;
  total: number;
  offset: number;
  limit: number;
  rows: StoredResult[];
}

/** The run's failing results (outcome warn or fail) with their examples, the most failed rows first. */
export async function failingResults(
  db: Pool,
  f: { runId: string; asset?: string; expectation?: string; limit: number; offset: number },
): Promise<FailurePage> {
  const where = `run_id = $1 AND outcome <> 'pass' AND ($2::text IS NULL OR asset_key LIKE $2) AND ($3::text IS NULL OR expectation_id = $3)`;
  const args = [f.runId, assetPattern(f.asset), f.expectation ?? null];
  const { rows } = await db.query(
    `SELECT ${COLUMNS}, examples FROM dw_meta.expectation_results WHERE ${where}
      ORDER BY failed DESC, asset_key, partition_key, expectation_id, id LIMIT $4 OFFSET $5`,
    [...args, f.limit, f.offset],
  );
  const total = (await db.query(`SELECT count(*)::int AS n FROM dw_meta.expectation_results WHERE ${where}`, args)).rows[0].n as number;
  return { runId: f.runId, total, offset: f.offset, limit: f.limit, rows: rows.map(toResult) };
}
