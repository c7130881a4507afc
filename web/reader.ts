// Reads of the published marts as dw_reader: one read-only transaction per request that first sets the verified
// claims (`dw.claims`, transaction-local) for the row-level security policies, with a statement timeout.
import { type Pool, type PoolClient, inTransaction } from '../infra/db';
import { type Claims, claimsJson } from './auth/claims';

/** A statement of the API that runs longer than this is cancelled (the plan's SLA is 5 s per query). */
export const STATEMENT_TIMEOUT_MS = 5000;

export async function withClaims<T>(pool: Pool, claims: Claims, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION READ ONLY');
    await client.query(`SELECT set_config('dw.claims', $1, true), set_config('statement_timeout', $2, true)`, [
      claimsJson(claims),
      String(STATEMENT_TIMEOUT_MS),
    ]);
    return fn(client);
  });
}

/** A schema name as a quoted identifier; anything but a plain lower-case name is refused (it comes from config). */
export function schemaIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`DW_DBT_SCHEMA '${name}' is not a plain schema name`);
  return `"${name}"`;
}
