// Applies the row-level security policies of schema/rls.ts to published relations: in the transaction of a publication
// or a rollback (the relation swapped in carries its policy from its first visible moment), and to published
// relations that lack it (made before the policy existed).
import type { PoolClient } from 'pg';
import type { Pool } from '../../infra/db';
import { inTransaction } from '../../infra/db';
import { POLICY_NAME, policyStatements, scopeOf } from '../../schema/rls';
import { type Relation, qualified } from './wap';

/** Puts the policy of `r`'s model on it (nothing for a model without a seller or state scope). A view is refused. */
export async function applyRowSecurity(client: PoolClient, r: Relation, kind: 'table' | 'view'): Promise<void> {
  const scope = scopeOf(r.name);
  if (!scope) return;
  if (kind !== 'table') throw new Error(`${r.schema}.${r.name} has a row scope (schema/rls.ts) but is a view: materialize it as a table`);
  for (const sql of policyStatements(qualified(r), scope)) await client.query(sql);
}

/** The published relations with a row scope that exist without their policy (or without RLS enabled) get it. */
export async function ensureRowSecurity(pool: Pool, relations: Iterable<Relation>): Promise<string[]> {
  const scoped = [...relations].filter((r) => scopeOf(r.name));
  if (scoped.length === 0) return [];
  const missing = (
    await pool.query(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname || '.' || c.relname = ANY($1)
          AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = $2))`,
      [scoped.map((r) => `${r.schema}.${r.name}`), POLICY_NAME],
    )
  ).rows as Relation[];
  if (missing.length === 0) return [];
  await inTransaction(pool, async (client) => {
    for (const r of missing) await applyRowSecurity(client, r, 'table');
  });
  return missing.map((r) => `${r.schema}.${r.name}`);
}
