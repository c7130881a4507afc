// Issue 20 item 6f: a failed dbt relationships test names its failing keys with their source file and CSV record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../schema/contracts/olist';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR } from '../support/fixtures';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv('dbtrel');
  await env.startWorker();
  const s = await env.materialize({ selection: '*', sourceDir: SAMPLE_DIR });
  expect(s.rootCauses).toEqual([]);
}, 600_000);
afterAll(() => env?.close());

describe('a failed relationships test', () => {
  it('when reviews point to orders that do not exist, then DBT.TEST_FAILED names the keys, the reviews file and each record', async () => {
    const victims = (
      await env.pool.query(`SELECT review_id, order_id, _source_row AS row FROM customer.reviews ORDER BY _source_row LIMIT 2`)
    ).rows as { review_id: string; order_id: string; row: string }[];
    const ghost = (i: number) => `${'f'.repeat(31)}${i}`;
    for (const [i, v] of victims.entries())
      await env.pool.query(`UPDATE customer.reviews SET order_id = $3 WHERE review_id = $1 AND order_id = $2`, [
        v.review_id,
        v.order_id,
        ghost(i),
      ]);
    try {
      const s = await env.materialize({ selection: 'dbt/stg_olist__reviews', sourceDir: SAMPLE_DIR, force: true });
      expect(s.status).toBe('failed');
      const failed = s.assets.find((a) => a.key === 'dbt/stg_olist__reviews');
      expect(failed?.error?.code).toBe('DBT.TEST_FAILED');
      const message = failed?.error?.message ?? '';
      expect(message).toMatch(
        /relationships_stg_olist__reviews_order_id__order_id__ref_stg_olist__orders_\.\w+: fail \(2 failing rows\): order_id without a match: /,
      );
      const file = contract('order_reviews').file;
      for (const [i, v] of victims.entries()) expect(message).toContain(`'${ghost(i)}' (${file} record ${Number(v.row)})`);
      // The same sentence is the check's message in the ledger.
      const checks = await env.pool.query(
        `SELECT message FROM dw_meta.check_results WHERE asset_key = 'dbt/stg_olist__reviews' AND NOT passed ORDER BY id DESC LIMIT 1`,
      );
      expect(checks.rowCount).toBe(1);
      expect(checks.rows[0].message).toContain(`'${ghost(0)}' (${file} record ${Number(victims[0]!.row)})`);
    } finally {
      for (const [i, v] of victims.entries())
        await env.pool.query(`UPDATE customer.reviews SET order_id = $2 WHERE review_id = $1 AND order_id = $3`, [
          v.review_id,
          v.order_id,
          ghost(i),
        ]);
    }
  });
});
