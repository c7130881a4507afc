// The ledger (dw_meta): checkpoints, materializations, check results, row accounting and runs.
import type { PoolClient } from 'pg';
import type { Pool } from '../../infra/db';
import type { CheckResult, RowCounts, RowCountsOrNull } from '../types';

type Queryable = Pool | PoolClient;

export interface MaterializationRecord {
  runId: string;
  assetKey: string;
  partitionKey: string;
  status: 'success' | 'failed' | 'blocked';
  inputVersion?: string;
  dataVersion?: string;
  counts?: RowCounts;
  durationMs?: number;
  errorCode?: string;
  errorMessage?: string;
  blockedBy?: string;
  metadata?: Record<string, unknown>;
  checks?: CheckResult[];
  source?: { file: string; sha256: string };
}

export interface Checkpoint {
  inputVersion: string;
  dataVersion: string;
  materializationId: number;
}

export async function getCheckpoint(db: Queryable, assetKey: string, partitionKey: string): Promise<Checkpoint | undefined> {
  const r = await db.query(
    `SELECT input_version, data_version, materialization_id FROM dw_meta.checkpoints WHERE asset_key = $1 AND partition_key = $2`,
    [assetKey, partitionKey],
  );
  const row = r.rows[0];
  return row
    ? { inputVersion: row.input_version, dataVersion: row.data_version, materializationId: Number(row.materialization_id) }
    : undefined;
}

/** The id of the latest materialization attempt of an asset partition (success, failed or blocked). */
export async function latestAttemptId(db: Queryable, assetKey: string, partitionKey: string): Promise<number | undefined> {
  const r = await db.query(`SELECT max(id) AS id FROM dw_meta.materializations WHERE asset_key = $1 AND partition_key = $2`, [
    assetKey,
    partitionKey,
  ]);
  return r.rows[0].id === null ? undefined : Number(r.rows[0].id);
}

/** The data versions of every partition of an asset, as one string (what an unpartitioned downstream reads). */
export async function partitionVersions(db: Queryable, assetKey: string): Promise<string | undefined> {
  const r = await db.query(
    `SELECT string_agg(partition_key || ':' || data_version, ',' ORDER BY partition_key) AS v FROM dw_meta.checkpoints WHERE asset_key = $1`,
    [assetKey],
  );
  return r.rows[0].v ?? undefined;
}

/** Writes one materialization with its checks and row accounting; on success also moves the checkpoint. */
export async function recordMaterialization(db: Queryable, m: MaterializationRecord): Promise<number> {
  const c = m.counts;
  const r = await db.query(
    `INSERT INTO dw_meta.materializations
       (run_id, asset_key, partition_key, status, input_version, data_version, rows_read, rows_written,
        rows_quarantined, rows_deduplicated, duration_ms, error_code, error_message, blocked_by, metadata)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING id`,
    [
      m.runId,
      m.assetKey,
      m.partitionKey,
      m.status,
      m.inputVersion ?? null,
      m.dataVersion ?? null,
      c?.rowsRead ?? null,
      c?.rowsWritten ?? null,
      c?.rowsQuarantined ?? null,
      c?.rowsDeduplicated ?? null,
      m.durationMs ?? null,
      m.errorCode ?? null,
      m.errorMessage ?? null,
      m.blockedBy ?? null,
      m.metadata ? JSON.stringify(m.metadata) : null,
    ],
  );
  const id = Number(r.rows[0].id);
  for (const check of m.checks ?? []) {
    await db.query(
      `INSERT INTO dw_meta.check_results (materialization_id, asset_key, partition_key, check_name, passed, blocking, message, metadata)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [
        id,
        m.assetKey,
        m.partitionKey,
        check.name,
        check.passed,
        check.blocking,
        check.message,
        check.metadata ? JSON.stringify(check.metadata) : null,
      ],
    );
  }
  if (c) {
    await db.query(
      `INSERT INTO dw_meta.row_accounting (materialization_id, asset_key, partition_key, source_file, source_sha256,
         rows_read, rows_written, rows_quarantined, rows_deduplicated) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [
        id,
        m.assetKey,
        m.partitionKey,
        m.source?.file ?? null,
        m.source?.sha256 ?? null,
        c.rowsRead,
        c.rowsWritten,
        c.rowsQuarantined,
        c.rowsDeduplicated,
      ],
    );
  }
  if (m.status === 'success') {
    if (!m.inputVersion || !m.dataVersion) throw new Error(`a successful materialization of ${m.assetKey} needs input and data versions`);
    await db.query(
      `INSERT INTO dw_meta.checkpoints (asset_key, partition_key, input_version, data_version, materialization_id, updated_at)
       VALUES ($1,$2,$3,$4,$5, now())
       ON CONFLICT (asset_key, partition_key) DO UPDATE
         SET input_version = EXCLUDED.input_version, data_version = EXCLUDED.data_version,
             materialization_id = EXCLUDED.materialization_id, updated_at = now()`,
      [m.assetKey, m.partitionKey, m.inputVersion, m.dataVersion, id],
    );
  }
  return id;
}

