// Applies the checked-in drizzle migrations (schema/migrations), serialized by an advisory lock, as the owner role.
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import { PII_COLUMNS, SEALED_COLUMNS } from '../schema/pii';
import { CONTRACTS } from '../schema/contracts/olist';
import { ROOT, loadConfig } from './config';
import type { Pool, PoolClient } from './db';
import { ensureDataKeys, keyProvider } from './keys';

const MIGRATIONS = path.join(ROOT, 'schema', 'migrations');
const LOCK_ID = 0x64770001;

/**
 * Every journal entry not yet recorded in drizzle.__drizzle_migrations runs, in journal order, in one transaction.
 * drizzle's own migrator compares each entry's `when` with the newest applied one only, so an entry whose `when` is
 * older than an applied one (two branches adding migrations at once) would be skipped forever; here an entry is
 * applied unless its `when` is recorded. The table and its rows stay drizzle's, so drizzle-kit keeps working.
 */
export async function applyMigrations(pool: Pool, masterKeyFile = loadConfig().masterKeyFile): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query('SET client_min_messages = warning');
    await client.query('CREATE SCHEMA IF NOT EXISTS drizzle');
    await client.query(
      'CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
    );
    const applied = new Set(
      (await client.query('SELECT created_at FROM drizzle.__drizzle_migrations')).rows.map((r) => Number(r.created_at)),
    );
    const pending = readMigrationFiles({ migrationsFolder: MIGRATIONS }).filter((m) => !applied.has(m.folderMillis));
    await client.query('BEGIN');
    try {
      for (const m of pending) {
        for (const stmt of m.sql) if (stmt.trim()) await client.query(stmt);
        await client.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [m.hash, m.folderMillis]);
      }
      await syncPii(client, masterKeyFile);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch((e: Error) => (broken = e));
    client.release(broken);
  }
}

/**
 * What the database derives from schema/pii.ts, made equal to it at every migration: the classified columns (for the
 * masking of quarantine records), one sealing trigger per raw table with free text, and a data key per scope.
 */
async function syncPii(client: PoolClient, masterKeyFile: string): Promise<void> {
  await client.query('DELETE FROM pii.columns');
  await client.query('INSERT INTO pii.columns (column_name, pii_class) SELECT * FROM unnest($1::text[], $2::text[])', [
    Object.keys(PII_COLUMNS),
    Object.values(PII_COLUMNS),
  ]);
  for (const c of CONTRACTS) {
    const sealed = c.columns.map((col) => col.name).filter((n) => SEALED_COLUMNS[n] !== undefined);
    if (sealed.length === 0) continue;
    const args = [SEALED_COLUMNS[sealed[0]!]!, ...sealed].map((a) => pg.escapeLiteral(a)).join(', ');
    await client.query(
      `CREATE OR REPLACE TRIGGER sealed BEFORE INSERT ON raw.${pg.escapeIdentifier(c.name)} FOR EACH ROW EXECUTE FUNCTION pii.seal_columns(${args})`,
    );
  }
  await ensureDataKeys(client, keyProvider(masterKeyFile));
}
