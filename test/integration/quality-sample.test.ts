// dw quality on a real run of the shipped sample (the suites as checks): scores and counts as SQL recomputes them from the
// results the run wrote, and the data docs in headless Chromium showing the same overall score.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/config';
import { launchChromium } from '../support/chromium';
import { dw as run } from '../support/cli';
import { createTestEnv, type TestEnv } from '../support/env';
import { copySource } from '../support/fixtures';
import { RECOMPUTE } from '../support/quality-seed';

let env: TestEnv;
let source: string;
let out: string;
let runId: string;
const json = (args: string[]) => {
  const r = run(env, [...args, '--json'], 120_000);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  env = await createTestEnv('quality_sample');
  await env.startWorker();
  source = copySource();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-quality-sample-'));
  const s = await env.materialize({ selection: '*', sourceDir: source });
  expect(s.rootCauses).toEqual([]);
  runId = (await env.pool.query(`SELECT run_id FROM dw_meta.expectation_results ORDER BY evaluated_at DESC LIMIT 1`)).rows[0].run_id;
}, 600_000);

afterAll(async () => {
  await env?.close();
  for (const dir of [source, out]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('dw quality after a real run of the sample', () => {
  it("shows the run's scores per dimension and asset as SQL recomputes them from its results, ≥ 99 % overall", async () => {
    const report = json(['quality']);
    expect(report.runId).toBe(runId);
    for (const [group, lines, key] of [
      ['dimension', report.dimensions, 'dimension'],
      ['asset_key', report.assets, 'assetKey'],
    ] as const) {
      const expected = (await env.pool.query(RECOMPUTE(group), [runId])).rows;
      expect(expected.length, group).toBeGreaterThan(1);
      expect(lines.map((l: Record<string, unknown>) => l[key])).toEqual(expected.map((e) => e.k));
      for (const [i, e] of expected.entries()) {
        expect(lines[i].score, e.k).toBeCloseTo(e.score, 12);
        expect([lines[i].expectations, lines[i].failed, lines[i].evaluatedRows, lines[i].failedRows], e.k).toEqual([
          e.expectations,
          e.failed,
          e.evaluated_rows,
          e.failed_rows,
        ]);
      }
    }
    const stored = (
      await env.pool.query(
        `SELECT score::float8 AS s, sla_status FROM dw_meta.quality_scores WHERE run_id = $1 AND asset_key = '*' AND dimension = 'overall'`,
        [runId],
      )
    ).rows[0];
    expect(report.overall.score).toBeCloseTo(stored.s, 12);
    expect(report.overall.status).toBe(stored.sla_status);
    expect(report.overall.score).toBeGreaterThanOrEqual(0.99);
    const failing = (
      await env.pool.query(`SELECT count(*)::int AS n FROM dw_meta.expectation_results WHERE run_id = $1 AND outcome <> 'pass'`, [runId])
    ).rows[0].n;
    expect(json(['quality', 'failures']).total).toBe(failing);
    expect(json(['quality', 'history']).rows.map((r: { runId: string }) => r.runId)).toEqual([runId]);
  });

  it('writes data docs whose index, opened in Chromium, shows that score, with a page per asset of the graph', async () => {
    const docs = json(['quality', 'docs', '--out', out]);
    const report = json(['quality']);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(docs.index).href);
      expect((await page.locator('#overall-score').textContent())?.trim()).toBe(`${(100 * report.overall.score).toFixed(2)}%`);
      expect(await page.locator('#assets tbody tr').count()).toBe(report.assets.length);
      const screenshot = path.join(ROOT, 'test', 'artifacts', 'quality-docs-sample.png');
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
      await page.locator('#assets a', { hasText: 'dbt/dim_customer' }).click();
      expect(await page.locator('#expectations').textContent()).toContain('dim_customer.customer_unique_id.unique');
      expect(await page.locator('h3:text-is("upstream") + ul a').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
    expect(fs.readdirSync(path.join(out, 'assets')).length).toBeGreaterThanOrEqual(report.assets.length);
  });
});
