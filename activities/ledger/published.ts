// The ledger of published dbt relations (dw_meta.published_versions) and of the last attempt of an asset partition.
import type { PoolClient } from 'pg';
import type { Pool } from '../../infra/db';

type Queryable = Pool | PoolClient;

export interface Attempt {
  id: number;
  runId: string;
  status: 'success' | 'failed' | 'blocked';
  inputVersion: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** The latest materialization attempt of an asset partition, whatever its status. */
export async function lastAttempt(db: Queryable, assetKey: string, partitionKey: string): Promise<Attempt | undefined> {
  const r = await db.query(
    `SELECT id, run_id, status, input_version, error_code, error_message FROM dw_meta.materializations
      WHERE asset_key = $1 AND partition_key = $2 ORDER BY id DESC LIMIT 1`,
    [assetKey, partitionKey],
  );
  const row = r.rows[0];
  return (
    row && {
      id: Number(row.id),
      runId: row.run_id,
      status: row.status,
      inputVersion: row.input_version,
      errorCode: row.error_code,
      errorMessage: row.error_message,
    }
  );
}

export interface PublishedVersion {
  id: number;
  assetKey: string;
  runId: string;
  materializationId: number | null;
  inputVersion: string;
  relationKind: 'table' | 'view';
  rowCount: number | null;
  archivedAs: string | null;
  publishedAt: string;
}

const COLUMNS = `id, asset_key, run_id, materialization_id, input_version, relation_kind, row_count, archived_as,
  to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS published_at`;

function toVersion(row: Record<string, unknown>): PublishedVersion {
  return {
    id: Number(row.id),
    assetKey: row.asset_key as string,
    runId: row.run_id as string,
    materializationId: row.materialization_id === null ? null : Number(row.materialization_id),
    inputVersion: row.input_version as string,
    relationKind: row.relation_kind as 'table' | 'view',
    rowCount: row.row_count === null ? null : Number(row.row_count),
    archivedAs: row.archived_as as string | null,
    publishedAt: row.published_at as string,
  };
}

/** The version of each asset that readers see now (not retired). */
export async function currentPublished(db: Queryable): Promise<Map<string, PublishedVersion>> {
  const r = await db.query(`SELECT ${COLUMNS} FROM dw_meta.published_versions WHERE retired_at IS NULL ORDER BY id`);
  return new Map(r.rows.map((row) => [row.asset_key as string, toVersion(row)]));
}

export async function recordPublished(db: Queryable, v: Omit<PublishedVersion, 'id' | 'archivedAs' | 'publishedAt'>): Promise<number> {
  const r = await db.query(
    `INSERT INTO dw_meta.published_versions (asset_key, run_id, materialization_id, input_version, relation_kind, row_count)
     VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
    [v.assetKey, v.runId, v.materializationId, v.inputVersion, v.relationKind, v.rowCount],
  );
  return Number(r.rows[0].id);
}

/** Marks a published version retired, kept as `archivedAs` (schema.name) for rollback; null when its relation was gone. */
export async function recordRetired(db: Queryable, id: number, archivedAs: string | null): Promise<void> {
  await db.query(`UPDATE dw_meta.published_versions SET retired_at = now(), archived_as = $2 WHERE id = $1`, [id, archivedAs]);
}

/** Retired versions of an asset still kept, newest first. */
export async function keptVersions(db: Queryable, assetKey: string): Promise<PublishedVersion[]> {
  const r = await db.query(
    `SELECT ${COLUMNS} FROM dw_meta.published_versions
      WHERE asset_key = $1 AND retired_at IS NOT NULL AND dropped_at IS NULL AND archived_as IS NOT NULL ORDER BY id DESC`,
    [assetKey],
  );
  return r.rows.map(toVersion);
}

export async function recordDropped(db: Queryable, id: number): Promise<void> {
  await db.query(`UPDATE dw_meta.published_versions SET dropped_at = now() WHERE id = $1`, [id]);
}

export interface PublicationStatus {
  /** The version readers see: the run that published it, when, its rows (tables). */
  published?: { runId: string; at: string; rowCount: number | null };
  /** The latest attempt when it did not publish (failed or blocked): its run and why. */
  candidate?: { runId: string; status: string; at: string; reason: string };
}

/** For each dbt model with an attempt: its published version and, if the latest attempt did not publish, that candidate. */
export async function publicationStatus(db: Queryable): Promise<Map<string, PublicationStatus>> {
  const r = await db.query(`
    SELECT DISTINCT ON (m.asset_key) m.asset_key, m.id, m.run_id, m.status, m.error_message, m.blocked_by,
           to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at,
           coalesce(p.run_id, cm.run_id) AS published_run, coalesce(p.row_count, cm.rows_written) AS row_count,
           to_char(coalesce(p.published_at, cm.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS published_at
      FROM dw_meta.materializations m
      LEFT JOIN dw_meta.published_versions p ON p.asset_key = m.asset_key AND p.retired_at IS NULL
      -- a model built before versions were recorded: its checkpoint's materialization
      LEFT JOIN dw_meta.checkpoints c ON c.asset_key = m.asset_key AND c.partition_key = ''
      LEFT JOIN dw_meta.materializations cm ON cm.id = c.materialization_id AND p.id IS NULL
     WHERE m.asset_key LIKE 'dbt/%' ORDER BY m.asset_key, m.id DESC`);
  return new Map(
    r.rows.map((row) => [
      row.asset_key as string,
      {
        ...(row.published_run
          ? {
              published: {
                runId: row.published_run,
                at: row.published_at,
                rowCount: row.row_count === null ? null : Number(row.row_count),
              },
            }
          : {}),
        ...(row.status !== 'success'
          ? {
              candidate: {
                runId: row.run_id,
                status: row.status,
                at: row.at,
                reason: row.blocked_by ? `blocked by ${row.blocked_by}` : (row.error_message ?? ''),
              },
            }
          : {}),
      },
    ]),
  );
}
