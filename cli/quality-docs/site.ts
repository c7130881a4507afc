// The whole data docs site as files (relative path → HTML): the index and a page per asset of the graph or of the results.
import type { HistoryRow, StoredResult } from '../../activities/ledger/quality-read';
import type { QualityReport } from '../quality-report';
import type { TrendPoint } from './chart';
import { renderAssetPage } from './asset-page';
import { assetFile } from './html';
import { renderIndex } from './index-page';

export interface SiteInput {
  report: QualityReport;
  /** The overall rows of the stored history (asset '*', dimension 'overall'), oldest first. */
  history: readonly HistoryRow[];
  /** The latest run's results with examples. */
  results: readonly StoredResult[];
  /** Each asset of the graph with its upstream keys. */
  graph: ReadonlyMap<string, readonly string[]>;
  generatedAt: string;
}

export function trendPoints(history: readonly HistoryRow[]): TrendPoint[] {
  return history
    .filter((h) => h.assetKey === '*' && h.dimension === 'overall')
    .map((h) => ({ label: h.startedAt, runId: h.runId, score: h.score, status: h.slaStatus }));
}

export function buildSite(input: SiteInput): Map<string, string> {
  const files = new Map<string, string>([
    ['index.html', renderIndex({ report: input.report, trend: trendPoints(input.history), generatedAt: input.generatedAt })],
  ]);
  const keys = [...new Set([...input.graph.keys(), ...input.results.map((r) => r.assetKey)])].sort();
  const downstream = new Map<string, string[]>();
  for (const [key, ups] of input.graph) for (const u of ups) downstream.set(u, [...(downstream.get(u) ?? []), key]);
  for (const key of keys) {
    files.set(
      assetFile(key),
      renderAssetPage({
        assetKey: key,
        line: input.report.assets.find((a) => a.assetKey === key),
        results: input.results.filter((r) => r.assetKey === key),
        upstream: [...(input.graph.get(key) ?? [])].sort(),
        downstream: (downstream.get(key) ?? []).sort(),
      }),
    );
  }
  return files;
}
