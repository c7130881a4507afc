// npm run bench: load rate against psql \copy, the whole pipeline at several scales, no-op re-runs, worker memory,
// orchestration overhead; results in bench/results/latest.{json,md}. Not part of npm test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { type AssetGraph, type AssetKind, platformGraph } from '../assets';
import { loadGraph } from '../activities/dbt/manifest';
import { embeddedDatabaseUrl } from '../infra/config';
import { createPool } from '../infra/db';
import { generate } from '../generator';
import { startPostgres } from '../infra/services/postgres';
import { startTemporal } from '../infra/services/temporal';
import { connectClient } from '../cli/temporal-client';
import { type BaselineRun, type BaselineVariant, VARIANTS, createBaselineTables, runBaseline } from './baseline';
import { BenchWorker, TEMPORAL_ADDRESS, type WorkerMemory, cleanup, createBenchDatabase, dropBenchDatabase } from './env';
import { describeMachine } from './machine';
import { type LedgerRow, type RunResult, historyTiming, materialize } from './materialize';
import { NOOP_SIZES, noopAssets, noopGroup } from './noop-assets';
import { evaluateTargets, writeReport } from './report';
import type { AssetTime, BenchResults, LoadResult, OverheadSeries, RunFigures, ScaleResult } from './types';
import { cpuBusy, elapsedSinceStart, fmt, linearFit, median, progress, sleep } from './util';

const RESULTS_DIR = path.join(__dirname, 'results');

interface Options {
  scales: number[];
  seed: string;
  budgetMin: number;
  loadRounds: number;
  noopRuns: number;
  quietThreshold: number;
  maxWaitMin: number;
  reportOnly: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    scales: [0.1, 1, 3],
    seed: '42',
    budgetMin: 25,
    loadRounds: 2,
    noopRuns: 3,
    quietThreshold: 0.25,
    maxWaitMin: 10,
    reportOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--scales') o.scales = next().split(',').map(Number);
    else if (a === '--seed') o.seed = next();
    else if (a === '--budget-min') o.budgetMin = Number(next());
    else if (a === '--load-rounds') o.loadRounds = Number(next());
    else if (a === '--quiet-threshold') o.quietThreshold = Number(next());
    else if (a === '--max-wait-min') o.maxWaitMin = Number(next());
    else if (a === '--report-only') o.reportOnly = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        [
          'npm run bench [-- options]',
          '  --scales 0.1,1,3       pipeline scales (scale 3 is reduced or skipped when it would not fit the budget)',
          '  --seed 42              generator seed',
          '  --budget-min 25        wall-time budget for the whole benchmark',
          '  --load-rounds 2        rounds of the load comparison (psql variants, then ours)',
          '  --quiet-threshold 0.25 wait before each measurement until other processes use less than this share of the CPUs',
          '  --max-wait-min 10      give up waiting for a quiet machine after this many minutes in all',
          '  --report-only          rewrite latest.md from latest.json (and bench/notes.md)',
        ].join('\n') + '\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (o.scales.some((s) => !(s > 0))) throw new Error('--scales takes positive numbers');
  o.scales.sort((a, b) => a - b);
  return o;
}

function figures(r: RunResult): RunFigures {
  const { selection: _s, force: _f, workflowId: _w, runId: _r, ledger: _l, ...kept } = r;
  return kept;
}

function assetTimes(rows: LedgerRow[]): AssetTime[] {
  const by = new Map<string, AssetTime>();
  for (const r of rows) {
    if (r.status !== 'success') continue;
    const a = by.get(r.assetKey) ?? { assetKey: r.assetKey, kind: r.kind, partitions: 0, durationMs: 0, maxPartitionMs: 0, rowsRead: 0 };
    a.partitions++;
    a.durationMs += r.durationMs;
    a.maxPartitionMs = Math.max(a.maxPartitionMs, r.durationMs);
    a.rowsRead += r.rowsRead;
    by.set(r.assetKey, a);
  }
  return [...by.values()].sort((a, b) => b.durationMs - a.durationMs);
}

class Bench {
  readonly id = `${process.pid}`;
  readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-bench-'));
  readonly dataDirs = new Map<number, { dir: string; rows: number; files: Record<string, number>; ms: number }>();
  graph!: AssetGraph;
  client!: Client;
  readonly errors: string[] = [];
  readonly quietLog: BenchResults['quiet'] = [];
  private waitedMs = 0;

  /** Time spent waiting for a quiet machine (not counted against the budget). */
  get waited(): number {
    return this.waitedMs;
  }

  constructor(readonly opts: Options) {}

