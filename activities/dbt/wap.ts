// Write-audit-publish of dbt models in PostgreSQL: shadow schemas, the catalog, the swap into the published schemas, kept versions.
import type { PoolClient } from 'pg';
import type { Pool } from '../../infra/db';
import { logger } from '../../infra/logger';
import { keptVersions, recordDropped } from '../ledger/published';

/** dbt builds a model of published schema S into S + this suffix (macros/write_audit_publish.sql). */
export const SHADOW_SUFFIX = '__shadow';
/** Retired versions live here, renamed `<model>__v<published_versions.id>`. */
export const VERSIONS_SCHEMA = 'dw_versions';
/** Session advisory lock held from the staleness check to the publication (the dbt lease in infra/dbt-lease.ts is 0x64770002). */
const PUBLISH_LOCK = 0x64770003;

export type RelationKind = 'table' | 'view';

export interface Relation {
  schema: string;
  name: string;
}

const log = logger('dbt-wap');
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
export const qualified = (r: Relation) => `${quote(r.schema)}.${quote(r.name)}`;
export const shadowOf = (r: Relation): Relation => ({ schema: `${r.schema}${SHADOW_SUFFIX}`, name: r.name });
const keyword = (kind: RelationKind) => (kind === 'view' ? 'VIEW' : 'TABLE');

/** Runs `fn` holding the publication lock of this database (waits for another run's build and publication to end). */
export async function withPublishLock<T>(pool: Pool, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    while (!(await client.query('SELECT pg_try_advisory_lock($1) AS ok', [PUBLISH_LOCK])).rows[0].ok) {
      onWait();
      await new Promise((r) => setTimeout(r, 500));
    }
    try {
      return await fn();
    } finally {
      // A lost connection has released the lock with it: the client is then destroyed, not reused.
      await client.query('SELECT pg_advisory_unlock($1)', [PUBLISH_LOCK]).catch((err: Error) => (broken = err));
    }
  } finally {
    client.release(broken);
  }
}

/** The kind of each of `relations` that exists, by `schema.name`: one catalog query. */
export async function existing(db: Pool | PoolClient, relations: Relation[]): Promise<Map<string, RelationKind>> {
  const r = await db.query(
    `SELECT n.nspname || '.' || c.relname AS rel, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'v') AND n.nspname || '.' || c.relname = ANY($1)`,
    [relations.map((x) => `${x.schema}.${x.name}`)],
  );
  return new Map(r.rows.map((row) => [row.rel as string, row.relkind === 'v' ? 'view' : 'table']));
}

export const relId = (r: Relation) => `${r.schema}.${r.name}`;

export async function countRows(db: Pool | PoolClient, r: Relation): Promise<number> {
  return Number((await db.query(`SELECT count(*) AS n FROM ${qualified(r)}`)).rows[0].n);
}

/**
 * Empties and drops the shadow schemas, relation by relation (views first, no CASCADE: a published relation
 * that depends on a shadow one is an error, reported, never dropped with it).
 */
export async function dropShadows(pool: Pool, schemas: string[]): Promise<void> {
  for (;;) {
    const rels = (
      await pool.query(
        `SELECT n.nspname AS schema, c.relname AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'v') ORDER BY c.relkind DESC`,
        [schemas],
      )
    ).rows;
    if (rels.length === 0) break;
    let dropped = 0;
    let lastError: Error | undefined;
    for (const r of rels) {
      try {
        await pool.query(`DROP ${r.relkind === 'v' ? 'VIEW' : 'TABLE'} IF EXISTS ${qualified(r)}`);
        dropped++;
      } catch (err) {
        if ((err as { code?: string }).code !== '2BP01') throw err;
        lastError = err as Error;
      }
    }
    if (dropped === 0) throw new Error(`cannot clean the dbt shadow schemas: ${lastError?.message}`);
  }
  for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${quote(s)}`);
}

/** Copies a published table into its shadow, so that an incremental (partition) build changes only its month. */
export async function cloneIntoShadow(pool: Pool, published: Relation): Promise<void> {
  const shadow = shadowOf(published);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quote(shadow.schema)}`);
  await pool.query(`CREATE TABLE ${qualified(shadow)} (LIKE ${qualified(published)} INCLUDING ALL)`);
  await pool.query(`INSERT INTO ${qualified(shadow)} SELECT * FROM ${qualified(published)}`);
}

