// A failed dbt `relationships` test names its failing keys and where each came from: source file and CSV record.
import type { Manifest } from '../../assets';
import type { Pool } from '../../infra/db';
import { piiClass } from '../../schema/pii';

/** Failing keys named per failed relationships test. */
export const MAX_KEYS = 5;

interface TestResult {
  unique_id: string;
  status: string;
  compiled_code?: string | null;
}

interface RelationshipsTest {
  test_metadata?: { name?: string; kwargs?: { column_name?: string; field?: string; to?: string } };
  attached_node?: string | null;
  depends_on: { nodes: string[] };
}

interface SourceNode {
  schema?: string;
  identifier?: string;
  name?: string;
}

export interface FailingKey {
  key: string;
  /** The source file and CSV record of a row holding the key, in the child model's upstream tables; null if none carries it. */
  sourceFile: string | null;
  record: number | null;
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The source tables (schema.table) a model reads, through every model upstream of it. */
function upstreamSources(manifest: Manifest, nodeId: string): SourceNode[] {
  const nodes = manifest.nodes as unknown as Record<string, { depends_on?: { nodes: string[] } }>;
  const sources = manifest.sources as unknown as Record<string, SourceNode>;
  const seen = new Set<string>();
  const found: SourceNode[] = [];
  const walk = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    if (id.startsWith('source.')) {
      if (sources[id]) found.push(sources[id]);
      return;
    }
    for (const d of nodes[id]?.depends_on?.nodes ?? []) walk(d);
  };
  walk(nodeId);
  return found;
}

/**
 * The failing keys of a relationships test (its compiled SQL, run again while the shadow relations it read exist) and,
 * for each, the source file and record of a row holding it in a source table upstream of the child model (those
 * tables carry `_source_sha256` and `_source_row`; the file name comes from the ledger's row accounting).
 */
export async function failingKeys(pool: Pool, manifest: Manifest, result: TestResult, limit = MAX_KEYS): Promise<FailingKey[] | undefined> {
  const test = (manifest.nodes as unknown as Record<string, RelationshipsTest>)[result.unique_id];
  const column = test?.test_metadata?.kwargs?.column_name;
  if (test?.test_metadata?.name !== 'relationships' || !column || !result.compiled_code) return undefined;
  const failing = await pool.query(`SELECT * FROM (${result.compiled_code}) AS failing LIMIT $1`, [limit]);
  const keys = [...new Set(failing.rows.map((r) => String(Object.values(r)[0])))];
  if (keys.length === 0) return [];
  const where = new Map<string, { sha: string; row: number }>();
  const child = test.attached_node ?? test.depends_on.nodes.at(-1);
  for (const src of child ? upstreamSources(manifest, child) : []) {
    const table = src.identifier ?? src.name;
    if (!src.schema || !table) continue;
    const cols = await pool.query(
      `SELECT array_agg(column_name::text) AS cols FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
      [src.schema, table],
    );
    const have = new Set<string>(cols.rows[0]?.cols ?? []);
    if (!have.has(column) || !have.has('_source_sha256') || !have.has('_source_row')) continue;
    const hits = await pool.query(
      `SELECT DISTINCT ON (k) ${quote(column)}::text AS k, _source_sha256 AS sha, _source_row AS row
         FROM ${quote(src.schema)}.${quote(table)} WHERE ${quote(column)}::text = ANY($1) ORDER BY k, _source_row`,
      [keys.filter((k) => !where.has(k))],
    );
    for (const h of hits.rows) where.set(h.k, { sha: h.sha, row: Number(h.row) });
  }
  const shas = [...new Set([...where.values()].map((w) => w.sha))];
  const files = new Map<string, string>(
    shas.length
      ? (
          await pool.query(
            `SELECT DISTINCT ON (source_sha256) source_sha256 AS sha, source_file AS file FROM dw_meta.row_accounting
              WHERE source_sha256 = ANY($1) AND source_file IS NOT NULL ORDER BY source_sha256, materialization_id DESC`,
            [shas],
          )
        ).rows.map((r) => [r.sha, r.file])
      : [],
  );
  return keys.map((key) => {
    const w = where.get(key);
    return { key, sourceFile: w ? (files.get(w.sha) ?? `file sha256 ${w.sha.slice(0, 12)}`) : null, record: w?.row ?? null };
  });
}

/** `order_id 'x1' (olist_order_reviews_dataset.csv record 17), …`; a personal identifier is not shown, its place is. */
export function describeKeys(column: string, keys: FailingKey[], failures: number | null): string {
  const shown = keys.map((k) => {
    const value = piiClass(column) ? '(personal identifier, not shown)' : `'${k.key}'`;
    const at = k.sourceFile ? ` (${k.sourceFile} record ${k.record})` : ' (no source record found upstream)';
    return `${value}${at}`;
  });
  const more = failures && failures > keys.length ? `, and ${failures - keys.length} more` : '';
  return `${column} without a match: ${shown.join(', ')}${more}`;
}

/** For each failed relationships test among `results`: the sentence naming its failing keys and their records. */
export async function explainRelationships(
  pool: Pool,
  manifest: Manifest,
  results: (TestResult & { failures: number | null })[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of results) {
    if (r.status !== 'fail' || !r.unique_id.startsWith('test.')) continue;
    const test = (manifest.nodes as unknown as Record<string, RelationshipsTest>)[r.unique_id];
    const column = test?.test_metadata?.kwargs?.column_name;
    if (test?.test_metadata?.name !== 'relationships' || !column) continue;
    try {
      const keys = await failingKeys(pool, manifest, r);
      if (keys?.length) out.set(r.unique_id, describeKeys(column, keys, r.failures));
    } catch (err) {
      out.set(r.unique_id, `its failing keys could not be read: ${(err as Error).message}`);
    }
  }
  return out;
}
