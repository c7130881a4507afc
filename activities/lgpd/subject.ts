// The person an LGPD request is about: their customer_unique_id, every customer_id and order_id the warehouse holds of
// them, their keyed hashes and pseudonyms (pii.keyed_hash / pii.pseudonym), and the tables that can hold their rows.
import type { Pool, PoolClient } from '../../infra/db';

type Queryable = Pool | PoolClient;

export type IdKind = 'customer_unique_id' | 'customer_id' | 'order_id';

export interface SubjectId {
  kind: IdKind;
  value: string;
  /** pii.keyed_hash(value): what tombstones and audit events hold, never the value. */
  hash: string;
  /** pii.pseudonym(value): what the published marts and masked quarantine records hold. */
  pseudonym: string;
}

export interface Subject {
  customerUniqueId: string;
  ids: SubjectId[];
}

/** A table that can hold a person's rows (pii.subject_relations: every table with an id column, marts included). */
export interface SubjectRelation {
  layer: 'raw' | 'staging' | 'domain' | 'marts' | 'versions';
  schema: string;
  table: string;
  idColumns: string[];
}

export const ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;

/** The keyed hash of one value under the pseudonym key (needs the PII keys loaded in the session). */
export async function keyedHash(db: Queryable, value: string): Promise<string> {
  return (await db.query('SELECT pii.keyed_hash($1) AS h', [value])).rows[0].h as string;
}

/**
 * Every id of the person, from every layer that holds them in clear (raw keeps every record as written, so a record
 * later quarantined is found there too): customer ids by customer_unique_id, order ids by customer id.
 */
export async function findSubject(db: Queryable, customerUniqueId: string): Promise<Subject> {
  const customerIds = (
    await db.query(
      `SELECT customer_id FROM raw.customers WHERE customer_unique_id = $1
       UNION SELECT customer_id FROM staging.customers WHERE customer_unique_id = $1
       UNION SELECT customer_id FROM customer.customers WHERE customer_unique_id = $1`,
      [customerUniqueId],
    )
  ).rows
    .map((r) => r.customer_id as string | null)
    .filter((v): v is string => !!v);
  const orderIds = (
    await db.query(
      `SELECT order_id FROM raw.orders WHERE customer_id = ANY($1)
       UNION SELECT order_id FROM staging.orders WHERE customer_id = ANY($1)
       UNION SELECT order_id FROM sales.orders WHERE customer_id = ANY($1)`,
      [customerIds],
    )
  ).rows
    .map((r) => r.order_id as string | null)
    .filter((v): v is string => !!v);
  const plain: { kind: IdKind; value: string }[] = [
    { kind: 'customer_unique_id', value: customerUniqueId },
    ...customerIds.sort().map((value) => ({ kind: 'customer_id' as const, value })),
    ...orderIds.sort().map((value) => ({ kind: 'order_id' as const, value })),
  ];
  const hashed = (
    await db.query(
      `SELECT v, pii.keyed_hash(v) AS hash, pii.pseudonym(v) AS pseudonym FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i`,
      [plain.map((p) => p.value)],
    )
  ).rows;
  return { customerUniqueId, ids: plain.map((p, i) => ({ ...p, hash: hashed[i].hash, pseudonym: hashed[i].pseudonym })) };
}

export const valuesOf = (s: Subject, kind?: IdKind) => s.ids.filter((i) => !kind || i.kind === kind).map((i) => i.value);

/** The clear ids and their pseudonyms: what a row of any layer may hold in an id column. */
export const matchValues = (s: Subject) => [...s.ids.map((i) => i.value), ...s.ids.map((i) => i.pseudonym)];

export async function subjectRelations(db: Queryable): Promise<SubjectRelation[]> {
  const rows = (await db.query('SELECT layer, schema_name, table_name, id_columns FROM pii.subject_relations()')).rows;
  return rows.map((r) => ({
    layer:
      r.layer === 1 ? 'raw' : r.layer === 2 ? 'staging' : r.layer === 3 ? 'domain' : r.schema_name === 'dw_versions' ? 'versions' : 'marts',
    schema: r.schema_name,
    table: r.table_name,
    idColumns: r.id_columns,
  }));
}

/** The raw records of the person (file name, content hash, record number): quarantine rows and quality examples point at them. */
export interface SourceRecord {
  file: string;
  sha256: string;
  row: number;
}

const RAW_LINKS: Record<string, { column: string; kind: IdKind }> = {
  customers: { column: 'customer_unique_id', kind: 'customer_unique_id' },
  orders: { column: 'order_id', kind: 'order_id' },
  order_items: { column: 'order_id', kind: 'order_id' },
  order_payments: { column: 'order_id', kind: 'order_id' },
  order_reviews: { column: 'order_id', kind: 'order_id' },
};

export async function sourceRecords(db: Queryable, s: Subject): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (const [table, link] of Object.entries(RAW_LINKS)) {
    const r = await db.query(
      `SELECT _source_file AS file, _source_sha256 AS sha256, _source_row AS row FROM raw.${table} WHERE ${link.column} = ANY($1)`,
      [valuesOf(s, link.kind)],
    );
    out.push(...r.rows.map((x) => ({ file: x.file as string, sha256: x.sha256 as string, row: Number(x.row) })));
  }
  return out;
}