/** Moves the published relation into dw_versions as `<name>__v<versionId>` (its indexes renamed to match); returns where. */
export async function retire(client: PoolClient, published: Relation, kind: RelationKind, versionId: number): Promise<string> {
  const archived = `${published.name}__v${versionId}`;
  if (kind === 'table') {
    const indexes = (
      await client.query(
        `SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = $1::regclass ORDER BY 1`,
        [qualified(published)],
      )
    ).rows.map((r) => r.relname as string);
    for (const [n, index] of indexes.entries()) {
      await client.query(`ALTER INDEX ${qualified({ schema: published.schema, name: index })} RENAME TO ${quote(`${archived}_i${n + 1}`)}`);
    }
  }
  await client.query(`ALTER ${keyword(kind)} ${qualified(published)} RENAME TO ${quote(archived)}`);
  await client.query(
    `ALTER ${keyword(kind)} ${qualified({ schema: published.schema, name: archived })} SET SCHEMA ${quote(VERSIONS_SCHEMA)}`,
  );
  return `${VERSIONS_SCHEMA}.${archived}`;
}

/** Moves the shadow relation into the published schema (the published name must be free). */
export async function promote(client: PoolClient, published: Relation, kind: RelationKind): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(published.schema)}`);
  await client.query(`ALTER ${keyword(kind)} ${qualified(shadowOf(published))} SET SCHEMA ${quote(published.schema)}`);
}

/**
 * Drops the retired versions of `assetKeys` beyond the newest `keep`, dependants first (a retired view over a retired
 * view or table: views in dw_versions depend on each other), with plain DROPs that never fail: the dependencies are
 * read from the catalog first, so no DROP is tried that the server would refuse (each refusal was an ERROR in its log).
 * A version that something outside the pruned set still depends on (a kept version of another model, a view someone
 * made) stays, with everything it depends on, and is reported; it goes in a later prune once that dependant is gone.
 */
export async function pruneVersions(pool: Pool, assetKeys: string[], keep: number): Promise<string[]> {
  const pending = (await Promise.all(assetKeys.map(async (k) => (await keptVersions(pool, k)).slice(keep)))).flat();
  if (pending.length === 0) return [];
  const rels = pending.map((v) => v.archivedAs as string);
  const oids = (
    await pool.query(
      `SELECT rel, to_regclass(format('%I.%I', split_part(rel, '.', 1), split_part(rel, '.', 2)))::oid::bigint AS oid
         FROM unnest($1::text[]) AS rel`,
      [rels],
    )
  ).rows as { rel: string; oid: string | null }[];
  const oidOf = new Map(oids.map((r) => [r.rel, r.oid]));
  const relOf = new Map(oids.filter((r) => r.oid !== null).map((r) => [r.oid as string, r.rel]));
  // Every relation (a view, through its rewrite rule) that depends on a pending one, and on which.
  const edges = (
    await pool.query(
      `SELECT DISTINCT d.refobjid::bigint AS dependency, v.oid::bigint AS dependant, v.oid::regclass::text AS name
         FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid = ANY($1::oid[]) AND v.oid <> d.refobjid`,
      [[...relOf.keys()]],
    )
  ).rows as { dependency: string; dependant: string; name: string }[];
  const dependantsOf = new Map<string, { oid: string; name: string }[]>();
  for (const e of edges) dependantsOf.set(e.dependency, [...(dependantsOf.get(e.dependency) ?? []), { oid: e.dependant, name: e.name }]);

  // Kept: a pending version with a dependant that is not being dropped, and then what it depends on, up the chain.
  const kept = new Map<string, string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [oid, rel] of relOf) {
      if (kept.has(rel)) continue;
      const staying = (dependantsOf.get(oid) ?? []).filter((d) => !relOf.has(d.oid) || kept.has(relOf.get(d.oid) as string));
      if (staying.length === 0) continue;
      kept.set(rel, `${staying.map((d) => d.name).join(', ')} depend${staying.length === 1 ? 's' : ''} on it`);
      changed = true;
    }
  }
  // Dropped dependants first: a version goes once nothing left depends on it.
  const dropped = new Set<string>();
  let left = pending.filter((v) => !kept.has(v.archivedAs as string));
  while (left.length) {
    const ready = left.filter((v) => {
      const oid = oidOf.get(v.archivedAs as string);
      return !oid || (dependantsOf.get(oid) ?? []).every((d) => dropped.has(d.oid));
    });
    if (ready.length === 0) {
      for (const v of left) kept.set(v.archivedAs as string, 'a version that depends on it stays');
      break;
    }
    for (const v of ready) {
      const [schema, name] = (v.archivedAs as string).split('.') as [string, string];
      try {
        await pool.query(`DROP ${keyword(v.relationKind)} IF EXISTS ${qualified({ schema, name })}`);
      } catch (err) {
        // A dependency the catalog query does not follow (not a view): kept, as before this prune looked first.
        if ((err as { code?: string }).code !== '2BP01') throw err;
        kept.set(v.archivedAs as string, (err as Error).message);
        continue;
      }
      await recordDropped(pool, v.id);
      const oid = oidOf.get(v.archivedAs as string);
      if (oid) dropped.add(oid);
    }
    left = left.filter((v) => !ready.includes(v));
  }
  for (const [rel, why] of kept) log.info(`kept retired version ${rel} past DW_KEEP_VERSIONS: ${why}`);
  return [...kept.keys()];
}
