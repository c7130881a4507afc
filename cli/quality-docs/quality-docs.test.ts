// The data docs renderers: escaped values, the score shown, the trend chart, lineage links that resolve inside the site.
import { describe, expect, it } from 'vitest';
import { resolveSlaPolicy } from '../../domain/quality';
import { trendChart, yRange } from './chart';
import { assetFile, esc } from './html';
import { renderAssetPage } from './asset-page';
import { buildSite } from './site';
import { buildReport } from '../quality-report';
import { row } from '../../test/support/quality-fixtures';

const EVIL = `<script>alert("x")</script>&'`;
const rows = [
  row({
    assetKey: 'staging/orders',
    expectationId: 'orders.status.in_set',
    kind: 'in_set',
    dimension: 'validity',
    evaluated: 1000,
    failed: 3,
    outcome: 'warn',
    severity: 'warn',
    observed: { value: EVIL, message: 'status outside the set' },
    examples: [{ sourceFile: 'olist_orders_dataset.csv', record: 42, values: { order_status: EVIL } }],
  }),
  row({ assetKey: 'dbt/dim_customer', expectationId: 'dim_customer.customer_unique_id.unique', kind: 'unique', dimension: 'uniqueness' }),
];
const report = buildReport({ runId: 'run-2', at: '2026-11-29T10:00:00Z', rows }, null, resolveSlaPolicy());
const graph = new Map<string, string[]>([
  ['raw/orders', []],
  ['staging/orders', ['raw/orders']],
  ['dbt/dim_customer', ['staging/orders']],
]);
const history = [0.97, 0.999].map((score, i) => ({
  runId: `run-${i + 1}`,
  startedAt: `2026-11-2${i}T00:00:00Z`,
  assetKey: '*',
  dimension: 'overall',
  score,
  evaluated: 1,
  failed: 0,
  slaStatus: 'pass' as const,
}));
const site = buildSite({ report, history, results: rows, graph, generatedAt: '2026-11-29T11:00:00Z' });

describe('esc', () => {
  it('escapes the five HTML characters and renders non-strings as JSON', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(esc({ a: '<' })).toBe('{&quot;a&quot;:&quot;&lt;&quot;}');
    expect(esc(null)).toBe('');
  });
});

describe('the site', () => {
  it('when values carry markup, then no page contains it unescaped', () => {
    for (const [file, html] of site) {
      expect(html, file).not.toContain('<script');
      expect(html, file).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    expect(site.get(assetFile('staging/orders'))).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('shows the overall score, the dimensions and a link per asset on the index', () => {
    const index = site.get('index.html') ?? '';
    const shown = /id="overall-score" data-score="([\d.]+)">([\d.]+)%</.exec(index);
    expect(Number(shown?.[1])).toBe(report.overall?.score);
    expect(shown?.[2]).toBe((100 * (report.overall?.score ?? 0)).toFixed(2));
    expect(index).toContain(`href="${assetFile('dbt/dim_customer')}"`);
    expect(index.match(/<circle /g)).toHaveLength(2);
  });

  it('has a page per asset of the graph and of the results, and every lineage link points to a page of the site', () => {
    expect([...site.keys()].sort()).toEqual([
      'assets/dbt--dim_customer.html',
      'assets/raw--orders.html',
      'assets/staging--orders.html',
      'index.html',
    ]);
    for (const [file, html] of site) {
      for (const [, href] of html.matchAll(/href="\.\.\/([^"]+)"/g)) expect(site.has(href as string), `${file} → ${href}`).toBe(true);
    }
    const staging = site.get(assetFile('staging/orders')) ?? '';
    expect(staging).toMatch(/upstream<\/h3><ul><li><a href="\.\.\/assets\/raw--orders\.html">raw\/orders<\/a>/);
    expect(staging).toMatch(/downstream<\/h3><ul><li><a href="\.\.\/assets\/dbt--dim_customer\.html">/);
    expect(staging).toContain('<td>olist_orders_dataset.csv</td><td class="num">42</td>');
  });

  it('when an asset has no results, then its page says so', () => {
    expect(renderAssetPage({ assetKey: 'raw/x', results: [], upstream: [], downstream: [] })).toContain(
      'evaluated no expectation on this asset',
    );
  });
});

describe('trendChart', () => {
  it('draws one point per run, the SLA floor, and the range from under the lowest score to 100 %', () => {
    const svg = trendChart(
      [
        { label: 'a', runId: 'r1', score: 0.9, status: 'block' },
        { label: 'b', runId: 'r2', score: 0.99, status: 'pass' },
      ],
      0.95,
    );
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('SLA 95%');
    expect(yRange([0.9, 0.99], 0.95)).toEqual([0.89, 1]);
    expect(yRange([1], 0.95)).toEqual([0.94, 1]);
    expect(trendChart([], 0.95)).toContain('no stored scores yet');
  });
});
