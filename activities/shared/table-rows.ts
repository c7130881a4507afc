// Writes domain rows into a table stated once, in schema/domain.ts: its name, SQL columns, types and key come from the drizzle object.
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { PoolClient } from '../../infra/db';
import { type Column, insertRows } from './bulk';

/** The provenance columns (schema/domain.ts): filled from the partition key and each row's source file and row. */
type ProvenanceKey = 'partitionKey' | 'sourceSha256' | 'sourceRow';
type ColumnKey<TTable extends PgTable> = Extract<keyof TTable['_']['columns'], string>;
type HasProvenance<TTable extends PgTable> = 'sourceRow' extends ColumnKey<TTable> ? { sourceSha256: string; sourceRow: number } : unknown;

/** One value function for every column of the table but its provenance ones: a new column fails to compile until it is given one. */
export type ColumnValues<TTable extends PgTable, T> = { [K in Exclude<ColumnKey<TTable>, ProvenanceKey>]: (row: T) => unknown };

/** The array type unnest casts to: the column's type without its modifiers (char(n) as text), so values are assigned, never cast, to it. */
function arrayElementType(column: PgColumn): string {
  const base = column.getSQLType().replace(/\s*\([^)]*\)/, '');
  return base === 'char' || base === 'varchar' ? 'text' : base;
}

/**
 * Inserts rows into a domain table, one value function per column. Partitioned tables (with partition_key) upsert on
 * their primary key, so a row another partition still holds (an order whose purchase month changed) moves to this one.
 */
export async function insertTableRows<TTable extends PgTable, T extends HasProvenance<TTable>>(
  client: PoolClient,
  table: TTable,
  values: ColumnValues<TTable, T>,
  rows: readonly T[],
  partitionKey?: string,
): Promise<number> {
  const config = getTableConfig(table);
  const byKey: Record<string, (row: T) => unknown> = {
    ...values,
    partitionKey: () => {
      if (partitionKey === undefined)
        throw new Error(`${config.schema}.${config.name} is partitioned: pass the partition key to insertTableRows`);
      return partitionKey;
    },
    sourceSha256: (r) => (r as { sourceSha256: string }).sourceSha256,
    sourceRow: (r) => (r as { sourceRow: number }).sourceRow,
  };
  const all = Object.entries(getTableColumns(table) as Record<string, PgColumn>);
  const columns: Column<T>[] = all.map(([key, column]) => {
    const value = byKey[key];
    if (!value)
      throw new Error(`${config.schema}.${config.name}.${column.name} has no value function: add ${key} to the insertTableRows call`);
    return { name: column.name, type: arrayElementType(column), value };
  });
  const partitioned = all.some(([key]) => key === 'partitionKey');
  const primaryKey = config.primaryKeys[0]?.columns.map((c) => c.name) ?? all.filter(([, c]) => c.primary).map(([, c]) => c.name);
  return insertRows(client, `${config.schema}.${config.name}`, columns, rows, partitioned ? primaryKey : undefined);
}
