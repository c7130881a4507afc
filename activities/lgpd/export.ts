// LGPD access request: everything the warehouse holds about one person, every layer, as one JSON document, with
// sealed values (review comments, quarantined records) opened when the caller's session holds the keys.
import type { Pool, PoolClient } from '../../infra/db';
import { type Subject, type SubjectRelation, findSubject, matchValues, sourceRecords, subjectRelations, valuesOf } from './subject';

type Queryable = Pool | PoolClient;
type Row = Record<string, unknown>;

export interface PersonExport {
  customerUniqueId: string;
  exportedAt: string;
  /** pii.keyed_hash of the customer_unique_id: how the audit log names the person. */
  subjectHash: string;
  ids: { customerIds: string[]; orderIds: string[]; pseudonym: string };
  /** Rows per relation (`schema.table`), per layer: raw, staging, domain, marts (published), versions (kept in dw_versions). */
  layers: Record<SubjectRelation['layer'], Record<string, Row[]>>;
  events: Row[];
  quarantine: Row[];
  audit: Row[];
  /** Rows per relation, and the events, quarantine rows and audit events: what the document holds. */
  counts: Record<string, number>;
  /** False when a sealed value could not be opened (the session lacks the key): it is then left sealed. */
  sealedOpened: boolean;
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function exportPerson(db: Queryable, customerUniqueId: string): Promise<PersonExport> {
  const s = await findSubject(db, customerUniqueId);
  const matches = matchValues(s);
  const layers: PersonExport['layers'] = { raw: {}, staging: {}, domain: {}, marts: {}, versions: {} };
  const counts: Record<string, number> = {};
  for (const rel of await subjectRelations(db)) {
    const where = rel.idColumns.map((c) => `${quote(c)}::text = ANY($1)`).join(' OR ');
    const rows = (await db.query(`SELECT to_jsonb(t) AS r FROM ${quote(rel.schema)}.${quote(rel.table)} t WHERE ${where}`, [matches])).rows;
    if (rows.length === 0) continue;
    layers[rel.layer][`${rel.schema}.${rel.table}`] = rows.map((r) => r.r as Row);
    counts[`${rel.schema}.${rel.table}`] = rows.length;
  }
  const events = (
    await db.query(
      `SELECT to_jsonb(e) AS r FROM events.outbox e
        WHERE e.aggregate_id = ANY($1) OR e.payload ->> 'orderId' = ANY($1) OR e.payload ->> 'customerId' = ANY($1)
           OR e.payload ->> 'customerUniqueId' = ANY($1) ORDER BY e.occurred_at, e.event_id`,
      [valuesOf(s)],
    )
  ).rows.map((r) => r.r as Row);
  const quarantine = await quarantinedRows(db, s);
  const audit = (
    await db.query(
      `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, os_user AS "osUser", host, action, phase, outcome, detail
         FROM audit.events WHERE detail ->> 'subjectHash' = $1 ORDER BY id`,
      [s.ids[0]!.hash],
    )
  ).rows as Row[];
  const doc: PersonExport = {
    customerUniqueId,
    exportedAt: new Date().toISOString(),
    subjectHash: s.ids[0]!.hash,
    ids: { customerIds: valuesOf(s, 'customer_id'), orderIds: valuesOf(s, 'order_id'), pseudonym: s.ids[0]!.pseudonym },
    layers,
    events,
    quarantine,
    audit,
    counts: { ...counts, 'events.outbox': events.length, 'quarantine.rows': quarantine.length, 'audit.events': audit.length },
    sealedOpened: true,
  };
  doc.sealedOpened = await openSealed(db, doc);
  return doc;
}

/** Quarantine rows of the person: by their raw records (file hash, record number), or by the ids in the masked record. */
async function quarantinedRows(db: Queryable, s: Subject): Promise<Row[]> {
  const records = await sourceRecords(db, s);
  return (
    await db.query(
      `SELECT to_jsonb(q) AS r FROM quarantine.rows q
        WHERE (q.source_sha256, q.source_row) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))
           OR q.record ->> 'order_id' = ANY($1) OR q.record ->> 'customer_id' = ANY($1) OR q.record ->> 'customer_unique_id' = ANY($1)
        ORDER BY q.id`,
      [matchValues(s), records.map((r) => r.sha256), records.map((r) => r.row)],
    )
  ).rows.map((r) => r.r as Row);
}

const SEALED = /^pii1:/;

/**
 * Replaces every sealed string of the document by its plain text (a sealed record by the record itself), in one
 * query; false, with the values left sealed, when this session cannot open them.
 */
async function openSealed(db: Queryable, doc: PersonExport): Promise<boolean> {
  const found: string[] = [];
  const walk = (v: unknown, visit: (s: string) => unknown): unknown => {
    if (typeof v === 'string') return SEALED.test(v) ? visit(v) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, visit));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, visit)]));
    return v;
  };
  // A quarantined record is sealed whole, and the staged comments inside it were sealed before: two rounds open both.
  for (let round = 0; round < 4; round++) {
    found.length = 0;
    [doc.layers, doc.quarantine].forEach((p) => walk(p, (x) => found.push(x)));
    if (found.length === 0) return true;
    let opened: Map<string, string>;
    try {
      const r = await db.query('SELECT v, pii.open(v) AS plain FROM unnest($1::text[]) AS t(v)', [[...new Set(found)]]);
      opened = new Map(r.rows.map((x) => [x.v as string, x.plain as string]));
    } catch {
      return false;
    }
    const open = (x: string) => {
      const plain = opened.get(x) ?? x;
      if (!plain.startsWith('{')) return plain;
      try {
        return JSON.parse(plain) as unknown; // a quarantined record, sealed whole
      } catch {
        return plain;
      }
    };
    doc.layers = walk(doc.layers, open) as PersonExport['layers'];
    doc.quarantine = walk(doc.quarantine, open) as Row[];
  }
  return false; // still sealed after every round: a value sealed within itself more than thrice
}