  /**
   * Waits until the machine is quiet (other processes, e.g. other engineers' test runs, use less than the threshold
   * of the CPUs over 2 s), at most 3 minutes per wait and --max-wait-min in all; records what it saw.
   */
  async quiet(label: string): Promise<void> {
    const started = performance.now();
    let busy = await cpuBusy();
    let lastNote = 0;
    while (
      busy > this.opts.quietThreshold &&
      this.waitedMs + (performance.now() - started) < this.opts.maxWaitMin * 60_000 &&
      performance.now() - started < 180_000
    ) {
      if (performance.now() - lastNote > 30_000) {
        lastNote = performance.now();
        progress(`  machine busy (${fmt.pct(busy)} of the CPUs used by other processes): waiting before ${label}`);
      }
      await sleep(3_000);
      busy = await cpuBusy();
    }
    const waited = performance.now() - started;
    this.waitedMs += waited;
    this.quietLog.push({ label, busy, waitedMs: waited, quiet: busy <= this.opts.quietThreshold });
    if (busy > this.opts.quietThreshold) progress(`  machine still busy (${fmt.pct(busy)}): measuring ${label} anyway`);
  }

  async data(scale: number) {
    const have = this.dataDirs.get(scale);
    if (have) return have;
    const dir = path.join(this.work, `data-${scale}`);
    progress(`generating scale ${scale} (seed ${this.opts.seed}) into ${dir}`);
    const started = performance.now();
    const report = await generate({ scale, seed: this.opts.seed, outDir: dir });
    const files: Record<string, number> = {};
    for (const f of Object.values(report.files)) files[f.file] = f.rows;
    const d = { dir, rows: report.totalRows, files, ms: performance.now() - started };
    progress(`  ${fmt.int(d.rows)} rows in ${fmt.s(d.ms)}`);
    this.dataDirs.set(scale, d);
    return d;
  }

  dbName(tag: string): string {
    return `bench_${this.id}_${tag}`.replace(/\W/g, '_');
  }

  queue(tag: string): string {
    return `bench-${this.id}-${tag}`;
  }

  async worker(tag: string, databaseUrl: string, script?: string): Promise<BenchWorker> {
    return BenchWorker.start({ name: tag, databaseUrl, taskQueue: this.queue(tag), logDir: this.work, script });
  }

  async checkpoint(databaseUrl: string): Promise<void> {
    const pool = createPool(databaseUrl, 1);
    try {
      await pool.query('CHECKPOINT');
    } finally {
      await pool.end();
    }
  }

