// `dw quality` (latest scores against the SLA, the default), `dw quality history`, `dw quality failures`, `dw quality docs`.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { failingResults, recentQualityRuns, runResults, scoreHistory, type HistoryRow } from '../activities/ledger/quality-read';
import { resolveSlaPolicy, type SlaPolicy } from '../domain/quality';
import { ROOT, loadConfig } from '../infra/config';
import type { Pool } from '../infra/db';
import { commandGraph, jsonOption, print, withPool } from './command';
import { UsageError } from './output';
import { failuresText, historyText, reportText } from './quality-format';
import { buildReport, type QualityReport } from './quality-report';
import { buildSite } from './quality-docs/site';

/** The SLA policy the runs use: overall ≥ 95 %, what a breach does from DW_QUALITY_SLA. */
export function qualityPolicy(): SlaPolicy {
  return resolveSlaPolicy({ onBreach: loadConfig().qualitySla });
}

/** The latest run with results, scored, and compared with the run before it. */
export async function qualityReport(pool: Pool): Promise<QualityReport> {
  const [latest, before] = await recentQualityRuns(pool, 2);
  const current = latest ? { ...latest, rows: await runResults(pool, latest.runId) } : null;
  const previous = before ? { runId: before.runId, rows: await runResults(pool, before.runId) } : null;
  return buildReport(current, previous, qualityPolicy());
}

export interface HistoryEntry {
  runId: string;
  startedAt: string;
  assetKey: string;
  score: number;
  slaStatus: 'pass' | 'warn' | 'block';
  evaluated: number;
  failed: number;
  /** The run's (or the asset's) score per dimension. */
  dimensions: Record<string, number>;
}

/** One entry per run (× asset when filtered by asset), from the stored rows. */
export function historyEntries(rows: readonly HistoryRow[]): HistoryEntry[] {
  const dims = new Map<string, Record<string, number>>();
  for (const r of rows)
    if (r.dimension !== 'overall')
      dims.set(`${r.runId}|${r.assetKey}`, { ...dims.get(`${r.runId}|${r.assetKey}`), [r.dimension]: r.score });
  return rows
    .filter((r) => r.dimension === 'overall')
    .map((r) => ({
      runId: r.runId,
      startedAt: r.startedAt,
      assetKey: r.assetKey,
      score: r.score,
      slaStatus: r.slaStatus,
      evaluated: r.evaluated,
      failed: r.failed,
      dimensions: dims.get(`${r.runId}|${r.assetKey}`) ?? {},
    }));
}

const wholeNumber = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number ≥ 0, got '${v}'`);
  return n;
};

const date = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new UsageError(`--since '${v}' is not a date: use YYYY-MM-DD (or an ISO timestamp)`);
  }
  return v;
};

/** Writes the data docs into `out` (created when missing; the site's own files are overwritten, nothing is deleted); returns the files written. */
export async function writeDocs(out: string): Promise<string[]> {
  const graph = await commandGraph();
  const { report, history, results } = await withPool(async (pool) => {
    const r = await qualityReport(pool);
    return { report: r, history: await scoreHistory(pool), results: r.runId ? await runResults(pool, r.runId, { examples: true }) : [] };
  });
  const files = buildSite({
    report,
    history,
    results,
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    graph: new Map(graph.assets.map((a) => [a.key, a.deps])),
  });
  for (const [file, html] of files) {
    fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    fs.writeFileSync(path.join(out, file), html);
  }
  return [...files.keys()];
}

/** Registers the quality commands on the `quality` group (shared with `dw quality repairs`). */
export function registerQuality(program: Command): Command {
  const quality = program.commands.find((c) => c.name() === 'quality') ?? program.command('quality').description('data quality reports');
  quality
    .command('scores', { isDefault: true })
    .description(
      "the latest run's quality scores, overall, per dimension and per asset, ✔/⚠/✘ against the SLA, with the change since the previous run (the default)",
    )
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const report = await withPool(qualityReport);
      print(report, Boolean(opts.json), () => reportText(report));
    });
  quality
    .command('history')
    .description('the score trend: one row per run (per run × asset with --asset)')
    .option('--asset <key>', "this asset's scores (a * matches any characters: 'dbt/*')")
    .option('--since <date>', 'runs started on or after this date (YYYY-MM-DD)', date)
    .addOption(jsonOption())
    .action(async (opts: { asset?: string; since?: string; json?: boolean }) => {
      const rows = await withPool((pool) => scoreHistory(pool, opts));
      print({ asset: opts.asset ?? null, since: opts.since ?? null, rows: historyEntries(rows) }, Boolean(opts.json), () =>
        historyText(rows, opts.asset !== undefined),
      );
    });
  quality
    .command('failures')
    .description('failing expectations of the latest run (or --run), the most failed rows first, with their examples (source file, record)')
    .option('--asset <key>', 'only this asset (a * matches any characters)')
    .option('--expectation <id>', 'only this expectation id')
    .option('--run <id>', 'this run instead of the latest')
    .option('--limit <n>', 'at most this many expectations', wholeNumber('--limit'), 20)
    .option('--offset <n>', 'skip this many first', wholeNumber('--offset'), 0)
    .addOption(jsonOption())
    .action(async (opts: { asset?: string; expectation?: string; run?: string; limit: number; offset: number; json?: boolean }) => {
      const page = await withPool(async (pool) => {
        const runId = opts.run ?? (await recentQualityRuns(pool, 1))[0]?.runId;
        return runId
          ? failingResults(pool, { ...opts, runId })
          : { runId: null, total: 0, offset: opts.offset, limit: opts.limit, rows: [] };
      });
      print(page, Boolean(opts.json), () => failuresText(page));
    });
  quality
    .command('docs')
    .description('write the data docs: a static HTML site (index with scores and trend, a page per asset), opens from the file system')
    .option('--out <dir>', 'folder to write into', path.join(ROOT, '.dw', 'quality-docs'))
    .addOption(jsonOption())
    .action(async (opts: { out: string; json?: boolean }) => {
      const out = path.resolve(opts.out);
      const files = await writeDocs(out);
      print(
        { out, index: path.join(out, 'index.html'), files: files.length },
        Boolean(opts.json),
        () => `${files.length} pages → ${path.join(out, 'index.html')}`,
      );
    });
  return quality;
}
