// Postgres pool and clients: text timestamps/numerics, and a lost connection is a failed query, never a crash.
import pg from 'pg';
import { logger } from './logger';

pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/**
 * A client's 'error' event (server restart, network loss) has no default handler in pg: unheard, it kills the
 * process. The query in flight is rejected anyway, the client turns unqueryable and the pool discards it on
 * release, so logging is all that is left to do; the next attempt connects again.
 */
function onConnectionError(err: Error): void {
  logger('db').warn('lost a PostgreSQL connection', { error: err.message });
}

export function createPool(connectionString: string, max = 6): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'dw' });
  pool.on('error', () => undefined); // an idle client's error: the pool has already removed it
  pool.on('connect', (client) => client.on('error', onConnectionError)); // a checked-out client's error
  return pool;
}

/** A connected client of its own (not pooled), safe against connection loss like the pool's; the caller ends it. */
export async function connectClient(connectionString: string, applicationName = 'dw', onError = onConnectionError): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: applicationName });
  client.on('error', onError);
  await client.connect();
  return client;
}

/** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken); // a client that cannot even roll back is destroyed, not reused
  }
}
