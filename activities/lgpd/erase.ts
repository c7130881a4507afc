// LGPD erasure: one transaction, under the pipeline's locks, that tombstones a person's ids and deletes their rows
// from every layer (raw, staging, domain, outbox events, quarantine, marts and the versions kept in dw_versions).
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from '../../infra/db';
import { withPublishLock } from '../dbt/wap';
import { type SourceRecord, findSubject, sourceRecords, subjectRelations } from './subject';

export interface Touched {
  relation: string;
  rows: number;
}

export interface ErasureReport {
  requestId: string;
  /** pii.keyed_hash of the customer_unique_id: how the audit log and the tombstones name the person. */
  subjectHash: string;
  dryRun: boolean;
  customerIds: number;
  orderIds: number;
  /** New tombstones (an id erased before keeps its first one). */
  tombstones: number;
  touched: Touched[];
  /** Published marts and kept versions whose rows of the person were deleted. */
  marts: string[];
  /** Aggregates (no row per person) still count the person until rebuilt. */
  aggregatesNote: string;
}

export interface EraseOptions {
  dryRun?: boolean;
  /** The task queue whose run gate (cli/run-gate.ts) is held, so that no run starts meanwhile. */
  taskQueue: string;
  /** Called while another run's dbt build and publication hold the publication lock. */
  onWait?: () => void;
  /** How long to wait for a table another transaction holds (a running load), before giving up. */
  lockTimeout?: string;
}

export const AGGREGATES_NOTE =
  'aggregate marts (mart_executive_dashboard, mart_cohort_retention) hold no row per person: they count the erased orders ' +
  'until rebuilt; run `dw materialize --force` (or the next run whose inputs change) to recompute them from the erased facts';

/**
 * Erases the person in one transaction: the publication lock (no dbt build or publication interleaves), the run gate
 * (no run starts), every table that can hold them locked against writers (a load in flight finishes first), then
 * tombstones for every id (keyed hashes only), the quarantine rows and quality examples of their raw records, and
 * pii.apply_tombstones() for every layer. A dry run does all of it and rolls back.
 */
export async function erasePerson(pool: Pool, customerUniqueId: string, opts: EraseOptions): Promise<ErasureReport> {
  return withPublishLock(pool, opts.onWait ?? (() => undefined), async () => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const report = await eraseIn(client, customerUniqueId, opts);
      await client.query(opts.dryRun ? 'ROLLBACK' : 'COMMIT');
      return report;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw lockFailure(err);
    } finally {
      client.release(broken);
    }
  });
}

