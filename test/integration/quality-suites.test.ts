// Quality suites as assets' checks: the shipped sample scores ≥ 99% with every suite passing, and a drifted second load warns on the executive mart only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformSuites } from '../../activities/quality/suites';
import { copySource, parseRecords } from '../support/fixtures';
import { createTestEnv, type TestEnv } from '../support/env';

let env: TestEnv;
let source: string;
beforeAll(async () => {
  env = await createTestEnv('quality_suites');
  await env.startWorker();
  source = copySource();
});
afterAll(async () => {
  await env?.close();
  if (source) fs.rmSync(source, { recursive: true, force: true });
});

const runIdOf = async (): Promise<string> =>
  (await env.pool.query(`SELECT run_id FROM dw_meta.runs ORDER BY started_at DESC LIMIT 1`)).rows[0].run_id;

/** Every delivered order of `month` turned canceled (status only: the timestamps stay as written). Returns how many. */
function cancelDeliveredOrdersOf(dir: string, month: string): number {
  const file = path.join(dir, 'olist_orders_dataset.csv');
  const ids = new Set(
    parseRecords(file)
      .filter((r) => r[2] === 'delivered' && (r[3] as string).startsWith(month))
      .map((r) => r[0] as string),
  );
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => {
      const id = line.split(',')[0]?.replace(/"/g, '') ?? '';
      return ids.has(id) ? line.replace(/,"?delivered"?,/, ',canceled,') : line;
    });
  fs.writeFileSync(file, lines.join('\n'));
  return ids.size;
}

describe('quality suites on the shipped sample', () => {
  it('when the sample is materialized, then every suite runs on its asset, passes, and the run scores at least 99%', async () => {
    const s = await env.materialize({ selection: '*', sourceDir: source });
    expect(s.rootCauses).toEqual([]);
    const runId = await runIdOf();
    const results = (
      await env.pool.query(
        `SELECT asset_key, suite, expectation_id, source, outcome, observed FROM dw_meta.expectation_results WHERE run_id = $1`,
        [runId],
      )
    ).rows;
    // Every suite's every expectation has at least one result, and every suite result passes.
    for (const { suite, assetKey } of platformSuites()) {
      for (const e of suite.expectations) {
        const mine = results.filter((r) => r.suite === suite.name && r.expectation_id === e.id);
        expect(mine.length, `${suite.name} ${e.id}`).toBeGreaterThan(0);
        expect(mine.every((r) => r.asset_key === assetKey)).toBe(true);
      }
    }
    expect(
      results.filter((r) => r.source === 'suite' && r.outcome !== 'pass').map((r) => `${r.expectation_id}: ${r.observed?.message}`),
    ).toEqual([]);
    // Contract rules, domain rules, conservation and dbt tests report into the same results.
    expect(new Set(results.map((r) => r.source))).toEqual(new Set(['suite', 'contract', 'domain', 'conservation', 'dbt']));
    const overall = (
      await env.pool.query(
        `SELECT score::float AS score, sla_status FROM dw_meta.quality_scores WHERE run_id = $1 AND asset_key = '*' AND dimension = 'overall'`,
        [runId],
      )
    ).rows[0];
    expect(overall.score).toBeGreaterThanOrEqual(0.99);
    const summary = (await env.pool.query(`SELECT summary FROM dw_meta.runs WHERE run_id = $1`, [runId])).rows[0].summary;
    expect(summary.quality.score).toBeCloseTo(overall.score, 9);
    expect(summary.quality.sla).toBe(overall.score >= 0.95 ? (overall.sla_status === 'pass' ? 'pass' : 'warn') : 'warn');
  }, 600_000);

  it("when a second load has one month's delivered orders canceled, then the executive mart's drift expectation warns and nothing else fails", async () => {
    const changed = cancelDeliveredOrdersOf(source, '2018-01');
    expect(changed).toBeGreaterThan(10);
    const s = await env.materialize({ selection: '*', sourceDir: source });
    expect(s.rootCauses).toEqual([]);
    const runId = await runIdOf();
    const bad = (
      await env.pool.query(
        `SELECT asset_key, expectation_id, outcome FROM dw_meta.expectation_results WHERE run_id = $1 AND outcome <> 'pass' ORDER BY 1, 2`,
        [runId],
      )
    ).rows;
    expect(bad).toEqual([
      { asset_key: 'dbt/mart_executive_dashboard', expectation_id: 'mart_executive_dashboard.cancellation_rate.drift', outcome: 'warn' },
    ]);
    const mart = s.assets.find((a) => a.key === 'dbt/mart_executive_dashboard');
    expect(mart?.state).toBe('materialized');
  }, 600_000);
});
