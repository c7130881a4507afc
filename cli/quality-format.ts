// Terminal text for dw quality: scores with ✔/⚠/✘ and their change, the history trend, failing expectations with examples.
import type { FailurePage, HistoryRow, StoredExample } from '../activities/ledger/quality-read';
import { table } from './output';
import { observedValue, type QualityReport, type ReportLine } from './quality-report';

export const MARK: Record<'pass' | 'warn' | 'block', string> = { pass: '✔', warn: '⚠', block: '✘' };

/** 0.98765 → "98.77%". */
export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(2)}%`);

/** A change in percentage points, signed; "new" when there was nothing to compare with. */
export const change = (d: number | null): string => (d === null ? 'new' : `${d >= 0 ? '+' : '−'}${Math.abs(100 * d).toFixed(2)} pp`);

const n = (x: number): string => x.toLocaleString('en-US');

function cells(l: ReportLine): string[] {
  return [pct(l.score), change(l.delta), pct(l.floor), `${l.passed}/${l.expectations}`, `${n(l.failedRows)} of ${n(l.evaluatedRows)}`];
}

const HEAD = ['score', 'change', 'floor', 'passed', 'failing rows'];

export function reportText(r: QualityReport): string {
  if (!r.overall) return 'no quality results yet: run dw materialize (the suites run as checks of each asset)';
  const o = r.overall;
  const lines = [
    `${MARK[o.status]} overall ${pct(o.score)} (${change(o.delta)} since ${r.previousRunId ?? 'no previous run'}), SLA ≥ ${pct(r.policy.overallFloor)}: ${o.status}`,
    `run ${r.runId} at ${r.at}`,
    '',
    table(
      r.dimensions.map((d) => [`${MARK[d.status]} ${d.dimension}`, ...cells(d)]),
      ['dimension', ...HEAD],
    ),
    '',
    table(
      r.assets.map((a) => [`${MARK[a.status]} ${a.assetKey}`, ...cells(a)]),
      ['asset', ...HEAD],
    ),
  ];
  if (r.sla.reasons.length)
    lines.push('', ...r.sla.reasons.map((x) => `${x.level === 'block' ? MARK.block : MARK.warn} ${x.code}: ${x.message}`));
  return lines.join('\n');
}

export function historyText(rows: readonly HistoryRow[], byAsset: boolean): string {
  const overall = rows.filter((r) => r.dimension === 'overall');
  if (!overall.length)
    return byAsset ? 'no stored scores for this asset (check the key: dw quality lists the scored assets)' : 'no stored quality scores yet';
  const dims = [...new Set(rows.filter((r) => r.dimension !== 'overall').map((r) => r.dimension))].sort();
  const dim = new Map(rows.map((r) => [`${r.runId}|${r.assetKey}|${r.dimension}`, r.score]));
  return table(
    overall.map((r) => [
      r.startedAt,
      r.runId,
      ...(byAsset ? [r.assetKey] : []),
      `${MARK[r.slaStatus]} ${pct(r.score)}`,
      ...dims.map((d) => pct(dim.get(`${r.runId}|${r.assetKey}|${d}`))),
      `${n(r.failed)} of ${n(r.evaluated)}`,
    ]),
    ['started', 'run', ...(byAsset ? ['asset'] : []), 'score', ...dims, 'failing rows'],
  );
}

/** "orders.csv record 17: {"price":"-1"}" */
export function exampleText(e: StoredExample): string {
  const record = e.record === null || e.record === undefined ? '' : `record ${e.record}`;
  const where = [e.sourceFile, record].filter(Boolean).join(' ') || 'row';
  return `${where}: ${JSON.stringify(e.values ?? {})}`;
}

export function failuresText(p: FailurePage): string {
  if (!p.rows.length) return `no failing expectations${p.runId ? ` in run ${p.runId}` : ''} (${p.total} match)`;
  const blocks = p.rows.map((r) =>
    [
      `${r.outcome === 'fail' ? MARK.block : MARK.warn} ${r.assetKey}${r.partitionKey ? ` [${r.partitionKey}]` : ''}  ${r.expectationId}  (${r.kind}, ${r.dimension}, ${r.severity})`,
      `  ${n(r.failed)} of ${n(r.evaluated)} failed${observedValue(r.observed) === null ? '' : `, observed ${observedValue(r.observed)}`}`,
      ...r.examples.map((e) => `  - ${exampleText(e)}`),
    ].join('\n'),
  );
  return `${blocks.join('\n')}\nexpectations ${p.offset + 1}–${p.offset + p.rows.length} of ${p.total} failing in run ${p.runId}`;
}
