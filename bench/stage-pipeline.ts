// Stages 2–4 of `npm run bench`: the whole pipeline at one scale on a fresh database, no-op re-runs, the worker's memory;
// and how the stages grow with scale.
import type { AssetKind } from '../assets';
import { createPool } from '../infra/db';
import { type BenchContext, assetTimes, figures } from './context';
import { createBenchDatabase, dropBenchDatabase } from './env';
import { type RunResult, materialize } from './materialize';
import type { BenchResults, ScaleResult } from './types';
import { fmt, median, progress } from './util';

/** 2–4. The whole pipeline at one scale, then no-op re-runs; the worker's peak memory. */
export async function measurePipeline(ctx: BenchContext, scale: number): Promise<ScaleResult> {
  const data = await ctx.data(scale);
  progress(
    `PIPELINE at scale ${scale}: '*' on a fresh database (${fmt.int(data.rows)} source rows), then ${ctx.opts.noopRuns} no-op re-runs`,
  );
  const tag = `s${String(scale).replace('.', '_')}`;
  const db = ctx.dbName(tag);
  const url = await createBenchDatabase(db);
  const worker = await ctx.worker(tag, url);
  const pool = createPool(url, 2);
  try {
    const target = { client: ctx.client, pool, graph: ctx.graph, taskQueue: worker.taskQueue, sourceDir: data.dir };
    await ctx.checkpoint(url);
    await ctx.quiet(`pipeline at scale ${scale}`);
    const full = await materialize(target, '*', { track: true, label: `scale ${scale}` });
    progress(
      `  full run ${full.status} in ${fmt.s(full.wallMs)}: ${Object.entries(full.stages)
        .map(([k, s]) => `${k} ${fmt.s(s.spanMs ?? s.ledgerMs)}`)
        .join(', ')}`,
    );
    if (full.status !== 'success') ctx.errors.push(`scale ${scale}: full run ${full.status}: ${full.rootCauses.join(', ')}`);
    const noop: RunResult[] = [];
    await ctx.quiet(`no-op re-runs at scale ${scale}`);
    for (let i = 0; i < ctx.opts.noopRuns; i++) {
      const r = await materialize(target, '*', { label: `no-op ${i + 1}` });
      const notSkipped = r.nodes - (r.outcomes.skipped ?? 0);
      if (notSkipped > 0)
        ctx.errors.push(`scale ${scale}: no-op re-run ${i + 1} ran ${notSkipped} of ${r.nodes} assets instead of skipping them`);
      noop.push(r);
    }
    const noopMedianMs = median(noop.map((r) => r.wallMs));
    const noopBestMs = Math.min(...noop.map((r) => r.wallMs));
    progress(`  no-op re-runs: ${noop.map((r) => fmt.s(r.wallMs, 2)).join(', ')} (${full.nodes} asset partitions)`);
    const memory = worker.memory();
    progress(
      `  worker VmHWM ${fmt.mib(memory.peakHwmKiB)} (at start ${fmt.mib(memory.startupHwmKiB)}), dbt processes peak ${fmt.mib(memory.childrenPeakRssKiB)}`,
    );
    const domainRows = full.ledger.filter((r) => r.kind === 'domain' && r.status === 'success');
    const byAsset = new Map<string, { rowsRead: number; durationMs: number }>();
    for (const r of domainRows) {
      const a = byAsset.get(r.assetKey) ?? { rowsRead: 0, durationMs: 0 };
      a.rowsRead += r.rowsRead;
      a.durationMs += r.durationMs;
      byAsset.set(r.assetKey, a);
    }
    const dRead = domainRows.reduce((a, r) => a + r.rowsRead, 0);
    const dMs = domainRows.reduce((a, r) => a + r.durationMs, 0);
    const dbtNodes = full.nodesByKind.dbt ?? 0;
    const nonDbtNodes = full.nodes - dbtNodes;
    return {
      scale,
      sourceRows: data.rows,
      generateMs: data.ms,
      workerStartupMs: worker.startupMs,
      full: figures(full),
      noop: noop.map(figures),
      noopMedianMs,
      noopBestMs,
      // materializeAsset per non-dbt node, one buildDbtModels, plus extraAssets, recordRunStart, listPartitions, recordRunEnd.
      noopActivities: nonDbtNodes + (dbtNodes > 0 ? 1 : 0) + 4,
      memory,
      domainRowsPerSec: dMs > 0 ? dRead / (dMs / 1000) : null,
      domainByAsset: [...byAsset].map(([assetKey, a]) => ({
        assetKey,
        ...a,
        rowsPerSec: a.durationMs > 0 ? a.rowsRead / (a.durationMs / 1000) : 0,
      })),
      assets: assetTimes(full.ledger),
      quarantined: full.ledger.reduce((a, r) => a + r.rowsQuarantined, 0),
    };
  } finally {
    await pool.end();
    await worker.stop();
    await dropBenchDatabase(db);
  }
}

/** How each stage's time grows from one scale to the next (ratio and exponent of the scale factor). */
export function growth(scales: ScaleResult[]): BenchResults['growth'] {
  const out: BenchResults['growth'] = [];
  const stageTime = (s: ScaleResult, k: AssetKind) => {
    const st = s.full.stages[k];
    if (!st) return undefined;
    return k === 'dbt' ? (st.spanMs ?? st.ledgerMs) : st.ledgerMs;
  };
  for (let i = 1; i < scales.length; i++) {
    const a = scales[i - 1] as ScaleResult;
    const b = scales[i] as ScaleResult;
    const factor = b.scale / a.scale;
    const stages: BenchResults['growth'][number]['stages'] = {};
    for (const k of ['raw', 'staging', 'domain', 'dbt'] as AssetKind[]) {
      const ta = stageTime(a, k);
      const tb = stageTime(b, k);
      if (ta && tb) stages[k] = { ratio: tb / ta, exponent: Math.log(tb / ta) / Math.log(factor) };
    }
    const wallRatio = b.full.wallMs / a.full.wallMs;
    out.push({ from: a.scale, to: b.scale, factor, wallRatio, exponent: Math.log(wallRatio) / Math.log(factor), stages });
  }
  return out;
}
