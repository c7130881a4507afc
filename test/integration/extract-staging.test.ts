// Extract + staging of the head-1000 files (original bytes): records, not lines; zips; BOM; quoted newlines.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformGraph } from '../../assets';
import { materializeAsset } from '../../activities/materialize-asset';
import { CONTRACTS } from '../../schema/contracts/olist';
import { SEALED_COLUMNS } from '../../schema/pii';
import { createTestEnv, type TestEnv } from '../support/env';
import { HEAD_1000_DIR, parseRecords } from '../support/fixtures';

let env: TestEnv;
const graph = platformGraph();
const heads = CONTRACTS.filter((c) => fs.existsSync(path.join(HEAD_1000_DIR, c.file)));

beforeAll(async () => {
  env = await createTestEnv('extract');
  for (const c of heads) {
    for (const key of [`raw/${c.name}`, `staging/${c.name}`]) {
      const r = await materializeAsset(
        { pool: env.pool, graph },
        { runId: 'test', assetKey: key, partitionKey: '', sourceDir: HEAD_1000_DIR },
      );
      expect(r.outcome, `${key}: ${r.error?.message}`).toBe('materialized');
    }
  }
});
afterAll(() => env?.close());

describe('extract of the original head-1000 files', () => {
  it.each(heads.map((c) => [c.name, c] as const))(
    'when %s is loaded, then raw holds every record byte for byte, in file order (free text opened with its key)',
    async (_n, c) => {
      const expected = parseRecords(path.join(HEAD_1000_DIR, c.file));
      const cols = c.columns.map((col) => (SEALED_COLUMNS[col.name] ? `pii.open("${col.name}")` : `"${col.name}"`)).join(', ');
      const { rows } = await env.pool.query({ text: `SELECT ${cols} FROM raw.${c.name} ORDER BY _source_row`, rowMode: 'array' });
      expect(rows.length).toBe(expected.length);
      // COPY reads an unquoted empty field as NULL; the reference parser reads it as ''.
      expect(rows.map((r: (string | null)[]) => r.map((v) => v ?? ''))).toEqual(expected);
    },
  );

  it('when the reviews file has quoted newlines, then records (not lines) are counted and the newlines are kept', async () => {
    const file = path.join(HEAD_1000_DIR, 'olist_order_reviews_dataset.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n').length;
    const { rows } = await env.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE pii.open(review_comment_message) LIKE E'%\\n%')::int AS multiline,
              count(*) FILTER (WHERE review_comment_message LIKE E'%\\n%')::int AS multiline_sealed FROM raw.order_reviews`,
    );
    expect(rows[0].multiline_sealed).toBe(0); // sealed as they enter raw: no text of theirs is stored in clear
    const records = parseRecords(file).length;
    expect(rows[0].n).toBe(records);
    expect(lines - 1).toBeGreaterThan(records);
    expect(rows[0].multiline).toBeGreaterThan(0);
  });

  it('when the translation file starts with a BOM, then no BOM reaches the tables', async () => {
    expect(fs.readFileSync(path.join(HEAD_1000_DIR, 'product_category_name_translation.csv')).subarray(0, 3)).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf]),
    );
    const { rows } = await env.pool.query(
      `SELECT count(*)::int AS n FROM staging.category_translation WHERE product_category_name LIKE E'\\uFEFF%'`,
    );
    expect(rows[0].n).toBe(0);
    const first = await env.pool.query(`SELECT product_category_name FROM staging.category_translation ORDER BY _source_row LIMIT 1`);
    expect(first.rows[0].product_category_name).toBe('beleza_saude');
  });

  it('when zip prefixes have leading zeros, then staging keeps them as 5-character strings', async () => {
    const { rows } = await env.pool.query(
      `SELECT customer_zip_code_prefix AS zip FROM staging.customers WHERE customer_zip_code_prefix LIKE '0%' LIMIT 5`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.zip).toMatch(/^0\d{4}$/);
  });

  it('when staged, then every record is accounted for and rows carry their source hash and record number', async () => {
    for (const c of heads) {
      const { rows } = await env.pool.query(
        `SELECT rows_read, rows_written, rows_quarantined, rows_deduplicated FROM dw_meta.row_accounting WHERE asset_key = $1`,
        [`staging/${c.name}`],
      );
      const r = rows[0];
      expect(r.rows_read, c.name).toBe(r.rows_written + r.rows_quarantined + r.rows_deduplicated);
      expect(r.rows_quarantined, c.name).toBe(0);
    }
    const { rows } = await env.pool.query(
      `SELECT min(_source_row)::int AS lo, max(_source_row)::int AS hi, count(DISTINCT _source_sha256)::int AS files FROM staging.orders`,
    );
    expect(rows[0]).toEqual({ lo: 1, hi: 1000, files: 1 });
  });

  it('when staged, then timestamps and money are typed exactly', async () => {
    const raw = parseRecords(path.join(HEAD_1000_DIR, 'olist_order_items_dataset.csv'))[0] as string[];
    const { rows } = await env.pool.query(
      `SELECT shipping_limit_date::text AS ts, price::text AS price FROM staging.order_items WHERE _source_row = 1`,
    );
    expect(rows[0]).toEqual({ ts: raw[4], price: raw[5] });
  });
});
