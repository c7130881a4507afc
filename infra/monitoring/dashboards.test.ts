// The Grafana dashboards: every panel's PromQL parses (promtool) and reads only metrics the worker or its Temporal SDK exports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../config';
import { createPool } from '../db';
import { createMetrics } from '../metrics';
import { TEMPORAL_SDK_METRICS } from '../temporal-runtime';
import { promtool } from '../../test/support/promtool';

const DIR = path.join(ROOT, 'infra', 'monitoring', 'grafana');
interface Panel {
  id: number;
  title: string;
  targets?: { expr: string }[];
}
const dashboards = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    json: JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { uid: string; title: string; panels: Panel[] },
  }));
const exprs = dashboards.flatMap((d) =>
  d.json.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${d.file}: ${p.title}`, expr: t.expr }))),
);

// The names the worker registers (no query runs: the pool never connects), the SDK's, and Prometheus' own `up`.
const pool = createPool('postgres://nobody@127.0.0.1:1/none', 1);
afterAll(() => pool.end());
const exported = new Set([
  ...createMetrics(pool)
    .registry.getMetricsAsArray()
    .map((m) => m.name),
  ...TEMPORAL_SDK_METRICS,
  'up',
]);

const KEYWORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);
/** The metric names an expression selects: identifiers that are not functions, label names, strings, ranges or keywords. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/[a-zA-Z_:][\w:]*/g)]
    .filter((m) => !KEYWORDS.has(m[0]) && !/^\s*\(/.test(bare.slice(m.index + m[0].length)))
    .map((m) => m[0])
    .filter((n, i, all) => all.indexOf(n) === i);
}
const family = (name: string) => (exported.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ''));

describe('grafana dashboards', () => {
  it('when the folder is read, then it holds the four dashboards with unique uids and panel ids, each panel querying', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual([
      'dw-backfills',
      'dw-data-quality',
      'dw-pipeline-health',
      'dw-worker-temporal',
    ]);
    for (const d of dashboards) {
      const ids = d.json.panels.map((p) => p.id);
      expect(new Set(ids).size, d.file).toBe(ids.length);
      for (const p of d.json.panels) expect(p.targets?.length, `${d.file}: ${p.title}`).toBeGreaterThan(0);
    }
  });

  it('when every panel expression is put in a rules file, then promtool parses them all', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-dashboards-'));
    const rules = exprs.map((e, i) => `      - record: dashboard_panel_${i}\n        expr: ${JSON.stringify(e.expr)}`).join('\n');
    fs.writeFileSync(path.join(dir, 'panels.yml'), `groups:\n  - name: dashboard-panels\n    rules:\n${rules}\n`);
    const r = promtool(['check', 'rules', 'panels.yml'], dir);
    fs.rmSync(dir, { recursive: true });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
  });

  it('when a panel names a metric, then the worker (infra/metrics.ts) or the Temporal SDK exports it', () => {
    expect(exported.has('dw_asset_rows')).toBe(true);
    for (const e of exprs) {
      const names = metricNames(e.expr);
      expect(names.length, `${e.where}: ${e.expr}`).toBeGreaterThan(0);
      for (const n of names) expect(exported, `${e.where}: ${n}`).toContain(family(n));
    }
  });

  it('when an expression reads a metric that is not exported, then the name check sees it', () => {
    expect(metricNames('sum by (asset) (rate(dw_not_a_metric_bucket{asset=~"dbt/.+"}[5m])) / ignoring(kind) up').map(family)).toEqual([
      'dw_not_a_metric',
      'up',
    ]);
  });
});
