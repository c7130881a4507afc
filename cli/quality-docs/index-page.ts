// The data docs' index: the overall score and SLA, the trend chart, scores per dimension and per asset with links.
import { change, pct } from '../quality-format';
import type { QualityReport, ReportLine } from '../quality-report';
import { trendChart, type TrendPoint } from './chart';
import { assetFile, esc, page, status } from './html';

function cells(l: ReportLine): string {
  return (
    `<td class="num" data-score="${l.score}">${pct(l.score)}</td><td class="num">${change(l.delta)}</td><td>${status(l.status)}</td>` +
    `<td class="num">${pct(l.floor)}</td><td class="num">${l.passed}/${l.expectations}</td>` +
    `<td class="num">${l.failedRows.toLocaleString('en-US')} of ${l.evaluatedRows.toLocaleString('en-US')}</td>`
  );
}

const HEAD = '<th>score</th><th>change</th><th>SLA</th><th>floor</th><th>passed</th><th>failing rows</th>';

export interface IndexInput {
  report: QualityReport;
  trend: readonly TrendPoint[];
  generatedAt: string;
}

export function renderIndex({ report: r, trend, generatedAt }: IndexInput): string {
  if (!r.overall) {
    return page(
      'Data quality',
      `<p id="overall-score" data-score="">no quality results yet: run <code>dw materialize</code> (the suites run as checks of each asset)</p><p class="muted">generated ${esc(generatedAt)}</p>`,
      '',
    );
  }
  const o = r.overall;
  const reasons = r.sla.reasons.length
    ? `<h2>SLA reasons</h2><ul>${r.sla.reasons.map((x) => `<li class="${x.level}"><code>${esc(x.code)}</code> ${esc(x.message)}</li>`).join('')}</ul>`
    : '';
  const body = `
<div class="card">overall score<br><span class="score ${o.status}" id="overall-score" data-score="${o.score}">${pct(o.score)}</span></div>
<div class="card">SLA (overall ≥ ${pct(r.policy.overallFloor)}, breach: ${esc(r.policy.onBreach)})<br><span class="score" id="sla-status">${status(o.status)}</span></div>
<div class="card">change since the previous run<br><span class="score" id="overall-change">${change(o.delta)}</span></div>
<p class="muted">run <code>${esc(r.runId)}</code> at ${esc(r.at)}; previous run <code>${esc(r.previousRunId ?? 'none')}</code>; generated ${esc(generatedAt)}</p>
<h2>Trend: overall score per run</h2>
${trendChart(trend, r.policy.overallFloor)}
<h2>Per dimension</h2>
<table id="dimensions"><thead><tr><th>dimension</th>${HEAD}</tr></thead><tbody>
${r.dimensions.map((d) => `<tr><td>${esc(d.dimension)}</td>${cells(d)}</tr>`).join('\n')}
</tbody></table>
<h2>Per asset</h2>
<table id="assets"><thead><tr><th>asset</th>${HEAD}</tr></thead><tbody>
${r.assets.map((a) => `<tr><td><a href="${esc(assetFile(a.assetKey))}">${esc(a.assetKey)}</a></td>${cells(a)}</tr>`).join('\n')}
</tbody></table>
${reasons}`;
  return page('Data quality', body, '');
}
