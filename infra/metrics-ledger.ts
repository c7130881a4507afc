// The ledger figures of one scrape: a few aggregate queries over dw_meta, read by the worker's metrics at scrape time.
import type { Pool } from './db';

/** What one scrape reads from the ledger (one set of queries, shared by every gauge of that scrape). */
export interface LedgerSnapshot {
  materializations: { asset_key: string; partitioned: boolean; status: string; n: number }[];
  latest: {
    asset_key: string;
    partitioned: boolean;
    state: string;
    n: number;
    rows_read: number;
    rows_written: number;
    rows_quarantined: number;
    rows_deduplicated: number;
  }[];
  lastSuccess: { asset_key: string; at: number }[];
  sourceSince: { asset_key: string; at: number }[];
  checks: { asset_key: string; passed: boolean; n: number }[];
  repaired: { asset_key: string; n: number }[];
  runs: { status: string; n: number }[];
  lastRunStart: number | null;
  schedules: { schedule: string; at: number }[];
  backfill: { status: string; n: number }[];
  backfillLastProgress: number | null;
  tables: { table_name: string; n: number }[];
  ledgerBytes: number;
}

// The latest attempt of each asset partition, as `dw status` shows it (and whether the checkpoint is that attempt).
const LATEST = `
  SELECT DISTINCT ON (m.asset_key, m.partition_key) m.*, (c.materialization_id = m.id) AS current
    FROM dw_meta.materializations m
    LEFT JOIN dw_meta.checkpoints c ON c.asset_key = m.asset_key AND c.partition_key = m.partition_key
   ORDER BY m.asset_key, m.partition_key, m.id DESC`;

const QUERIES = {
  materializations: `SELECT asset_key, partition_key <> '' AS partitioned, status, count(*)::int AS n
    FROM dw_meta.materializations GROUP BY 1, 2, 3`,
  latest: `SELECT asset_key, partition_key <> '' AS partitioned,
      CASE WHEN status = 'success' THEN (CASE WHEN current THEN 'materialized' ELSE 'superseded' END) ELSE status END AS state,
      count(*)::int AS n, coalesce(sum(rows_read), 0)::bigint AS rows_read, coalesce(sum(rows_written), 0)::bigint AS rows_written,
      coalesce(sum(rows_quarantined), 0)::bigint AS rows_quarantined, coalesce(sum(rows_deduplicated), 0)::bigint AS rows_deduplicated
    FROM (${LATEST}) l GROUP BY 1, 2, 3`,
  lastSuccess: `SELECT asset_key, extract(epoch FROM max(created_at))::float8 AS at
    FROM dw_meta.materializations WHERE status = 'success' GROUP BY 1`,
  // When the ledger first loaded the content (sha256) of each raw asset's source file that its last success loaded.
  sourceSince: `WITH cur AS (
      SELECT DISTINCT ON (ra.asset_key) ra.asset_key, ra.source_sha256 FROM dw_meta.row_accounting ra
        JOIN dw_meta.materializations m ON m.id = ra.materialization_id
       WHERE m.status = 'success' AND ra.source_sha256 IS NOT NULL ORDER BY ra.asset_key, m.id DESC)
    SELECT cur.asset_key, extract(epoch FROM min(m.created_at))::float8 AS at FROM cur
      JOIN dw_meta.row_accounting ra ON ra.asset_key = cur.asset_key AND ra.source_sha256 = cur.source_sha256
      JOIN dw_meta.materializations m ON m.id = ra.materialization_id AND m.status = 'success' GROUP BY 1`,
  checks: `SELECT cr.asset_key, cr.passed, count(*)::int AS n
    FROM dw_meta.check_results cr JOIN (${LATEST}) l ON cr.materialization_id = l.id GROUP BY 1, 2`,
  // Staging records its repairs (zip prefixes, 44.0, blanks) as the non-blocking check 'repairs' with the count in its metadata.
  repaired: `SELECT cr.asset_key, coalesce(sum((cr.metadata->>'repaired')::bigint), 0)::bigint AS n
    FROM dw_meta.check_results cr JOIN (${LATEST}) l ON cr.materialization_id = l.id WHERE cr.check_name = 'repairs' GROUP BY 1`,
  runs: `SELECT status, count(*)::int AS n FROM dw_meta.runs GROUP BY 1`,
  lastRunStart: `SELECT extract(epoch FROM max(started_at))::float8 AS v FROM dw_meta.runs WHERE workflow_id NOT LIKE '%/%'`,
  // A scheduled run's workflow id is `schedule:<schedule id>-<fire time>` (Temporal appends the time).
  schedules: `SELECT regexp_replace(workflow_id, '^schedule:(.*)-\\d{4}-\\d{2}-\\d{2}T.*$', '\\1') AS schedule,
      extract(epoch FROM max(started_at))::float8 AS at
    FROM dw_meta.runs WHERE workflow_id LIKE 'schedule:%' AND workflow_id NOT LIKE '%/%' GROUP BY 1`,
  // A backfill's children are runs whose workflow id is `<backfill workflow id>/<partition>`; the latest run of each counts.
  backfill: `SELECT status, count(*)::int AS n FROM (
      SELECT DISTINCT ON (workflow_id) status FROM dw_meta.runs
       WHERE workflow_id LIKE '%/%' AND partition_key IS NOT NULL ORDER BY workflow_id, started_at DESC) b GROUP BY 1`,
  // Progress: a backfill partition run started or finished.
  backfillLastProgress: `SELECT extract(epoch FROM max(coalesce(finished_at, started_at)))::float8 AS v
    FROM dw_meta.runs WHERE workflow_id LIKE '%/%'`,
  tables: `SELECT 'materializations' AS table_name, count(*)::int AS n FROM dw_meta.materializations
    UNION ALL SELECT 'check_results', count(*)::int FROM dw_meta.check_results
    UNION ALL SELECT 'runs', count(*)::int FROM dw_meta.runs
    UNION ALL SELECT 'row_accounting', count(*)::int FROM dw_meta.row_accounting`,
  ledgerBytes: `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS v
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'dw_meta' AND c.relkind = 'r'`,
} as const;

export async function readLedger(pool: Pool): Promise<LedgerSnapshot> {
  const q = async (sql: string) => (await pool.query(sql)).rows;
  const one = async (sql: string) => ((await q(sql))[0]?.v ?? null) as number | null;
  return {
    materializations: await q(QUERIES.materializations),
    latest: await q(QUERIES.latest),
    lastSuccess: await q(QUERIES.lastSuccess),
    sourceSince: await q(QUERIES.sourceSince),
    checks: await q(QUERIES.checks),
    repaired: await q(QUERIES.repaired),
    runs: await q(QUERIES.runs),
    lastRunStart: await one(QUERIES.lastRunStart),
    schedules: await q(QUERIES.schedules),
    backfill: await q(QUERIES.backfill),
    backfillLastProgress: await one(QUERIES.backfillLastProgress),
    tables: await q(QUERIES.tables),
    ledgerBytes: (await one(QUERIES.ledgerBytes)) ?? 0,
  };
}
