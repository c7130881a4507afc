// A content digest of every warehouse table (domain, events, quarantine, dbt's analytics), to compare two databases.
import type { Pool } from '../../infra/db';

const SCHEMAS = ['sales', 'customer', 'fulfillment', 'marketplace', 'events', 'quarantine', 'analytics'];
/** Columns that differ between equal runs by construction (serial ids, insert times). */
const VOLATILE = ['id', 'created_at'];

/** A JSON value with a sealed string (pii1:…) replaced by its plain text: sealing draws a random IV, content does not. */
const opened = (v: string) =>
  `CASE WHEN jsonb_typeof(${v}) = 'string' AND left(${v} #>> '{}', 5) = 'pii1:' THEN to_jsonb(pii.open(${v} #>> '{}')) ELSE ${v} END`;

/** A row as canonical JSON text: sealed values opened, a sealed quarantine record opened with the free text inside it. */
const canonicalRow = (strip: string) => `(SELECT jsonb_object_agg(e.key, CASE
      WHEN e.key = 'sealed_record' AND jsonb_typeof(e.value) = 'string'
        THEN (SELECT jsonb_object_agg(i.key, ${opened('i.value')}) FROM jsonb_each(pii.open(e.value #>> '{}')::jsonb) AS i)
      ELSE ${opened('e.value')} END) FROM jsonb_each(to_jsonb(x)${strip}) AS e)::text`;

/**
 * `schema.table` → "row count:md5 of the rows in a canonical order"; tables that do not exist yet are left out. The pool
 * must hold the PII keys (attachPiiKeys) where sealed values are stored.
 */
export async function warehouseDigest(pool: Pool): Promise<Record<string, string>> {
  const tables = (
    await pool.query(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
      WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1`,
      [SCHEMAS],
    )
  ).rows.map((r) => r.t as string);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const strip = VOLATILE.map((c) => ` - '${c}'`).join('');
    const r = await pool.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(j, '|' ORDER BY j), '')) AS d FROM (SELECT ${canonicalRow(strip)} AS j FROM ${t} x) s`,
    );
    out[t] = `${r.rows[0].n}:${r.rows[0].d}`;
  }
  return out;
}

/**
 * What readers of the `analytics%` schemas see: each table's rows ("count:md5") and each view's definition (a view
 * left reading a retired relation shows it in its definition). Views hold no rows of their own: their content follows
 * the domain tables live.
 */
export async function analyticsDigest(pool: Pool): Promise<Record<string, string>> {
  const rels = (
    await pool.query(
      `SELECT n.nspname || '.' || c.relname AS r, c.relkind = 'v' AS view, pg_get_viewdef(c.oid) AS def FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname LIKE 'analytics%' AND c.relkind IN ('r', 'v') ORDER BY 1`,
    )
  ).rows;
  const out: Record<string, string> = {};
  for (const { r, view, def } of rels) {
    if (view) {
      out[r] = `view:${def}`;
      continue;
    }
    const d = await pool.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(j, '|' ORDER BY j), '')) AS d FROM (SELECT to_jsonb(x)::text AS j FROM ${r} x) s`,
    );
    out[r] = `${d.rows[0].n}:${d.rows[0].d}`;
  }
  return out;
}
