// Applies the checked-in drizzle migrations (schema/migrations), serialized by an advisory lock, as the owner role.
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { ROOT } from './config';
import type { Pool } from './db';

const MIGRATIONS = path.join(ROOT, 'schema', 'migrations');
const LOCK_ID = 0x64770001;

/**
 * Every journal entry not yet recorded in drizzle.__drizzle_migrations runs, in journal order, in one transaction.
 * drizzle's own migrator compares each entry's `when` with the newest applied one only, so an entry whose `when` is
 * older than an applied one (two branches adding migrations at once) would be skipped forever; here an entry is
 * applied unless its `when` is recorded. The table and its rows stay drizzle's, so drizzle-kit keeps working.
 */
export async function applyMigrations(pool: Pool): Promise<void> {
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
    if (pending.length === 0) return;
    await client.query('BEGIN');
    try {
      for (const m of pending) {
        for (const stmt of m.sql) if (stmt.trim()) await client.query(stmt);
        await client.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [m.hash, m.folderMillis]);
      }
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
