// Stage 5 of `npm run bench`: the orchestration overhead per asset, with assets that do nothing (noop-worker.ts), from
// wall times and from the Temporal event history.
import path from 'node:path';
import { platformGraph } from '../assets';
import { createPool } from '../infra/db';
import type { BenchContext } from './context';
import { type WorkerMemory, createBenchDatabase, dropBenchDatabase } from './env';
import { historyTiming, materialize } from './materialize';
import { NOOP_SIZES, noopAssets, noopGroup } from './noop-assets';
import type { BenchResults, OverheadSeries } from './types';
import { fmt, linearFit, median, progress } from './util';

/** 5. A dedicated measure: no-op assets in chains (serial round trips) and flat sets (4 at a time), two sizes. */
export async function measureOverhead(ctx: BenchContext): Promise<BenchResults['overhead']> {
  progress(`OVERHEAD: no-op assets, chains and flat sets of ${NOOP_SIZES.join(' and ')}, ${ctx.opts.noopRuns} runs each`);
  const db = ctx.dbName('noop');
  const url = await createBenchDatabase(db);
  const worker = await ctx.worker('noop', url, path.join(__dirname, 'noop-worker.ts'));
  const pool = createPool(url, 2);
  const graph = platformGraph([...ctx.graph.assets.filter((a) => a.kind === 'dbt'), ...noopAssets()]);
  const series: OverheadSeries[] = [];
  let memory: WorkerMemory | undefined;
  try {
    const target = { client: ctx.client, pool, graph, taskQueue: worker.taskQueue, sourceDir: ctx.work };
    for (const shape of ['chain', 'flat'] as const) {
      for (const n of NOOP_SIZES) await materialize(target, `group:${noopGroup(shape, n)}`, { label: 'warm-up' });
    }
    for (const shape of ['chain', 'flat'] as const) {
      for (const mode of ['checkpoint-hit', 'forced-noop'] as const) {
        await ctx.quiet(`overhead ${shape} ${mode}`);
        const points: OverheadSeries['points'] = [];
        for (const n of NOOP_SIZES) {
          const runs: number[] = [];
          const inside: number[] = [];
          const steps: number[] = [];
          const spans: number[] = [];
          for (let i = 0; i < ctx.opts.noopRuns; i++) {
            const r = await materialize(target, `group:${noopGroup(shape, n)}`, { force: mode === 'forced-noop', label: `${shape} ${n}` });
            if (r.status !== 'success') ctx.errors.push(`overhead ${shape} ${n} ${mode}: ${r.status}`);
            const expected = mode === 'forced-noop' ? 'materialized' : 'skipped';
            if ((r.outcomes[expected] ?? 0) !== n)
              ctx.errors.push(`overhead ${shape} ${n} ${mode}: outcomes ${JSON.stringify(r.outcomes)}`);
            runs.push(r.wallMs);
            inside.push(r.activityMs.median);
            const h = await historyTiming(ctx.client, r.workflowId, r.runId);
            steps.push(h.medianStepMs);
            spans.push(h.activitySpanMs);
          }
          points.push({
            assets: n,
            wallMs: Math.min(...runs),
            runs,
            activityMedianMs: median(inside),
            medianStepMs: median(steps),
            activitySpanMs: median(spans),
          });
        }
        const fit = linearFit(points.map((p) => [p.assets, p.wallMs]));
        const big = points[points.length - 1] as OverheadSeries['points'][number];
        const s = {
          shape,
          mode,
          points,
          perAssetMs: fit.slope,
          perRunMs: fit.intercept,
          historyStepMs: big.medianStepMs,
          historyPerAssetMs: big.activitySpanMs / big.assets,
        };
        series.push(s);
        progress(
          `  ${shape} ${mode}: ${points.map((p) => `${p.assets} assets ${fmt.ms(p.wallMs)}`).join(', ')} → slope ${fmt.ms(fit.slope, 1)} per asset + ${fmt.ms(fit.intercept)} per run; ` +
            `history: ${fmt.ms(s.historyStepMs, 1)} between completions, ${fmt.ms(s.historyPerAssetMs, 1)} per asset`,
        );
      }
    }
  } finally {
    await pool.end();
    memory = worker.memory();
    await worker.stop();
    await dropBenchDatabase(db);
  }
  return { series, workerMemory: memory as WorkerMemory };
}
