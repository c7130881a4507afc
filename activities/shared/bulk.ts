// Set-based writes of domain results: rows through unnest (one statement per batch), quarantine and outbox records.
import pg from 'pg';
import type { PoolClient } from '../../infra/db';

export interface Column<T> {
  name: string;
  type: string;
  value: (row: T) => unknown;
}

/**
 * Inserts rows with one INSERT … SELECT FROM unnest(arrays): no per-row round trips. With `key`, a row whose key
 * another partition still holds (an order whose purchase month changed in a newer file) moves to this partition.
 */
export async function insertRows<T>(
  client: PoolClient,
  table: string,
  columns: Column<T>[],
  rows: readonly T[],
  key?: readonly string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const names = columns.map((c) => pg.escapeIdentifier(c.name)).join(', ');
  const arrays = columns.map((c) => rows.map((r) => c.value(r)));
  const casts = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const upsert = key
    ? ` ON CONFLICT (${key.map((k) => pg.escapeIdentifier(k)).join(', ')}) DO UPDATE SET ${columns
        .filter((c) => !key.includes(c.name))
        .map((c) => `${pg.escapeIdentifier(c.name)} = EXCLUDED.${pg.escapeIdentifier(c.name)}`)
        .join(', ')}`
    : '';
  const r = await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${casts})${upsert}`, arrays);
  return r.rowCount ?? 0;
}

export interface QuarantineEntry {
  sourceRow: number;
  ruleCode: string;
  reason: string;
}

/** Writes quarantined rows with the whole staged row as their record, found by its source row number. */
export async function insertQuarantine(
  client: PoolClient,
  assetKey: string,
  partitionKey: string,
  stagingTable: string,
  sourceFile: string,
  entries: readonly QuarantineEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const r = await client.query(
    `INSERT INTO quarantine.rows (asset_key, partition_key, rule_code, reason, source_file, source_sha256, source_row, record)
     SELECT $1, $2, q.rule_code, q.reason, $3, s._source_sha256, s._source_row, to_jsonb(s) - '_source_sha256' - '_source_row'
       FROM unnest($4::bigint[], $5::text[], $6::text[]) AS q(source_row, rule_code, reason)
       JOIN ${stagingTable} s ON s._source_row = q.source_row`,
    [assetKey, partitionKey, sourceFile, entries.map((e) => e.sourceRow), entries.map((e) => e.ruleCode), entries.map((e) => e.reason)],
  );
  if (r.rowCount !== entries.length)
    throw new Error(`quarantine of ${assetKey} ${partitionKey}: ${entries.length} records but ${r.rowCount} staged rows matched`);
  return entries.length;
}

export interface OutboxEvent {
  eventId: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  occurredAt: string;
  payload: object;
}

export async function insertEvents(
  client: PoolClient,
  assetKey: string,
  partitionKey: string,
  events: readonly OutboxEvent[],
): Promise<number> {
  return insertRows(
    client,
    'events.outbox',
    [
      { name: 'event_id', type: 'text', value: (e) => e.eventId },
      { name: 'event_type', type: 'text', value: (e) => e.eventType },
      { name: 'aggregate_type', type: 'text', value: (e) => e.aggregateType },
      { name: 'aggregate_id', type: 'text', value: (e) => e.aggregateId },
      { name: 'sequence', type: 'int', value: (e) => e.sequence },
      { name: 'occurred_at', type: 'timestamp', value: (e) => e.occurredAt },
      { name: 'payload', type: 'jsonb', value: (e) => JSON.stringify(e.payload) },
      { name: 'asset_key', type: 'text', value: () => assetKey },
      { name: 'partition_key', type: 'text', value: () => partitionKey },
    ],
    events,
    ['event_id'],
  );
}

/** Removes what a previous materialization of this asset partition wrote, inside the caller's transaction. */
export async function clearPartition(client: PoolClient, assetKey: string, partitionKey: string, tables: readonly string[]): Promise<void> {
  for (const t of tables) {
    await client.query(partitionKey ? `DELETE FROM ${t} WHERE partition_key = $1` : `TRUNCATE ${t}`, partitionKey ? [partitionKey] : []);
  }
  await client.query(`DELETE FROM quarantine.rows WHERE asset_key = $1 AND partition_key = $2`, [assetKey, partitionKey]);
  await client.query(`DELETE FROM events.outbox WHERE asset_key = $1 AND partition_key = $2`, [assetKey, partitionKey]);
}
