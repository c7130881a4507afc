// Stage 1 of `npm run bench`: extract + staging against psql \copy of the same files (three variants), rows per second.
import { embeddedDatabaseUrl } from '../infra/config';
import { createPool } from '../infra/db';
import { type BaselineRun, type BaselineVariant, VARIANTS, createBaselineTables, runBaseline } from './baseline';
import { type BenchContext, assetTimes, figures } from './context';
import { type WorkerMemory, createBenchDatabase, dropBenchDatabase } from './env';
import { materialize } from './materialize';
import type { AssetTime, LoadResult } from './types';
import { fmt, progress } from './util';

/** 1. extract + staging of scale 1 against psql \copy of the same files. */
export async function measureLoad(ctx: BenchContext, scale: number): Promise<LoadResult> {
  const data = await ctx.data(scale);
  progress(`LOAD: extract + staging at scale ${scale} (${fmt.int(data.rows)} rows) against psql \\copy, ${ctx.opts.loadRounds} rounds`);
  const copyDb = ctx.dbName('copy');
  await createBenchDatabase(copyDb, false);
  await createBaselineTables(embeddedDatabaseUrl(copyDb));
  const loadDb = ctx.dbName('load');
  const url = await createBenchDatabase(loadDb);
  const worker = await ctx.worker('load', url);
  const pool = createPool(url, 2);
  const baseline: BaselineRun[] = [];
  const ours: LoadResult['ours'] = [];
  let assets: AssetTime[] = [];
  let memory: WorkerMemory | undefined;
  try {
    for (let round = 1; round <= ctx.opts.loadRounds; round++) {
      for (const variant of Object.keys(VARIANTS) as BaselineVariant[]) {
        await ctx.quiet(`psql ${variant} round ${round}`);
        const b = await runBaseline(variant, copyDb, data.dir, ctx.work);
        progress(`  psql ${variant}: ${fmt.int(b.rows)} rows in ${fmt.s(b.wallMs, 2)} = ${fmt.int(b.rowsPerSec)} rows/s`);
        if (b.rows !== data.rows) ctx.errors.push(`baseline ${variant} loaded ${b.rows} rows, the files hold ${data.rows}`);
        baseline.push(b);
      }
      await ctx.checkpoint(url);
      await ctx.quiet(`extract + staging round ${round}`);
      const r = await materialize(
        { client: ctx.client, pool, graph: ctx.graph, taskQueue: worker.taskQueue, sourceDir: data.dir },
        'raw/*,staging/*',
        { force: round > 1, track: true, label: `raw/*,staging/* round ${round}` },
      );
      if (r.status !== 'success') ctx.errors.push(`load round ${round}: run ${r.status}: ${r.rootCauses.join(', ')}`);
      const raw = r.stages.raw;
      const staging = r.stages.staging;
      const rows = raw?.rowsRead ?? 0;
      const o = {
        ...figures(r),
        rowsPerSec: rows / (r.wallMs / 1000),
        extractRowsPerSec: raw?.spanMs ? rows / (raw.spanMs / 1000) : null,
        stagingRowsPerSec: staging?.spanMs ? staging.rowsRead / (staging.spanMs / 1000) : null,
      };
      progress(
        `  ours round ${round}: ${fmt.int(rows)} rows in ${fmt.s(r.wallMs, 2)} = ${fmt.int(o.rowsPerSec)} rows/s (raw span ${fmt.s(raw?.spanMs)}, staging span ${fmt.s(staging?.spanMs)})`,
      );
      if (rows !== data.rows) ctx.errors.push(`load round ${round}: raw assets read ${rows} rows, the files hold ${data.rows}`);
      ours.push(o);
      if (round === 1) assets = assetTimes(r.ledger);
    }
  } finally {
    await pool.end();
    memory = worker.memory();
    await worker.stop();
    await dropBenchDatabase(loadDb);
    await dropBenchDatabase(copyDb);
  }
  const best = baseline.reduce((a, b) => (b.rowsPerSec > a.rowsPerSec ? b : a));
  const bestOurs = ours.reduce((a, b) => (b.rowsPerSec > a.rowsPerSec ? b : a));
  const freezeSerial = Math.max(...baseline.filter((b) => b.variant === 'freeze-serial').map((b) => b.rowsPerSec));
  return {
    scale,
    rows: data.rows,
    files: data.files,
    baseline,
    baselineBest: { variant: best.variant, rowsPerSec: best.rowsPerSec, wallMs: best.wallMs },
    ours,
    oursBest: { wallMs: bestOurs.wallMs, rowsPerSec: bestOurs.rowsPerSec },
    ratio: bestOurs.rowsPerSec / best.rowsPerSec,
    ratioVsFreezeSerial: Number.isFinite(freezeSerial) ? bestOurs.rowsPerSec / freezeSerial : null,
    assets,
    workerMemory: memory as WorkerMemory,
  };
}
