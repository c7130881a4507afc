// The SQL measurement of each kind on a real table, judged like the in-memory reference (observeRows), with provenance in examples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeSql, type Target } from '../../activities/quality/observe-sql';
import { expect as e, judge, observeRows, type Expectation } from '../../domain/quality';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
const rows = [
  {
    order_id: 'a',
    customer_id: 'c1',
    order_status: 'delivered',
    purchased_at: '2017-01-02 10:00:00',
    approved_at: '2017-01-02 11:00:00',
    items_total: 10,
    r: 1,
  },
  {
    order_id: 'b',
    customer_id: 'c2',
    order_status: 'in_transit',
    purchased_at: '2017-01-05 10:00:00',
    approved_at: '2017-01-04 11:00:00',
    items_total: -5,
    r: 2,
  },
  {
    order_id: 'c',
    customer_id: 'c2',
    order_status: 'canceled',
    purchased_at: '2017-01-31 10:00:00',
    approved_at: null,
    items_total: 7,
    r: 3,
  },
];
beforeAll(async () => {
  env = await createTestEnv('quality_observe');
  await env.pool
    .query(`INSERT INTO dw_meta.row_accounting (materialization_id, asset_key, source_file, source_sha256, rows_read, rows_written, rows_quarantined, rows_deduplicated)
                        VALUES (1, 'raw/orders', 'olist_orders_dataset.csv', 'sha-orders', 3, 3, 0, 0)`);
  for (const x of rows) {
    await env.pool.query(
      `INSERT INTO sales.orders (order_id, customer_id, order_status, purchased_at, approved_at, item_count, items_total, freight_total, payments_total, partition_key, _source_sha256, _source_row)
       VALUES ($1, $2, $3, $4, $5, 1, $6, 0, 0, '2017-01', 'sha-orders', $7)`,
      [x.order_id, x.customer_id, x.order_status, x.purchased_at, x.approved_at, x.items_total, x.r],
    );
  }
  await env.pool.query(`CREATE TABLE public.prev_orders AS SELECT * FROM sales.orders WHERE order_id = 'a'`);
});
afterAll(async () => env?.close());

const target: Target = { relation: '"sales"."orders"', partitionKey: '2017-01', provenance: true, previousRelation: 'public.prev_orders' };
const A = 'sales.orders';
const cases: Expectation[] = [
  e.notNull(A, 'approved_at'),
  e.unique(A, ['customer_id']),
  e.unique(A, ['customer_id', 'order_status']),
  e.inSet(A, 'order_status', ['delivered', 'canceled']),
  e.between(A, 'items_total', { min: 0 }),
  e.matches(A, 'order_id', '^[ab]$'),
  e.columnPair(A, 'purchased_at', '<=', 'approved_at'),
  e.rowCountBetween(A, { min: 1, max: 2 }),
];

describe('observeSql', () => {
  it.each(cases.map((c) => [c.id, c] as const))(
    'when %s is measured in SQL, then the judged result equals the in-memory reference',
    async (_id, x) => {
      const client = await env.pool.connect();
      try {
        const sql = judge(x, await observeSql(client, x, target, { resolve: (a) => a, asOf: async () => '2017-01-31' }));
        const reference = judge(
          x,
          observeRows(
            x,
            rows.map(({ r, ...rest }) => ({ ...rest, _source_row: r })),
          ),
        );
        expect({ passed: sql.passed, evaluated: sql.evaluated, failed: sql.failed }).toEqual({
          passed: reference.passed,
          evaluated: reference.evaluated,
          failed: reference.failed,
        });
      } finally {
        client.release();
      }
    },
  );

  it('when a row fails, then its example names the source file and record and the checked values', async () => {
    const client = await env.pool.connect();
    try {
      const o = await observeSql(client, e.between(A, 'items_total', { min: 0 }), target, {
        resolve: (a) => a,
        asOf: async () => '2017-01-31',
      });
      expect(o).toEqual({
        evaluated: 3,
        failed: 1,
        examples: [{ values: { items_total: -5 }, sourceFile: 'olist_orders_dataset.csv', sourceRow: 2 }],
      });
      const ref = e.referential(A, 'customer_id', { asset: 'public.prev_orders', column: 'customer_id' });
      const refObs = await observeSql(client, ref, target, { resolve: (a) => a, asOf: async () => '2017-01-31' });
      const refReference = judge(
        ref,
        observeRows(
          ref,
          rows.map(({ r, ...rest }) => ({ ...rest, _source_row: r })),
          { other: [{ customer_id: 'c1' }] },
        ),
      );
      expect(judge(ref, refObs)).toMatchObject({ evaluated: refReference.evaluated, failed: refReference.failed });
      expect(refReference).toMatchObject({ evaluated: 3, failed: 2 });
      expect(refObs.examples?.map((x) => x.sourceRow)).toEqual([2, 3]);
      const drift = await observeSql(client, e.meanDrift(A, 'items_total', { absolute: 1 }), target, {
        resolve: (a) => a,
        asOf: async () => '2017-01-31',
      });
      expect(drift).toEqual({ observed: 4, previous: 10, evaluated: 3 });
      const fresh = await observeSql(client, e.freshness(A, 'purchased_at', 0), target, {
        resolve: (a) => a,
        asOf: async () => '2017-02-01',
      });
      expect(judge(e.freshness(A, 'purchased_at', 0), fresh).passed).toBe(false);
      const sum = await observeSql(
        client,
        e.sumEquals(A, 'items_total', {
          asset: '"sales"."orders"',
          column: 'items_total',
          where: { column: 'order_status', equals: 'canceled' },
        }),
        target,
        { resolve: (a) => a, asOf: async () => '2017-01-31' },
      );
      expect(sum).toEqual({ observed: 12, expected: 7 });
    } finally {
      client.release();
    }
  });
});
