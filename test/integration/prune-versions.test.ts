// Issue 20 item 6d: pruning kept versions of dbt models (views in dw_versions over each other) logs no error in the
// server log ("cannot drop view dw_versions… other objects depend on it") and keeps exactly DW_KEEP_VERSIONS.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POSTGRES_LOG } from '../../infra/services/postgres';
import { loadConfig } from '../../infra/config';
import { createTestEnv, type TestEnv } from '../support/env';
import { SAMPLE_DIR } from '../support/fixtures';

vi.hoisted(() => {
  process.env.DW_KEEP_VERSIONS = '1';
});

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv('prunever');
  await env.startWorker();
  const s = await env.materialize({ selection: '*', sourceDir: SAMPLE_DIR });
  expect(s.rootCauses).toEqual([]);
}, 600_000);
afterAll(() => env?.close());

async function rows(sql: string, params: unknown[] = []) {
  return (await env.pool.query(sql, params)).rows;
}

describe('pruning kept versions', () => {
  it('when a staging view and the views over it are published several times, then the prune drops dependants first, without a server error, and keeps exactly DW_KEEP_VERSIONS', async () => {
    const keep = loadConfig().keepVersions;
    expect(keep).toBe(1);
    const logFrom = fs.statSync(POSTGRES_LOG).size;
    for (let i = 0; i < keep + 3; i++) {
      const s = await env.materialize({ selection: 'dbt/stg_olist__reviews', sourceDir: SAMPLE_DIR, force: true });
      expect(s.status, JSON.stringify(s.rootCauses)).toBe('success');
    }
    // Every model published here (the staging view and every view over it) keeps exactly `keep` retired versions.
    const perModel = await rows(
      `SELECT asset_key, count(*) FILTER (WHERE dropped_at IS NULL)::int AS kept, count(*) FILTER (WHERE dropped_at IS NOT NULL)::int AS dropped
         FROM dw_meta.published_versions WHERE archived_as LIKE 'dw_versions.%' GROUP BY asset_key`,
    );
    const models = perModel.map((r) => r.asset_key);
    expect(models).toEqual(expect.arrayContaining(['dbt/stg_olist__reviews', 'dbt/int_reviews_per_order']));
    for (const r of perModel.filter((m) => m.dropped > 0)) expect(r.kept, r.asset_key).toBe(keep);
    expect(perModel.find((r) => r.asset_key === 'dbt/stg_olist__reviews')?.dropped).toBeGreaterThanOrEqual(3);
    // What the ledger keeps is what dw_versions holds.
    const inSchema = (
      await rows(`SELECT 'dw_versions.' || c.relname AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'dw_versions' AND c.relkind IN ('r', 'v')`)
    ).map((r) => r.r);
    const keptRels = (
      await rows(`SELECT archived_as FROM dw_meta.published_versions WHERE archived_as IS NOT NULL AND dropped_at IS NULL`)
    ).map((r) => r.archived_as);
    expect(inSchema.sort()).toEqual(keptRels.sort());
    // The case the prune must order: a retired view over a retired view (int_reviews_per_order over stg_olist__reviews).
    const chained = await rows(
      `SELECT DISTINCT v.relname AS dependant, t.relname AS dependency
         FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
         JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
        WHERE d.classid = 'pg_rewrite'::regclass AND tn.nspname = 'dw_versions' AND v.oid <> t.oid
          AND v.relname LIKE 'int\\_reviews\\_per\\_order\\_\\_v%'`,
    );
    expect(chained.map((c) => c.dependency)).toEqual([expect.stringMatching(/^stg_olist__reviews__v\d+$/)]);
    // No DROP the server refused: the log since the first publish holds no "cannot drop".
    const fd = fs.openSync(POSTGRES_LOG, 'r');
    const buf = Buffer.alloc(fs.statSync(POSTGRES_LOG).size - logFrom);
    fs.readSync(fd, buf, 0, buf.length, logFrom);
    fs.closeSync(fd);
    const dropErrors = buf
      .toString('utf8')
      .split('\n')
      .filter((l) => /cannot drop .*dw_versions/.test(l));
    expect(dropErrors).toEqual([]);
  });
});
