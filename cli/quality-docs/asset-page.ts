// A data docs page per asset: its score, lineage links to upstream pages, every expectation with its observed value, failing examples.
import type { StoredExample, StoredResult } from '../../activities/ledger/quality-read';
import { pct } from '../quality-format';
import { observedValue, type ReportLine } from '../quality-report';
import { assetFile, esc, page, status } from './html';

export interface AssetPageInput {
  assetKey: string;
  /** The asset's line of the latest report; undefined when the latest run evaluated nothing on it. */
  line?: ReportLine;
  /** The latest run's results on the asset, with examples. */
  results: readonly StoredResult[];
  /** Upstream asset keys (from the asset graph), each with a page of its own. */
  upstream: readonly string[];
  /** Downstream asset keys. */
  downstream: readonly string[];
}

/** The observed value, and the suite's message when it stored one ({ value, message }). */
function observed(o: unknown): string {
  const message = o !== null && typeof o === 'object' && 'message' in o ? (o as { message: unknown }).message : undefined;
  const v = observedValue(o);
  return `${esc(v ?? '—')}${message ? `<br><span class="muted">${esc(message)}</span>` : ''}`;
}

const link = (key: string) => `<a href="../${esc(assetFile(key))}">${esc(key)}</a>`;
const list = (keys: readonly string[], none: string) =>
  keys.length ? `<ul>${keys.map((k) => `<li>${link(k)}</li>`).join('')}</ul>` : `<p class="muted">${none}</p>`;

function examplesTable(examples: readonly StoredExample[]): string {
  return `<table class="examples"><thead><tr><th>source file</th><th>record</th><th>values</th></tr></thead><tbody>${examples
    .map(
      (e) =>
        `<tr><td>${esc(e.sourceFile ?? '—')}</td><td class="num">${esc(e.record ?? '—')}</td><td><pre>${esc(JSON.stringify(e.values ?? {}))}</pre></td></tr>`,
    )
    .join('')}</tbody></table>`;
}

export function renderAssetPage(p: AssetPageInput): string {
  const head = p.line
    ? `<div class="card">score<br><span class="score ${p.line.status}" id="asset-score" data-score="${p.line.score}">${pct(p.line.score)}</span></div>` +
      `<div class="card">SLA (floor ${pct(p.line.floor)})<br><span class="score">${status(p.line.status)}</span></div>` +
      `<div class="card">expectations passed<br><span class="score">${p.line.passed}/${p.line.expectations}</span></div>`
    : '<p class="muted">the latest run evaluated no expectation on this asset</p>';
  const rows = p.results
    .map(
      (r) =>
        `<tr class="${r.outcome === 'pass' ? '' : r.outcome === 'fail' ? 'block' : 'warn'}">` +
        `<td><code>${esc(r.expectationId)}</code></td><td>${esc(r.partitionKey || '—')}</td><td>${esc(r.kind)}</td><td>${esc(r.source)}</td>` +
        `<td>${esc(r.dimension)}</td><td>${esc(r.severity)}</td><td>${esc(r.columnName ?? '—')}</td><td class="num">${esc(r.weight)}</td>` +
        `<td class="num">${r.evaluated.toLocaleString('en-US')}</td><td class="num">${r.failed.toLocaleString('en-US')}</td>` +
        `<td>${observed(r.observed)}</td><td>${status(r.outcome === 'pass' ? 'pass' : r.outcome === 'fail' ? 'block' : 'warn')}</td></tr>`,
    )
    .join('\n');
  const failing = p.results.filter((r) => r.outcome !== 'pass');
  const examples = failing.length
    ? failing
        .map(
          (r) =>
            `<h3><code>${esc(r.expectationId)}</code>${r.partitionKey ? ` [${esc(r.partitionKey)}]` : ''}: ${r.failed.toLocaleString('en-US')} of ${r.evaluated.toLocaleString('en-US')} failed</h3>` +
            (r.examples.length ? examplesTable(r.examples) : '<p class="muted">no row examples (an aggregate expectation)</p>'),
        )
        .join('\n')
    : '<p class="muted">no failing expectation in the latest run</p>';
  const body = `${head}
<h2>Lineage</h2><h3>upstream</h3>${list(p.upstream, 'none: a source of the graph')}<h3>downstream</h3>${list(p.downstream, 'none')}
<h2>Expectations (latest run)</h2>
${
  p.results.length
    ? `<table id="expectations"><thead><tr><th>expectation</th><th>partition</th><th>kind</th><th>source</th><th>dimension</th><th>severity</th><th>column</th><th>weight</th><th>evaluated</th><th>failed</th><th>observed</th><th>outcome</th></tr></thead><tbody>
${rows}
</tbody></table>`
    : '<p class="muted">none</p>'
}
<h2>Failing examples</h2>
${examples}`;
  return page(`Data quality: ${p.assetKey}`, body, '../');
}