  /** 1. extract + staging of scale 1 against psql \copy of the same files. */
  async load(scale: number): Promise<LoadResult> {
    const data = await this.data(scale);
    progress(`LOAD: extract + staging at scale ${scale} (${fmt.int(data.rows)} rows) against psql \\copy, ${this.opts.loadRounds} rounds`);
    const copyDb = this.dbName('copy');
    await createBenchDatabase(copyDb, false);
    await createBaselineTables(embeddedDatabaseUrl(copyDb));
    const loadDb = this.dbName('load');
    const url = await createBenchDatabase(loadDb);
    const worker = await this.worker('load', url);
    const pool = createPool(url, 2);
    const baseline: BaselineRun[] = [];
    const ours: LoadResult['ours'] = [];
    let assets: AssetTime[] = [];
    let memory: WorkerMemory | undefined;
    try {
      for (let round = 1; round <= this.opts.loadRounds; round++) {
        for (const variant of Object.keys(VARIANTS) as BaselineVariant[]) {
          await this.quiet(`psql ${variant} round ${round}`);
          const b = await runBaseline(variant, copyDb, data.dir, this.work);
          progress(`  psql ${variant}: ${fmt.int(b.rows)} rows in ${fmt.s(b.wallMs, 2)} = ${fmt.int(b.rowsPerSec)} rows/s`);
          if (b.rows !== data.rows) this.errors.push(`baseline ${variant} loaded ${b.rows} rows, the files hold ${data.rows}`);
          baseline.push(b);
        }
        await this.checkpoint(url);
        await this.quiet(`extract + staging round ${round}`);
        const r = await materialize(
          { client: this.client, pool, graph: this.graph, taskQueue: worker.taskQueue, sourceDir: data.dir },
          'raw/*,staging/*',
          { force: round > 1, track: true, label: `raw/*,staging/* round ${round}` },
        );
        if (r.status !== 'success') this.errors.push(`load round ${round}: run ${r.status}: ${r.rootCauses.join(', ')}`);
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
        if (rows !== data.rows) this.errors.push(`load round ${round}: raw assets read ${rows} rows, the files hold ${data.rows}`);
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

  /** 2–4. The whole pipeline at one scale, then no-op re-runs; the worker's peak memory. */
  async pipeline(scale: number): Promise<ScaleResult> {
    const data = await this.data(scale);
    progress(
      `PIPELINE at scale ${scale}: '*' on a fresh database (${fmt.int(data.rows)} source rows), then ${this.opts.noopRuns} no-op re-runs`,
    );
    const tag = `s${String(scale).replace('.', '_')}`;
    const db = this.dbName(tag);
    const url = await createBenchDatabase(db);
    const worker = await this.worker(tag, url);
    const pool = createPool(url, 2);
    try {
      const ctx = { client: this.client, pool, graph: this.graph, taskQueue: worker.taskQueue, sourceDir: data.dir };
      await this.checkpoint(url);
      await this.quiet(`pipeline at scale ${scale}`);
      const full = await materialize(ctx, '*', { track: true, label: `scale ${scale}` });
      progress(
        `  full run ${full.status} in ${fmt.s(full.wallMs)}: ${Object.entries(full.stages)
          .map(([k, s]) => `${k} ${fmt.s(s.spanMs ?? s.ledgerMs)}`)
          .join(', ')}`,
      );
      if (full.status !== 'success') this.errors.push(`scale ${scale}: full run ${full.status}: ${full.rootCauses.join(', ')}`);
      const noop: RunResult[] = [];
      await this.quiet(`no-op re-runs at scale ${scale}`);
      for (let i = 0; i < this.opts.noopRuns; i++) {
        const r = await materialize(ctx, '*', { label: `no-op ${i + 1}` });
        const notSkipped = r.nodes - (r.outcomes.skipped ?? 0);
        if (notSkipped > 0)
          this.errors.push(`scale ${scale}: no-op re-run ${i + 1} ran ${notSkipped} of ${r.nodes} assets instead of skipping them`);
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

  /** 5. A dedicated measure: no-op assets in chains (serial round trips) and flat sets (4 at a time), two sizes. */
  async overhead(): Promise<BenchResults['overhead']> {
    progress(`OVERHEAD: no-op assets, chains and flat sets of ${NOOP_SIZES.join(' and ')}, ${this.opts.noopRuns} runs each`);
    const db = this.dbName('noop');
    const url = await createBenchDatabase(db);
    const worker = await this.worker('noop', url, path.join(__dirname, 'noop-worker.ts'));
    const pool = createPool(url, 2);
    const graph = platformGraph([...this.graph.assets.filter((a) => a.kind === 'dbt'), ...noopAssets()]);
    const series: OverheadSeries[] = [];
    let memory: WorkerMemory | undefined;
    try {
      const ctx = { client: this.client, pool, graph, taskQueue: worker.taskQueue, sourceDir: this.work };
      for (const shape of ['chain', 'flat'] as const) {
        for (const n of NOOP_SIZES) await materialize(ctx, `group:${noopGroup(shape, n)}`, { label: 'warm-up' });
      }
      for (const shape of ['chain', 'flat'] as const) {
        for (const mode of ['checkpoint-hit', 'forced-noop'] as const) {
          await this.quiet(`overhead ${shape} ${mode}`);
          const points: OverheadSeries['points'] = [];
          for (const n of NOOP_SIZES) {
            const runs: number[] = [];
            const inside: number[] = [];
            const steps: number[] = [];
            const spans: number[] = [];
            for (let i = 0; i < this.opts.noopRuns; i++) {
              const r = await materialize(ctx, `group:${noopGroup(shape, n)}`, { force: mode === 'forced-noop', label: `${shape} ${n}` });
              if (r.status !== 'success') this.errors.push(`overhead ${shape} ${n} ${mode}: ${r.status}`);
              const expected = mode === 'forced-noop' ? 'materialized' : 'skipped';
              if ((r.outcomes[expected] ?? 0) !== n)
                this.errors.push(`overhead ${shape} ${n} ${mode}: outcomes ${JSON.stringify(r.outcomes)}`);
              runs.push(r.wallMs);
              inside.push(r.activityMs.median);
              const h = await historyTiming(this.client, r.workflowId, r.runId);
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
}

function growth(scales: ScaleResult[]): BenchResults['growth'] {
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

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.reportOnly) {
    const results = JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, 'latest.json'), 'utf8')) as BenchResults;
    results.targets = evaluateTargets(results);
    writeReport(RESULTS_DIR, results);
    progress(`rewrote ${path.join(RESULTS_DIR, 'latest.md')} from latest.json`);
    return;
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const startedAt = new Date().toISOString();
  const bench = new Bench(opts);
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    progress(`${sig}: stopping workers and dropping the benchmark's databases`);
    void cleanup().finally(() => {
      fs.rmSync(bench.work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  progress(
    `starting (pid ${process.pid}, work dir ${bench.work}); services: embedded Postgres 127.0.0.1:54329, Temporal ${TEMPORAL_ADDRESS}`,
  );
  await startPostgres();
  await startTemporal();
  const machine = await describeMachine(embeddedDatabaseUrl('postgres'));
  progress(
    `machine: ${machine.nproc} cores, ${fmt.mib(machine.memTotalKiB)}, ${machine.cpuModel}; load average ${machine.loadAvgAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  bench.graph = await loadGraph(embeddedDatabaseUrl('postgres'));
  bench.client = await connectClient(TEMPORAL_ADDRESS, 'default');

  const results: BenchResults = {
    version: 1,
    machine,
    options: { scales: opts.scales, seed: opts.seed, quietThreshold: opts.quietThreshold },
    startedAt,
    elapsedMs: 0,
    load: null,
    scales: [],
    skipped: [],
    overhead: null,
    growth: [],
    targets: [],
    errors: bench.errors,
    quiet: bench.quietLog,
  };
  const budgetMs = opts.budgetMin * 60_000;
  try {
    const loadScale = opts.scales.includes(1) ? 1 : (opts.scales[opts.scales.length - 1] as number);
    for (const s of opts.scales.filter((x) => x <= 1)) await bench.data(s);
    results.load = await bench.load(loadScale);
    progress(
      `  → ours ${fmt.int(results.load.oursBest.rowsPerSec)} rows/s vs psql ${fmt.int(results.load.baselineBest.rowsPerSec)} rows/s (${results.load.baselineBest.variant}) = ${fmt.x(results.load.ratio)}`,
    );

    const small = opts.scales.filter((s) => s <= 1);
    const large = opts.scales.filter((s) => s > 1);
    for (const s of small) results.scales.push(await bench.pipeline(s));
    results.overhead = await bench.overhead();
    for (const s of large) {
      const ref = results.scales[results.scales.length - 1];
      if (ref && ref.scale >= 1 && ref.full.wallMs > 180_000) {
        results.skipped.push({ what: `scale ${s}`, why: `scale ${ref.scale} end to end took ${fmt.s(ref.full.wallMs)} (over 3 minutes)` });
        progress(`skipping scale ${s}: ${results.skipped.at(-1)?.why}`);
        continue;
      }
      // Projected cost of a scale: generation (~20 s per unit here), worker start, the run (linear from the reference), no-op runs.
      const projected = (x: number) =>
        ref ? ref.full.wallMs * (x / ref.scale) + ref.noopMedianMs * opts.noopRuns + 30_000 + x * 20_000 : 0;
      const left = budgetMs - (elapsedSinceStart() - bench.waited);
      const fits = [s, ...[2, 1.5].filter((x) => x < s && x > (ref?.scale ?? 0))].find((x) => projected(x) < left);
      if (fits === undefined) {
        results.skipped.push({
          what: `scale ${s}`,
          why: `projected ${fmt.s(projected(s), 0)} with ${fmt.s(left, 0)} left of the ${opts.budgetMin}-minute budget`,
        });
        progress(`skipping scale ${s}: ${results.skipped.at(-1)?.why}`);
        continue;
      }
      if (fits !== s) {
        results.skipped.push({
          what: `scale ${s} (ran ${fits} instead)`,
          why: `projected ${fmt.s(projected(s), 0)} with ${fmt.s(left, 0)} left of the ${opts.budgetMin}-minute budget`,
        });
        progress(`reducing scale ${s} to ${fits}: ${results.skipped.at(-1)?.why}`);
      }
      results.scales.push(await bench.pipeline(fits));
    }
  } catch (err) {
    bench.errors.push(`aborted: ${(err as Error).stack ?? String(err)}`);
    progress(`ERROR: ${(err as Error).message}`);
  } finally {
    await cleanup();
    await bench.client?.connection.close().catch(() => undefined);
    fs.rmSync(bench.work, { recursive: true, force: true });
  }
  results.growth = growth(results.scales);
  results.elapsedMs = elapsedSinceStart();
  results.targets = evaluateTargets(results);
  writeReport(RESULTS_DIR, results);
  progress(`done in ${fmt.s(results.elapsedMs, 0)}: ${path.join(RESULTS_DIR, 'latest.md')}`);
  for (const t of results.targets) progress(`  ${t.met === null ? '?' : t.met ? '✔' : '✘'} ${t.name}: ${t.measured} (goal ${t.goal})`);
  if (bench.errors.length) {
    progress(`${bench.errors.length} error(s):\n${bench.errors.join('\n')}`);
    process.exitCode = 1;
  }
}

void main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  void cleanup().finally(() => process.exit(1));
});
