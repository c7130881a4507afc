// npm run bench: load rate against psql \copy, the whole pipeline at several scales, no-op re-runs, worker memory,
// orchestration overhead; results in bench/results/latest.{json,md}. Not part of npm test. The stages are in
// stage-load.ts, stage-pipeline.ts and stage-overhead.ts; what they share in context.ts; this file is the sequence.
import fs from 'node:fs';
import path from 'node:path';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { loadGraph } from '../activities/dbt/manifest';
import { embeddedDatabaseUrl } from '../infra/config';
import { startPostgres } from '../infra/services/postgres';
import { startTemporal } from '../infra/services/temporal';
import { connectClient } from '../cli/temporal-client';
import { BenchContext } from './context';
import { TEMPORAL_ADDRESS, cleanup } from './env';
import { describeMachine } from './machine';
import { cliOptions } from './options';
import { evaluateTargets, writeReport } from './report';
import { BENCH_COMMAND } from './run-options';
import { measureLoad } from './stage-load';
import { measureOverhead } from './stage-overhead';
import { growth, measurePipeline } from './stage-pipeline';
import type { BenchResults } from './types';
import { elapsedSinceStart, fmt, progress } from './util';

const RESULTS_DIR = path.join(__dirname, 'results');

async function main(): Promise<void> {
  const parsed = cliOptions(BENCH_COMMAND);
  const opts = { ...parsed, scales: [...parsed.scales].sort((a, b) => a - b) };
  if (opts.reportOnly) {
    const results = JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, 'latest.json'), 'utf8')) as BenchResults;
    results.targets = evaluateTargets(results);
    writeReport(RESULTS_DIR, results);
    progress(`rewrote ${path.join(RESULTS_DIR, 'latest.md')} from latest.json`);
    return;
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const startedAt = new Date().toISOString();
  const bench = new BenchContext(opts);
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
    results.load = await measureLoad(bench, loadScale);
    progress(
      `  → ours ${fmt.int(results.load.oursBest.rowsPerSec)} rows/s vs psql ${fmt.int(results.load.baselineBest.rowsPerSec)} rows/s (${results.load.baselineBest.variant}) = ${fmt.x(results.load.ratio)}`,
    );

    const small = opts.scales.filter((s) => s <= 1);
    const large = opts.scales.filter((s) => s > 1);
    for (const s of small) results.scales.push(await measurePipeline(bench, s));
    results.overhead = await measureOverhead(bench);
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
      results.scales.push(await measurePipeline(bench, fits));
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