export async function recordRunStart(
  db: Queryable,
  run: { runId: string; workflowId: string; selection: string; partitionKey: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO dw_meta.runs (run_id, workflow_id, selection, partition_key, status) VALUES ($1,$2,$3,$4,'running')
     ON CONFLICT (run_id) DO NOTHING`,
    [run.runId, run.workflowId, run.selection, run.partitionKey],
  );
}

export async function recordRunEnd(db: Queryable, runId: string, status: string, summary: unknown): Promise<void> {
  await db.query(`UPDATE dw_meta.runs SET status = $2, finished_at = now(), summary = $3 WHERE run_id = $1`, [
    runId,
    status,
    JSON.stringify(summary),
  ]);
}

export interface AssetStatusRow extends RowCountsOrNull {
  assetKey: string;
  partitionKey: string;
  status: string;
  durationMs: number | null;
  at: string;
  current: boolean;
  errorMessage: string | null;
  blockedBy: string | null;
}

/** The latest materialization attempt of every asset partition, and whether its checkpoint is that attempt. */
export async function latestStatus(db: Queryable): Promise<AssetStatusRow[]> {
  const r = await db.query(`
    SELECT DISTINCT ON (m.asset_key, m.partition_key)
           m.asset_key, m.partition_key, m.status, m.rows_read, m.rows_written, m.rows_quarantined,
           m.rows_deduplicated, m.duration_ms, to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at,
           (c.materialization_id = m.id) AS current, m.error_message, m.blocked_by
      FROM dw_meta.materializations m
      LEFT JOIN dw_meta.checkpoints c ON c.asset_key = m.asset_key AND c.partition_key = m.partition_key
     ORDER BY m.asset_key, m.partition_key, m.id DESC`);
  return r.rows.map((row) => ({
    assetKey: row.asset_key,
    partitionKey: row.partition_key,
    status: row.status,
    rowsRead: row.rows_read,
    rowsWritten: row.rows_written,
    rowsQuarantined: row.rows_quarantined,
    rowsDeduplicated: row.rows_deduplicated,
    durationMs: row.duration_ms,
    at: row.at,
    current: row.current === true,
    errorMessage: row.error_message,
    blockedBy: row.blocked_by,
  }));
}

/** The domain asset partitions holding quarantined rows (under `ruleCode` when given): what a replay validates again. */
export async function quarantinedPartitions(db: Queryable, ruleCode?: string): Promise<{ assetKey: string; partitionKey: string }[]> {
  const r = await db.query(
    `SELECT DISTINCT asset_key, partition_key FROM quarantine.rows
      WHERE asset_key LIKE 'domain/%' AND ($1::text IS NULL OR rule_code = $1) ORDER BY 1, 2`,
    [ruleCode ?? null],
  );
  return r.rows.map((row) => ({ assetKey: row.asset_key, partitionKey: row.partition_key }));
}