async function eraseIn(client: PoolClient, customerUniqueId: string, opts: EraseOptions): Promise<ErasureReport> {
  await client.query(`SELECT set_config('lock_timeout', $1, true)`, [opts.lockTimeout ?? '60s']);
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dw:run-gate:${opts.taskQueue}`]);
  await lockLayers(client);
  const subject = await findSubject(client, customerUniqueId);
  const records = await sourceRecords(client, subject);
  const requestId = `lgpd-${randomUUID()}`;
  const tombstones = (
    await client.query(
      `INSERT INTO pii.tombstones (kind, subject_hash, request_id)
       SELECT kind, hash, $3 FROM unnest($1::text[], $2::text[]) AS t(kind, hash) ON CONFLICT (subject_hash) DO NOTHING`,
      [subject.ids.map((i) => i.kind), subject.ids.map((i) => i.hash), requestId],
    )
  ).rowCount;
  const touched: Touched[] = [];
  const add = (relation: string, rows: number) => {
    if (rows === 0) return;
    const t = touched.find((x) => x.relation === relation);
    if (t) t.rows += rows;
    else touched.push({ relation, rows });
  };
  add('quarantine.rows', await deleteQuarantinedRecords(client, records));
  add('dw_meta.expectation_results (examples)', await scrubExamples(client, records));
  for (const r of (await client.query('SELECT relation, rows FROM pii.apply_tombstones()')).rows) add(r.relation, Number(r.rows));
  const layerOf = new Map((await subjectRelations(client)).map((r) => [`${r.schema}.${r.table}`, r.layer]));
  const order = ['raw', 'staging', 'domain', 'events', 'quarantine', 'marts', 'versions', 'ledger'];
  const layer = (rel: string) =>
    layerOf.get(rel) ?? (rel.startsWith('events.') ? 'events' : rel.startsWith('quarantine.') ? 'quarantine' : 'ledger');
  touched.sort((a, b) => order.indexOf(layer(a.relation)) - order.indexOf(layer(b.relation)) || a.relation.localeCompare(b.relation));
  return {
    requestId,
    subjectHash: subject.ids[0]!.hash,
    dryRun: !!opts.dryRun,
    customerIds: subject.ids.filter((i) => i.kind === 'customer_id').length,
    orderIds: subject.ids.filter((i) => i.kind === 'order_id').length,
    tombstones: tombstones ?? 0,
    touched,
    marts: touched.filter((t) => ['marts', 'versions'].includes(layer(t.relation))).map((t) => t.relation),
    aggregatesNote: AGGREGATES_NOTE,
  };
}

/**
 * Pipeline tables against every other access (a load or validation that read the layer before must finish first, or its
 * writes would bring the rows back after this commit); published marts and kept versions against writers only, so
 * dashboards keep reading. Locked in pipeline order (raw first), as the pipeline takes them.
 */
async function lockLayers(client: PoolClient): Promise<void> {
  const rels = await subjectRelations(client);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const pipeline = rels.filter((r) => ['raw', 'staging', 'domain'].includes(r.layer)).map((r) => `${q(r.schema)}.${q(r.table)}`);
  const published = rels.filter((r) => !['raw', 'staging', 'domain'].includes(r.layer)).map((r) => `${q(r.schema)}.${q(r.table)}`);
  await client.query(`LOCK TABLE ${[...pipeline, 'events.outbox', 'quarantine.rows'].join(', ')} IN ACCESS EXCLUSIVE MODE`);
  if (published.length) await client.query(`LOCK TABLE ${published.join(', ')} IN EXCLUSIVE MODE`);
}

/** Quarantine rows of the person's raw records (by file hash and record number), whatever their masked record holds. */
async function deleteQuarantinedRecords(client: PoolClient, records: SourceRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const r = await client.query(
    `DELETE FROM quarantine.rows q USING unnest($1::text[], $2::bigint[]) AS s(sha256, row)
      WHERE q.source_sha256 = s.sha256 AND q.source_row = s.row`,
    [records.map((x) => x.sha256), records.map((x) => x.row)],
  );
  return r.rowCount ?? 0;
}

/** Failing examples of quality expectations that show one of the person's records: removed from their lists. */
async function scrubExamples(client: PoolClient, records: SourceRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const r = await client.query(
    `WITH person AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS s(file, row)),
          hit AS (
            SELECT e.id, jsonb_agg(x.value ORDER BY x.i) FILTER (WHERE p.file IS NULL) AS kept, count(p.file) AS removed
              FROM dw_meta.expectation_results e
              CROSS JOIN LATERAL jsonb_array_elements(e.examples) WITH ORDINALITY AS x(value, i)
              LEFT JOIN person p ON p.file = x.value ->> 'sourceFile' AND p.row::text = x.value ->> 'record'
             WHERE jsonb_typeof(e.examples) = 'array' AND e.examples <> '[]'::jsonb
             GROUP BY e.id HAVING count(p.file) > 0)
     UPDATE dw_meta.expectation_results e SET examples = coalesce(hit.kept, '[]'::jsonb) FROM hit WHERE e.id = hit.id
     RETURNING hit.removed`,
    [records.map((x) => x.file), records.map((x) => x.row)],
  );
  return r.rows.reduce((n, x) => n + Number(x.removed), 0);
}

function lockFailure(err: unknown): unknown {
  if ((err as { code?: string }).code === '55P03')
    return new Error(
      `LGPD.LOCK_TIMEOUT: a load or validation still holds a table of the warehouse (${(err as Error).message}); ` +
        'nothing was erased: wait for the running run to end (dw status) and run dw lgpd erase again',
    );
  if ((err as { code?: string }).code === '40P01')
    return new Error(`LGPD.DEADLOCK: the erasure met a running load (${(err as Error).message}); nothing was erased: run it again`);
  return err;
}
