// Applies the checked-in drizzle migrations (schema/migrations), serialized by an advisory lock.
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { ROOT } from './config';
import type { Pool } from './db';

const MIGRATIONS = path.join(ROOT, 'schema', 'migrations');
const LOCK_ID = 0x64770001;

export async function applyMigrations(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query('SET client_min_messages = warning');
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    client.release();
  }
}
